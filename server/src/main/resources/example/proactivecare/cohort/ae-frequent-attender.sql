-- seed 002: frequent A&E users (the default :min_ed_attendances is 5)
SELECT * FROM cohort_figures WHERE ed_attendances >= :min_ed_attendances
