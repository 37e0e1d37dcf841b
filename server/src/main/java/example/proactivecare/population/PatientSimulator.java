package example.proactivecare.population;

import example.proactivecare.population.EncounterTemplates.Kind;
import example.proactivecare.population.PatientRecord.Defect;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one patient from (seed, patient index) alone: age, sex and name; their latent level of use of services;
 * conditions; death; every encounter month by month; medicines; and the planted defects. Thread-safe: it holds only
 * shared, read-only tables.
 */
final class PatientSimulator {

    private final GeneratorOptions options;
    private final Window window;
    private final EncounterTemplates templates;
    private final ConditionCatalog conditions;
    private final MedicineCatalog medicines;
    private final IcsStructure structure;
    private final double[] ageBandWeights;
    private final double ageBandTotal;
    private final double gpNorm;
    private final double edNorm;
    private final double admissionNorm;
    private final double contact111Norm;
    private final double contact999Norm;
    private final double latentNorm;
    private final int startYear;
    private final int[] depressionAnxietyGroups;

    PatientSimulator(
            GeneratorOptions options,
            Window window,
            EncounterTemplates templates,
            ConditionCatalog conditions,
            MedicineCatalog medicines,
            IcsStructure structure) {
        this.options = options;
        this.window = window;
        this.templates = templates;
        this.conditions = conditions;
        this.medicines = medicines;
        this.structure = structure;
        this.ageBandWeights = java.util.Arrays.stream(Calibration.AGE_BAND_THOUSANDS)
                .asDoubleStream()
                .toArray();
        this.ageBandTotal = Randoms.sum(ageBandWeights);
        this.gpNorm = populationMean(age -> Calibration.femaleShare(age) * Calibration.gpAgeSex(age, true)
                + (1 - Calibration.femaleShare(age)) * Calibration.gpAgeSex(age, false));
        this.edNorm = populationMean(Calibration::edAge);
        this.admissionNorm = populationMean(Calibration::admissionAge);
        this.contact111Norm = populationMean(Calibration::contact111Age);
        this.contact999Norm = populationMean(Calibration::contact999Age);
        this.latentNorm = latentMean();
        this.startYear = window.start.getYear();
        this.depressionAnxietyGroups = java.util.stream.Stream.of("depression", "anxiety", "ptsd")
                .map(conditions::group)
                .filter(java.util.Objects::nonNull)
                .mapToInt(ConditionCatalog.Group::index)
                .toArray();
    }

    PatientRecord simulate(int index) {
        SplittableRandom random = Randoms.stream(options.seed(), index);
        IcsStructure.Practice practice = structure.practiceOf(index);

        int band = Randoms.pick(random, ageBandWeights, ageBandTotal);
        int ageAtStart = band < 18 ? band * 5 + random.nextInt(5) : 90 + Math.min(14, geometric(random, 0.25));
        boolean female = random.nextDouble() < Calibration.femaleShare(ageAtStart);
        int birthDay = window.startDay - (int) Math.round(ageAtStart * 365.2425) - random.nextInt(365);
        PatientRecord patient = new PatientRecord(
                index,
                practice,
                female,
                Names.any(random, female ? Names.FEMALE : Names.MALE),
                Names.any(random, Names.FAMILY),
                birthDay);

        // the latent level of use: lognormal, mean 1, capped; it also raises the chance of conditions and of death
        double z = random.nextGaussian();
        double latent =
                Math.min(Calibration.LATENT_CAP, Randoms.meanOneLognormal(Calibration.LATENT_SIGMA, z)) / latentNorm;
        double urgent = Math.exp(Calibration.URGENT_CARE_EXPONENT * Calibration.LATENT_SIGMA * z
                        - square(Calibration.URGENT_CARE_EXPONENT * Calibration.LATENT_SIGMA) / 2)
                * Randoms.meanOneLognormal(Calibration.URGENT_CARE_SIGMA, random.nextGaussian());
        double[] yearly = new double[window.end.getYear() - startYear + 1];
        for (int y = 0; y < yearly.length; y++) {
            yearly[y] = Randoms.meanOneLognormal(Calibration.YEARLY_SIGMA, random.nextGaussian());
        }

        simulateDeath(patient, random, z);
        simulateConditions(patient, random, z);
        simulateEncounters(patient, random, latent, urgent, yearly);
        simulateMedications(patient, random, z);
        plantDefects(patient, random);

        patient.encounters.sort(Comparator.comparingLong(PatientRecord.Encounter::start)
                .thenComparingInt(PatientRecord.Encounter::template));
        patient.medications.sort(Comparator.comparingInt(PatientRecord.Medication::startDay)
                .thenComparingInt(m -> m.medicine().index()));
        patient.conditions.sort(Comparator.comparingInt(PatientRecord.Condition::onsetDay)
                .thenComparing(c -> c.code().code()));
        return patient;
    }

