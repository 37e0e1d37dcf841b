package example.proactivecare.population;

import java.time.Month;
import java.time.YearMonth;
import java.util.OptionalInt;

/**
 * The figures the population is calibrated to, in one place, each with where it comes from. Seed figures are used as
 * published; the months and rates the seeds do not give are estimates, said as such, chosen to make a plausible whole
 * around them.
 */
final class Calibration {

    /** Seed 004's table is for Staffordshire and Stoke-on-Trent, about 1.1 million patients (PRODUCT.md §4). */
    static final int SEED_POPULATION = 1_100_000;

    static final YearMonth TABLE_START = YearMonth.of(2019, 1);
    static final YearMonth TABLE_END = YearMonth.of(2021, 12);

    /**
     * GP consultations a month for 1.1 million patients, January 2019 to December 2021. June to October of each year
     * are seed 004's table ("Consultations", EMIS practices, Staffordshire and Stoke-on-Trent access plan, update for
     * OSC 29/12/21), used as published. The other months are estimates: a winter high, an Easter and August low, the
     * collapse of spring 2020 (first lockdown from 23 March 2020), the January 2021 wave, and 2021 above 2019 as the
     * seed says ("still higher than 2019"). Together the years give 4.44, 4.09 and 4.68 million consultations (4.0 a
     * patient a year), within PRODUCT.md's "about 4–5 million a year"; the seed's June–October months alone average
     * 3.6 a patient a year, so the winter months carry the rest.
     */
    private static final int[][] GP_CONSULTATIONS = {
        // Jan      Feb      Mar      Apr      May      Jun      Jul      Aug      Sep      Oct      Nov      Dec
        {440_000, 395_000, 415_000, 365_000, 385_000, 296_676, 336_205, 291_956, 345_258, 390_556, 425_000, 350_000},
        {445_000, 400_000, 360_000, 250_000, 265_000, 290_345, 302_590, 272_173, 363_351, 375_964, 400_000, 365_000},
        {380_000, 385_000, 440_000, 395_000, 405_000, 374_185, 353_368, 330_831, 389_828, 389_802, 445_000, 395_000},
    };

    /** Which of {@link #GP_CONSULTATIONS} are seed 004's own figures (June to October). */
    static boolean isSeedMonth(YearMonth month) {
        return !month.isBefore(TABLE_START)
                && !month.isAfter(TABLE_END)
                && month.getMonthValue() >= Month.JUNE.getValue()
                && month.getMonthValue() <= Month.OCTOBER.getValue();
    }

    /** Seed 004's consultations for the month, when the seed gives it. */
    static OptionalInt seedConsultations(YearMonth month) {
        return isSeedMonth(month) ? OptionalInt.of(tableValue(GP_CONSULTATIONS, month)) : OptionalInt.empty();
    }

    /** Consultations a month for 1.1 million patients (a month outside 2019–2021 takes the nearest year's figure). */
    static int gpConsultations(YearMonth month) {
        return tableValue(GP_CONSULTATIONS, month);
    }

    /**
     * Share of GP attendances that are face-to-face at the surgery, by month, per mille. August and September 2021 are
     * seed 004's Staffordshire figures (55.2% and 61.4%, NHS Digital via HSJ). Before the pandemic about 80% (the brief;
     * NHS Digital's appointments data for 2019); spring 2020 about 45%; the months between are estimates of the
     * recovery, with a dip in the January 2021 wave.
     */
    private static final int[][] FACE_TO_FACE_PER_MILLE = {
        {800, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800},
        {800, 800, 620, 450, 455, 480, 505, 525, 545, 540, 530, 525},
        {495, 505, 540, 560, 570, 570, 560, 552, 614, 620, 620, 600},
    };

    /** The seed's face-to-face share for the month (per mille), when the seed gives it. */
    static OptionalInt seedFaceToFace(YearMonth month) {
        if (month.equals(YearMonth.of(2021, 8))) {
            return OptionalInt.of(552);
        }
        if (month.equals(YearMonth.of(2021, 9))) {
            return OptionalInt.of(614);
        }
        return OptionalInt.empty();
    }

    static double faceToFaceShare(YearMonth month) {
        return tableValue(FACE_TO_FACE_PER_MILLE, month) / 1000.0;
    }

    /** Home visits: about 1% of GP appointments (estimate), far more in the very old (see {@link #homeVisitAge}). */
    static final double HOME_VISIT_SHARE = 0.010;

    /** Attendances whose record says nothing usable about the mode (GPAD's "unknown"): an estimate. */
    static final double UNKNOWN_MODE_SHARE = 0.005;

    /** Video consultations: almost none before the pandemic, about 1% after (estimate). */
    static double videoShare(YearMonth month) {
        return pandemic(month) ? 0.010 : 0.002;
    }

