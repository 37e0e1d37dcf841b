package example.proactivecare.reports;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the ICS reports' MeasureReports: summary reports of an Organization over a period, each group filled in with
 * the numerator and denominator its Measure defines and the score, scaled and rounded as the Measure describes.
 */
final class MeasureReports {

    /** The identifier a stored report is found and replaced by: measure, subject, period and what else it depends on. */
    static final String IDENTIFIER_SYSTEM = CANONICAL_BASE + "/Id/measure-report";

    /**
     * A report's subject: the Group of an organisation's population (R4's MeasureReport.subject cannot be an
     * Organization), identified by {@code Organization/<id>} in this system.
     */
    static final String POPULATION_SYSTEM = CANONICAL_BASE + "/Id/organisation-population";

    static final String POPULATION_CODE_SYSTEM = CANONICAL_BASE + "/CodeSystem/ics-report-component";
    static final String POPULATION_CODE = "organisation-population";

    static final String RANK = CANONICAL_BASE + "/StructureDefinition/practice-rank";
    static final String LOWEST_FACE_TO_FACE = CANONICAL_BASE + "/StructureDefinition/lowest-face-to-face-share";
    static final String UCUM = "http://unitsofmeasure.org";

    /** How a group's score is scaled: per 1,000 to two decimal places, or a percentage to one. */
    enum Scale {
        PER_1000(1000, 2, "per 1,000 registered patients", "/10*3"),
        PERCENT(100, 1, "%", "%");

        final int factor;
        final int decimals;
        final String unit;
        final String ucum;

        Scale(int factor, int decimals, String unit, String ucum) {
            this.factor = factor;
            this.decimals = decimals;
            this.unit = unit;
            this.ucum = ucum;
        }

        Quantity score(Ratio ratio) {
            return quantity(ratio.scaled(factor, decimals), this);
        }
    }

    private MeasureReports() {}

    /**
     * The subject of a report about an organisation: its population Group, named by identifier (the store adds the
     * literal reference to the Group when it stores the report).
     */
    static Reference subject(String organization, String name) {
        return new Reference()
                .setIdentifier(new Identifier().setSystem(POPULATION_SYSTEM).setValue("Organization/" + organization))
                .setDisplay("Patients of " + (name == null ? "Organization/" + organization : name));
    }

    /** The Organization a report's subject is the population of. */
    static String subjectOrganization(MeasureReport report) {
        return report.getSubject().getIdentifier().getValue();
    }

    static MeasureReport report(
            Measure measure,
            Reference subject,
            Reference reporter,
            LocalDate first,
            LocalDate last,
            Date date,
            String identifier) {
        MeasureReport report = new MeasureReport()
                .setStatus(MeasureReport.MeasureReportStatus.COMPLETE)
                .setType(MeasureReport.MeasureReportType.SUMMARY)
                .setMeasure(measure.getUrl())
                .setSubject(subject)
                .setDateElement(new DateTimeType(date, TemporalPrecisionEnum.MILLI))
                .setReporter(reporter)
                .setPeriod(new Period()
                        .setStartElement(new DateTimeType(first.toString()))
                        .setEndElement(new DateTimeType(last.toString())));
        report.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(identifier);
        return report;
    }

    /** Adds the group the Measure defines at {@code index}, with its numerator and denominator and the ratio's score. */
    static MeasureReportGroupComponent group(
            MeasureReport report, Measure measure, int index, Ratio ratio, Scale scale) {
        return group(report, measure, index, ratio, ratio.defined() ? scale.score(ratio) : null);
    }

    /** Adds the group the Measure defines at {@code index}, with its numerator, denominator and score (if any). */
    static MeasureReportGroupComponent group(
            MeasureReport report, Measure measure, int index, Ratio ratio, Quantity score) {
        Measure.MeasureGroupComponent defined = measure.getGroup().get(index);
        MeasureReportGroupComponent group =
                report.addGroup().setCode(defined.getCode().copy());
        populations(defined, ratio, group.getPopulation()::add);
        if (score != null) {
            group.setMeasureScore(score);
        }
        return group;
    }

    /** The variance of a ratio's numerator against its denominator in percent; null when the denominator is 0. */
    static Quantity variance(Ratio ratio) {
        return ratio.defined() ? quantity(ratio.variancePercent(), Scale.PERCENT) : null;
    }

    /** The group's stratifier (its Measure's first), to which {@link #stratum} adds strata. */
    static MeasureReportGroupStratifierComponent stratifier(
            MeasureReportGroupComponent group, Measure measure, int index) {
        return group.addStratifier()
                .addCode(measure.getGroup()
                        .get(index)
                        .getStratifierFirstRep()
                        .getCode()
                        .copy());
    }

    /** A stratum of a stratifier, its value a text such as {@code 2021-06}, with populations and a score. */
    static void stratum(
            MeasureReportGroupStratifierComponent stratifier,
            Measure measure,
            int index,
            String value,
            Ratio ratio,
            Quantity score) {
        var stratum = stratifier.addStratum().setValue(new CodeableConcept().setText(value));
        Measure.MeasureGroupComponent defined = measure.getGroup().get(index);
        for (Measure.MeasureGroupPopulationComponent population : defined.getPopulation()) {
            stratum.addPopulation().setCode(population.getCode().copy()).setCount(count(population, ratio));
        }
        if (score != null) {
            stratum.setMeasureScore(score);
        }
    }

    static Quantity quantity(BigDecimal value, Scale scale) {
        return new Quantity()
                .setValue(value)
                .setUnit(scale.unit)
                .setSystem(UCUM)
                .setCode(scale.ucum);
    }

    private static void populations(
            Measure.MeasureGroupComponent defined,
            Ratio ratio,
            java.util.function.Consumer<MeasureReport.MeasureReportGroupPopulationComponent> add) {
        for (Measure.MeasureGroupPopulationComponent population : defined.getPopulation()) {
            add.accept(new MeasureReport.MeasureReportGroupPopulationComponent()
                    .setCode(population.getCode().copy())
                    .setCount(count(population, ratio)));
        }
    }

    private static int count(Measure.MeasureGroupPopulationComponent population, Ratio ratio) {
        String code = population.getCode().getCodingFirstRep().getCode();
        return switch (code) {
            case "numerator" -> Math.toIntExact(ratio.numerator());
            case "denominator" -> Math.toIntExact(ratio.denominator());
            default ->
                throw new IllegalStateException(
                        "A report Measure's populations are its numerator and " + "denominator, not " + code);
        };
    }
}