    // --- death ------------------------------------------------------------------------------------------------------

    private void simulateDeath(PatientRecord patient, SplittableRandom random, double z) {
        double frailty = Math.exp(0.3 * z - 0.045);
        for (int m = 0; m < window.months.size(); m++) {
            int first = window.monthFirstDay[m];
            int days = window.monthLastDay[m] - first + 1;
            double annual = Math.min(
                    0.9,
                    Calibration.annualMortality(patient.ageAt(first))
                            * frailty
                            * Calibration.mortalityFactor(window.months.get(m)));
            double monthly = 1 - Math.pow(1 - annual, days / 365.2425);
            if (random.nextDouble() < monthly) {
                patient.deathDay = first + random.nextInt(days);
                return;
            }
        }
    }

    // --- conditions -------------------------------------------------------------------------------------------------

    private void simulateConditions(PatientRecord patient, SplittableRandom random, double z) {
        int lastDay = Math.min(window.endDay, patient.deathDay);
        int age = patient.ageAt(lastDay);
        double ltcFactor = Math.exp(0.35 * z - 0.35 * 0.35 / 2);
        double psychosocialFactor = Math.exp(0.6 * z - 0.6 * 0.6 / 2);
        for (ConditionCatalog.Group group : conditions.groups()) {
            double chance = Math.min(
                    0.95,
                    group.prevalence(age, patient.female) * (group.psychosocial() ? psychosocialFactor : ltcFactor));
            if (random.nextDouble() >= chance) {
                continue;
            }
            Coding code = group.codes().get(Randoms.pick(random, group.weights(), Randoms.sum(group.weights())));
            // diagnosed on average eight years before the end, never before birth
            int onset = lastDay - (int) (-Math.log(1 - random.nextDouble()) * 8 * 365);
            if (onset <= patient.birthDay) {
                onset = patient.birthDay + 1 + random.nextInt(Math.max(1, lastDay - patient.birthDay));
            }
            patient.conditions.add(new PatientRecord.Condition(group, code, onset));
        }
    }

    // --- encounters -------------------------------------------------------------------------------------------------

