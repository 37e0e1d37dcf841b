SELECT id FROM proactivecare.patient WHERE registered_practice = ANY (:practices)
