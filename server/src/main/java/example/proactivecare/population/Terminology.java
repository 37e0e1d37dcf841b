package example.proactivecare.population;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The project's value sets the generator draws codes from, read from the classpath as the server packages them
 * (conformance/terminology/*.json): long-term conditions, psychosocial risk factors and care roles.
 */
final class Terminology {

    static final String BASE = ConformanceResources.CANONICAL_BASE;

    private final Map<String, ValueSet> valueSets = new HashMap<>();
    private final Map<String, CodeSystem> codeSystems = new HashMap<>();

    private Terminology() {}

    static Terminology fromClasspath(FhirContext fhirContext) {
        Terminology terminology = new Terminology();
        for (ConformanceResources.ClasspathFile file :
                ConformanceResources.read("classpath*:conformance/terminology/*.json")) {
            IBaseResource resource = fhirContext.newJsonParser().parseResource(file.text());
            if (resource instanceof ValueSet valueSet) {
                terminology.valueSets.put(valueSet.getUrl(), valueSet);
            } else if (resource instanceof CodeSystem codeSystem) {
                terminology.codeSystems.put(codeSystem.getUrl(), codeSystem);
            }
        }
        return terminology;
    }

    /** Every code a value set includes: its listed concepts, and the whole of a code system it includes entire. */
    List<Coding> codes(String valueSetId) {
        ValueSet valueSet = valueSets.get(BASE + "/ValueSet/" + valueSetId);
        if (valueSet == null) {
            throw new IllegalStateException(
                    "The ValueSet " + BASE + "/ValueSet/" + valueSetId + " is not on the classpath");
        }
        List<Coding> codes = new ArrayList<>();
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasConcept()) {
                include.getConcept()
                        .forEach(c -> codes.add(new Coding(include.getSystem(), c.getCode(), c.getDisplay())));
            } else {
                CodeSystem codeSystem = codeSystems.get(include.getSystem());
                if (codeSystem != null) {
                    codeSystem
                            .getConcept()
                            .forEach(c -> codes.add(new Coding(include.getSystem(), c.getCode(), c.getDisplay())));
                }
            }
        }
        return codes;
    }

    /** The code of a value set whose display is the one given (ignoring case). */
    Coding byDisplay(String valueSetId, String display) {
        return codes(valueSetId).stream()
                .filter(c -> c.display() != null
                        && c.display().toLowerCase(Locale.ROOT).equals(display.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "The ValueSet " + valueSetId + " has no code displayed '" + display + "'"));
    }
}