    private void simulateEncounters(
            PatientRecord patient, SplittableRandom random, double latent, double urgent, double[] yearly) {
        String trust = structure.trusts.get(patient.practice.locality()).id();
        String otherTrust =
                structure.trusts.get(1 - patient.practice.locality()).id();
        for (int m = 0; m < window.months.size(); m++) {
            YearMonth month = window.months.get(m);
            int first = window.monthFirstDay[m];
            int last = Math.min(window.monthLastDay[m], patient.deathDay);
            if (last < first) {
                break;
            }
            double exposure = (last - first + 1) / (double) month.lengthOfMonth();
            int age = patient.ageAt(first);
            double yearFactor = yearly[month.getYear() - startYear];

            double gpMean = Calibration.gpConsultations(month)
                    / (double) Calibration.SEED_POPULATION
                    * Calibration.gpAgeSex(age, patient.female)
                    / gpNorm
                    * latent
                    * yearFactor
                    * exposure
                    * Calibration.closedCohortCorrection((first - window.startDay) / 365.2425);
            int gp = Randoms.poisson(random, gpMean);
            double[] modeWeights = modeWeights(month, age);
            double modeTotal = Randoms.sum(modeWeights);
            for (int i = 0; i < gp; i++) {
                Kind kind = MODE_KINDS[Randoms.pick(random, modeWeights, modeTotal)];
                addGp(patient, random, templates.pick(kind, random), first, last, kind);
            }
            for (int i = Randoms.poisson(random, gpMean * Calibration.DNA_PER_ATTENDANCE); i > 0; i--) {
                addGp(
                        patient,
                        random,
                        templates.pick(Kind.GP_DID_NOT_ATTEND, random),
                        first,
                        last,
                        Kind.GP_DID_NOT_ATTEND);
            }
            for (int i = Randoms.poisson(random, gpMean * Calibration.CANCELLED_PER_ATTENDANCE); i > 0; i--) {
                addGp(patient, random, templates.pick(Kind.GP_CANCELLED, random), first, last, Kind.GP_CANCELLED);
            }

            double urgentMonth = urgent * exposure / 12;
            double urgentFactor = Calibration.urgentCareFactor(month);
            int ed = Randoms.poisson(
                    random, Calibration.ED_PER_YEAR * Calibration.edAge(age) / edNorm * urgentFactor * urgentMonth);
            for (int i = 0; i < ed; i++) {
                long start = minuteOfDay(randomDay(random, first, last), hospitalMinute(random));
                patient.encounters.add(new PatientRecord.Encounter(
                        templates.pick(Kind.ED_ATTENDANCE, random),
                        start,
                        Randoms.between(random, 60, 360),
                        pickTrust(random, trust, otherTrust),
                        null));
            }
            int admissions = Randoms.poisson(
                    random,
                    Calibration.UNPLANNED_ADMISSIONS_PER_YEAR
                            * Calibration.admissionAge(age)
                            * urgentFactor
                            * urgentMonth);
            for (int i = 0; i < admissions; i++) {
                addAdmission(patient, random, first, last, pickTrust(random, trust, otherTrust));
            }
            int calls111 = Randoms.poisson(
                    random,
                    Calibration.CONTACTS_111_PER_YEAR
                            * Calibration.contact111Age(age)
                            * Calibration.contact111Factor(month)
                            * urgentMonth);
            for (int i = 0; i < calls111; i++) {
                long start = minuteOfDay(randomDay(random, first, last), random.nextInt(1440));
                patient.encounters.add(new PatientRecord.Encounter(
                        templates.pick(Kind.CONTACT_111, random), start, Randoms.between(random, 10, 30), null, null));
            }
            int calls999 = Randoms.poisson(
                    random,
                    Calibration.CONTACTS_999_PER_YEAR
                            * Calibration.contact999Age(age)
                            / contact999Norm
                            * urgentFactor
                            * urgentMonth);
            for (int i = 0; i < calls999; i++) {
                long start = minuteOfDay(randomDay(random, first, last), random.nextInt(1440));
                patient.encounters.add(new PatientRecord.Encounter(
                        templates.pick(Kind.CONTACT_999, random), start, Randoms.between(random, 40, 120), null, null));
            }
        }
    }

    private static final Kind[] MODE_KINDS = {
        Kind.GP_FACE_TO_FACE,
        Kind.GP_HOME_VISIT,
        Kind.GP_TELEPHONE,
        Kind.GP_VIDEO,
        Kind.GP_WRITTEN,
        Kind.GP_UNKNOWN_MODE
    };

    /** The chance of each mode in a month at an age: the month's shares, with home visits taken from telephone. */
    private static double[] modeWeights(YearMonth month, int age) {
        double faceToFace = Calibration.faceToFaceShare(month);
        double home = Math.min(0.3, Calibration.HOME_VISIT_SHARE * Calibration.homeVisitAge(age));
        double video = Calibration.videoShare(month);
        double written = Calibration.writtenShare(month);
        double unknown = Calibration.UNKNOWN_MODE_SHARE;
        double telephone = 1 - faceToFace - home - video - written - unknown;
        if (telephone < 0) {
            faceToFace += telephone;
            telephone = 0;
        }
        return new double[] {faceToFace, home, telephone, video, written, unknown};
    }