    /** Online and written consultations (e-consult, SMS, letter): about 1% before, 3% after (estimate). */
    static double writtenShare(YearMonth month) {
        return pandemic(month) ? 0.030 : 0.010;
    }

    private static boolean pandemic(YearMonth month) {
        return !month.isBefore(YearMonth.of(2020, 3));
    }

    /**
     * Did-not-attend and cancelled appointments, as a share of attended GP appointments: about 5% and 3% (estimates
     * in line with NHS Digital's appointments data, where about 5% of booked appointments are DNAs).
     */
    static final double DNA_PER_ATTENDANCE = 0.05;

    static final double CANCELLED_PER_ATTENDANCE = 0.03;

    /**
     * Emergency care and urgent contacts a person a year, averaged over all ages (the age factors below are scaled
     * to a population mean of 1 at run time; approximate annual NHS England figures for
     * 2019-20: about 25 million A&E attendances, 6.4 million emergency admissions, 20 million NHS 111 calls and 9
     * million ambulance incidents for 56 million people). ED here excludes the attendances that lead to an admission,
     * which are added with the admission.
     */
    static final double ED_PER_YEAR = 0.33;

    static final double UNPLANNED_ADMISSIONS_PER_YEAR = 0.10;
    static final double ADMISSIONS_VIA_ED = 0.65;
    static final double CONTACTS_111_PER_YEAR = 0.35;
    static final double CONTACTS_999_PER_YEAR = 0.15;

