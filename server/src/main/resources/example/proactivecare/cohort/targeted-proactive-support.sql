-- seed 001, step 1: two or more unplanned admissions AND ten or more medications
SELECT * FROM cohort_figures
WHERE unplanned_admissions >= :min_unplanned_admissions
  AND distinct_medications >= :min_medications