    private void addGp(PatientRecord patient, SplittableRandom random, int template, int first, int last, Kind kind) {
        int day = weekday(random, first, last);
        int minutes;
        long start;
        switch (kind) {
            case GP_HOME_VISIT -> {
                start = minuteOfDay(day, 11 * 60 + 10 * random.nextInt(30));
                minutes = 30;
            }
            case GP_TELEPHONE -> {
                start = minuteOfDay(day, 8 * 60 + 10 * random.nextInt(60));
                minutes = 8;
            }
            case GP_WRITTEN -> {
                start = minuteOfDay(day, 8 * 60 + 10 * random.nextInt(60));
                minutes = 5;
            }
            default -> {
                start = minuteOfDay(day, 8 * 60 + 10 * random.nextInt(60));
                minutes = 10;
            }
        }
        patient.encounters.add(new PatientRecord.Encounter(template, start, minutes, patient.practice.id(), null));
    }

    private void addAdmission(PatientRecord patient, SplittableRandom random, int first, int last, String trust) {
        int day = randomDay(random, first, last);
        long start = minuteOfDay(day, hospitalMinute(random));
        Kind kind = Kind.UNPLANNED_ADMISSION;
        if (random.nextDouble() < Calibration.ADMISSIONS_VIA_ED) {
            int edMinutes = Randoms.between(random, 120, 420);
            // admitted from ED on a day the patient is alive and within the window
            start = Math.min(start, minuteOfDay(last + 1, 0) - edMinutes - 1);
            patient.encounters.add(new PatientRecord.Encounter(
                    templates.pick(Kind.ED_ATTENDANCE, random), start, edMinutes, trust, null));
            start += edMinutes;
            kind = Kind.UNPLANNED_ADMISSION_FROM_ED;
        }
        // a fifth go home the same day; the rest stay a geometric number of nights, about four on average
        int minutes = random.nextDouble() < 0.2
                ? Randoms.between(random, 240, 720)
                : (1 + geometric(random, 0.3)) * 1440 + Randoms.between(random, -240, 240);
        long end = start + minutes;
        if (end >= (window.endDay + 1L) * 1440) {
            minutes = 0; // still in hospital at --end
        }
        patient.encounters.add(new PatientRecord.Encounter(templates.pick(kind, random), start, minutes, trust, null));
    }

    private static String pickTrust(SplittableRandom random, String trust, String otherTrust) {
        return random.nextDouble() < 0.9 ? trust : otherTrust;
    }

    /** Mostly the day and evening: 80% between 08:00 and midnight. */
    private static int hospitalMinute(SplittableRandom random) {
        return random.nextDouble() < 0.8 ? 8 * 60 + random.nextInt(16 * 60) : random.nextInt(8 * 60);
    }

    private static int randomDay(SplittableRandom random, int first, int last) {
        return first + random.nextInt(last - first + 1);
    }

    /** A day of the range, a weekday if the range has one (nine times in ten; surgeries rarely open at weekends). */
    private static int weekday(SplittableRandom random, int first, int last) {
        int day = randomDay(random, first, last);
        for (int tries = 0; tries < 4 && Window.dayOfWeek(day) >= 5; tries++) {
            if (random.nextDouble() < 0.1) {
                break;
            }
            day = randomDay(random, first, last);
        }
        return day;
    }

    private static long minuteOfDay(int day, int minute) {
        return day * 1440L + minute;
    }

    // --- medicines --------------------------------------------------------------------------------------------------

