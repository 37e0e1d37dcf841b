-- seed 000: more than 20 GP attendances a year (the default :min_gp_attendances is 21)
SELECT * FROM cohort_figures WHERE gp_attendances >= :min_gp_attendances