    /**
     * Monthly factor on ED attendances, admissions and 999 calls: flat before the pandemic, the fall of spring 2020
     * (A&E attendances about half their usual level in April 2020) and of the January 2021 wave, then back to normal
     * (estimates after NHS England's monthly A&E statistics).
     */
    private static final int[][] URGENT_CARE_PER_CENT = {
        {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
        {100, 100, 80, 55, 70, 80, 88, 90, 90, 88, 80, 82},
        {70, 75, 88, 95, 100, 105, 105, 100, 100, 100, 100, 100},
    };

    static double urgentCareFactor(YearMonth month) {
        return tableValue(URGENT_CARE_PER_CENT, month) / 100.0;
    }

    /** NHS 111 doubled in March 2020 (the pandemic's first point of contact); an estimate. */
    static double contact111Factor(YearMonth month) {
        if (month.equals(YearMonth.of(2020, 3))) {
            return 2.0;
        }
        if (month.equals(YearMonth.of(2020, 4))) {
            return 1.3;
        }
        return urgentCareFactor(month);
    }

    /** Excess deaths of the waves of April–May 2020 and January–February 2021 (approximate, ONS weekly deaths). */
    static double mortalityFactor(YearMonth month) {
        if (month.equals(YearMonth.of(2020, 4))) {
            return 1.9;
        }
        if (month.equals(YearMonth.of(2020, 5))) {
            return 1.3;
        }
        if (month.equals(YearMonth.of(2021, 1))) {
            return 1.45;
        }
        if (month.equals(YearMonth.of(2021, 2))) {
            return 1.2;
        }
        return 1.0;
    }

    private static int tableValue(int[][] table, YearMonth month) {
        YearMonth clamped = month.isBefore(TABLE_START)
                ? month.withYear(2019)
                : month.isAfter(TABLE_END) ? month.withYear(2021) : month;
        return table[clamped.getYear() - TABLE_START.getYear()][clamped.getMonthValue() - 1];
    }

    // --- people ---------------------------------------------------------------------------------------------------

    /**
     * England's population by five-year age band, 0–4 to 85–89, then 90+ (thousands, rounded): ONS mid-2019
     * population estimates for England, which GP registered lists follow closely.
     */
    static final int[] AGE_BAND_THOUSANDS = {
        3_300, 3_540, 3_360, 3_080, 3_470, 3_800, 3_870, 3_740, 3_480, 3_790, 3_920, 3_640, 3_110, 2_800, 2_760, 1_980,
        1_430, 860, 490
    };

    /** Share of women by age: about even to 60, then rising (ONS mid-2019 estimates). */
    static double femaleShare(int age) {
        if (age < 60) {
            return 0.495;
        }
        if (age < 75) {
            return 0.52;
        }
        if (age < 85) {
            return 0.56;
        }
        return 0.65;
    }

    /**
     * GP consultations by age and sex, relative to each other: the shape of Hobbs et al., "Clinical workload in UK
     * primary care", Lancet 2016 (CPRD 2007–2014): high under 5, lowest at school age, women above men from 15 to 64,
     * then rising steeply with age. Scaled so the population mean is 1 at run time.
     */
    static double gpAgeSex(int age, boolean female) {
        if (age < 5) {
            return female ? 1.05 : 1.10;
        }
        if (age < 15) {
            return 0.45;
        }
        if (age < 25) {
            return female ? 0.95 : 0.45;
        }
        if (age < 35) {
            return female ? 1.05 : 0.55;
        }
        if (age < 45) {
            return female ? 1.00 : 0.65;
        }
        if (age < 55) {
            return female ? 1.10 : 0.85;
        }
        if (age < 65) {
            return female ? 1.20 : 1.05;
        }
        if (age < 75) {
            return 1.50;
        }
        if (age < 85) {
            return 2.00;
        }
        return 2.45;
    }

    /** ED attendances by age (relative): the U shape of NHS Digital's Hospital A&E Activity by age. */
    static double edAge(int age) {
        return byAgeBand(age, 1.6, 0.8, 1.3, 1.0, 0.85, 1.0, 1.6, 2.6);
    }

    /** Emergency admissions by age (relative): NHS Digital's Hospital Admitted Patient Care Activity by age. */
    static double admissionAge(int age) {
        return byAgeBand(age, 1.2, 0.35, 0.5, 0.55, 0.8, 1.5, 3.0, 5.5);
    }

    /** NHS 111 contacts by age (relative; estimate: parents of small children and the very old call most). */
    static double contact111Age(int age) {
        return byAgeBand(age, 2.0, 0.8, 1.1, 1.0, 0.8, 0.8, 1.1, 1.6);
    }

    /** 999 ambulance contacts by age (relative; estimate: rising steeply after 75). */
    static double contact999Age(int age) {
        return byAgeBand(age, 0.5, 0.3, 0.8, 0.8, 0.9, 1.3, 2.6, 5.0);
    }

    /** Home visits, relative to their average share: mostly the housebound very old (estimate). */
    static double homeVisitAge(int age) {
        return byAgeBand(age, 0.1, 0.05, 0.05, 0.1, 0.3, 1.0, 4.0, 12.0);
    }

    /** Bands 0–4, 5–14, 15–24, 25–44, 45–64, 65–74, 75–84, 85+. */
    private static double byAgeBand(
            int age, double b0, double b5, double b15, double b25, double b45, double b65, double b75, double b85) {
        if (age < 5) {
            return b0;
        }
        if (age < 15) {
            return b5;
        }
        if (age < 25) {
            return b15;
        }
        if (age < 45) {
            return b25;
        }
        if (age < 65) {
            return b45;
        }
        if (age < 75) {
            return b65;
        }
        if (age < 85) {
            return b75;
        }
        return b85;
    }

    /**
     * The chance of dying within a year at an age: a Gompertz curve close to ONS National Life Tables for England
     * 2017–2019 (about 0.1% at 40, 0.7% at 60, 5% at 80, 13% at 90), with the infant year and a floor for children.
     * Over England's age structure it gives about 0.96% a year, near the crude death rate (about 0.9–1%).
     */
    static double annualMortality(int age) {
        if (age == 0) {
            return 0.004;
        }
        return Math.min(0.6, Math.max(0.0001, Math.exp(-10.75 + 0.097 * age)));
    }

    /**
     * The population is a closed cohort: nobody is born into it or registers with its practices, so the deaths (about
     * 1% a year, the heaviest users of services most) shrink its consultations by about 1.7% a year. Real lists are
     * replenished; here the survivors' rates rise by that share instead, so the ICS's monthly consultations stay on the
     * monthly targets. Measured at 1.1 million patients with the default options (it is empirical, and only right for
     * windows of a few years).
     */
    static double closedCohortCorrection(double yearsSinceStart) {
        return 1.006 / (1 - 0.0165 * yearsSinceStart);
    }

    // --- the heavy tail -------------------------------------------------------------------------------------------

    /**
     * The spread of each patient's latent use of services: a lognormal with σ = 1.45 makes the top 1% of patients
     * about 19 times the mean (E[m | z > 2.326] = Φ(σ − 2.326) / 0.01; the brief's σ ≈ 1.5 gives 20), which with
     * 4 consultations a year, more in old age, gives the top 1% about 90 GP encounters a year (seed 001: 600 people,
     * 1% of an area, had 54,000 GP encounters in 12 months). Capped at 40 times the mean so that no one is seen more
     * than about once a day.
     */
    static final double LATENT_SIGMA = 1.45;

    static final double LATENT_CAP = 40;

    /** Year-to-year variation of a patient's use around their latent level (estimate). */
    static final double YEARLY_SIGMA = 0.25;

    /**
     * How strongly urgent care follows the latent level (m^β, renormalised): with β = 0.65 the top 1% by GP use have
     * about 9 times the mean ED attendances, about 3 a year (seed 001: 1,925 ED attendances for those 600 people).
     */
    static final double URGENT_CARE_EXPONENT = 0.65;

    /** Spread of a patient's urgent care use around what their latent level predicts (estimate). */
    static final double URGENT_CARE_SIGMA = 0.4;

    private Calibration() {}
}