    private void simulateMedications(PatientRecord patient, SplittableRandom random, double z) {
        int lastDay = Math.min(window.endDay, patient.deathDay);
        int age = patient.ageAt(lastDay);
        boolean[] has = new boolean[conditions.groups().size()];
        int ltcs = 0;
        for (PatientRecord.Condition condition : patient.conditions) {
            has[condition.group().index()] = true;
            if (!condition.group().psychosocial()) {
                ltcs++;
            }
        }
        int mental = 0;
        for (int group : depressionAnxietyGroups) {
            if (has[group]) {
                mental++;
            }
        }
        double tendency = Math.exp(0.25 * z - 0.25 * 0.25 / 2);
        double mean = (regularBase(age) + 1.3 * ltcs + 0.6 * mental) * tendency;
        int regular = Math.min(Randoms.poisson(random, mean), medicines.slotCount());

        List<MedicineCatalog.Medicine> all = medicines.medicines();
        double[] weights = new double[all.size()];
        boolean[] usedSlot = new boolean[medicines.slotCount()];
        for (int n = 0; n < regular; n++) {
            double total = 0;
            for (MedicineCatalog.Medicine medicine : all) {
                double weight = 0;
                if (!usedSlot[medicine.slot()]) {
                    boolean indicated = false;
                    for (int group : medicine.indications()) {
                        indicated |= has[group];
                    }
                    weight = medicine.weight() * (indicated ? 15 : age < 18 ? 0 : medicine.unindicated());
                    if (medicine.indications().length == 0 && age >= 60) {
                        weight *= 2; // stomach protection, more common with age
                    }
                }
                weights[medicine.index()] = weight;
                total += weight;
            }
            if (total <= 0) {
                break;
            }
            MedicineCatalog.Medicine chosen = all.get(Randoms.pick(random, weights, total));
            usedSlot[chosen.slot()] = true;
            addRegular(patient, random, chosen, lastDay);
        }

        // short courses (anti-inflammatories, stomach protection) within the window
        if (age >= 18) {
            boolean pain = hasAny(has, "oa", "chronic-pain", "ra");
            double years = (lastDay - window.startDay + 1) / 365.2425;
            int courses = Randoms.poisson(random, years * 0.15 * (pain ? 3 : 1) * tendency);
            List<MedicineCatalog.Medicine> acute =
                    all.stream().filter(MedicineCatalog.Medicine::acute).toList();
            double[] acuteWeights =
                    acute.stream().mapToDouble(MedicineCatalog.Medicine::weight).toArray();
            for (int i = 0; i < courses && !acute.isEmpty(); i++) {
                MedicineCatalog.Medicine medicine =
                        acute.get(Randoms.pick(random, acuteWeights, Randoms.sum(acuteWeights)));
                int start = randomDay(random, window.startDay, lastDay);
                int end = start + Randoms.between(random, 7, 28);
                if (patient.deceased() && end > patient.deathDay) {
                    end = patient.deathDay;
                }
                boolean active = end > window.endDay;
                patient.medications.add(new PatientRecord.Medication(medicine, start, end, active, null));
            }
        }
    }

    private boolean hasAny(boolean[] has, String... groups) {
        for (String name : groups) {
            ConditionCatalog.Group group = conditions.group(name);
            if (group != null && has[group.index()]) {
                return true;
            }
        }
        return false;
    }

    /** Repeat medicines regardless of diagnoses, by age (estimates, tuned to the polypharmacy target). */
    private static double regularBase(int age) {
        if (age < 18) {
            return 0.05;
        }
        if (age < 40) {
            return 0.3;
        }
        if (age < 60) {
            return 0.7;
        }
        if (age < 75) {
            return 1.4;
        }
        return 2.4;
    }

    /**
     * A repeat medicine: started up to twelve years before the end (never before 18, or before birth for a child);
     * about 15% stopped within the window; stopped at death; otherwise active, with an end date at its next review.
     */
    private void addRegular(
            PatientRecord patient, SplittableRandom random, MedicineCatalog.Medicine medicine, int lastDay) {
        int earliest = Math.max(patient.birthDay + 1, window.endDay - 12 * 365);
        int adult = patient.birthDay + (int) (18 * 365.2425);
        if (adult < lastDay - 30) {
            earliest = Math.max(earliest, adult);
        }
        int start = randomDay(random, earliest, Math.max(earliest, lastDay - 14));
        int end;
        boolean active;
        if (random.nextDouble() < 0.15 && start < lastDay - 60 && lastDay - 1 >= window.startDay) {
            end = randomDay(random, Math.max(start + 28, window.startDay), lastDay - 1);
            active = false;
        } else if (patient.deceased()) {
            end = patient.deathDay;
            active = false;
        } else {
            end = window.endDay + Randoms.between(random, 28, 365);
            active = true;
        }
        if (!active && end < window.startDay) {
            return;
        }
        patient.medications.add(new PatientRecord.Medication(medicine, start, end, active, null));
    }

    // --- defects ----------------------------------------------------------------------------------------------------

    private void plantDefects(PatientRecord patient, SplittableRandom random) {
        double rate = options.defectRate();
        int lastDay = Math.min(window.endDay, patient.deathDay);
        if (random.nextDouble() < rate) {
            List<PatientRecord.Encounter> attended = new ArrayList<>();
            for (PatientRecord.Encounter encounter : patient.encounters) {
                if (EncounterTemplates.GP_ATTENDANCE.equals(
                        templates.get(encounter.template()).category())) {
                    attended.add(encounter);
                }
            }
            if (!attended.isEmpty()) {
                PatientRecord.Encounter original = attended.get(random.nextInt(attended.size()));
                patient.encounters.add(new PatientRecord.Encounter(
                        original.template(),
                        original.start() + Randoms.between(random, 1, 5),
                        original.minutes(),
                        original.provider(),
                        Defect.DUPLICATE_ENCOUNTER));
            }
        }
        if (random.nextDouble() < rate) {
            int day = weekday(random, window.startDay, lastDay);
            patient.encounters.add(new PatientRecord.Encounter(
                    templates.first(Kind.UNMAPPED_LOCAL_CODE),
                    minuteOfDay(day, 8 * 60 + 10 * random.nextInt(60)),
                    10,
                    patient.practice.id(),
                    Defect.UNMAPPED_TYPE_CODE));
        }
        if (random.nextDouble() < rate) {
            List<Defect> kinds = new ArrayList<>(List.of(Defect.FUTURE_DATED, Defect.BEFORE_BIRTH));
            if (patient.deceased() && patient.deathDay < window.endDay) {
                kinds.add(Defect.AFTER_DEATH);
            }
            Defect kind = kinds.get(random.nextInt(kinds.size()));
            int day =
                    switch (kind) {
                        case FUTURE_DATED -> window.endDay + Randoms.between(random, 1, 400);
                        case BEFORE_BIRTH -> patient.birthDay - Randoms.between(random, 1, 3650);
                        default ->
                            patient.deathDay
                                    + Randoms.between(random, 1, Math.min(90, window.endDay - patient.deathDay));
                    };
            patient.encounters.add(new PatientRecord.Encounter(
                    templates.first(Kind.GP_FACE_TO_FACE),
                    minuteOfDay(day, 8 * 60 + 10 * random.nextInt(60)),
                    10,
                    patient.practice.id(),
                    kind));
        }
        if (random.nextDouble() < rate) {
            int latest = window.endDay - 400;
            int earliest = Math.max(patient.birthDay + 1, window.endDay - 3000);
            if (earliest <= latest) {
                List<MedicineCatalog.Medicine> all = medicines.medicines();
                patient.medications.add(new PatientRecord.Medication(
                        all.get(random.nextInt(all.size())),
                        randomDay(random, earliest, latest),
                        PatientRecord.NEVER,
                        true,
                        Defect.STALE_MEDICATION));
            }
        }
    }

    // --- normalisation ----------------------------------------------------------------------------------------------

    /** The mean of an age factor over England's age structure, so that each factor averages 1. */
    private double populationMean(java.util.function.IntToDoubleFunction factor) {
        double sum = 0;
        double weight = 0;
        for (int band = 0; band < ageBandWeights.length; band++) {
            for (int year = 0; year < 5; year++) {
                int age = band * 5 + year;
                double w = ageBandWeights[band] / 5;
                sum += w * factor.applyAsDouble(age);
                weight += w;
            }
        }
        return sum / weight;
    }

    /** E[min(exp(σz − σ²/2), cap)] for a standard normal z, by numerical integration. */
    private static double latentMean() {
        double sum = 0;
        double step = 0.001;
        for (double z = -9; z < 9; z += step) {
            double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
            sum += Math.min(Calibration.LATENT_CAP, Randoms.meanOneLognormal(Calibration.LATENT_SIGMA, z))
                    * density
                    * step;
        }
        return sum;
    }

    private static int geometric(SplittableRandom random, double p) {
        return (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
    }

    private static double square(double x) {
        return x * x;
    }
}
