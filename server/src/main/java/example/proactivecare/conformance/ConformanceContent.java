package example.proactivecare.conformance;

import static example.proactivecare.conformance.ConformanceResources.CANONICAL_BASE;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/** The conformance files the server was built with, read once. */
public record ConformanceContent(List<ConformanceResources.Entry> entries) {

    public ConformanceContent {
        entries = List.copyOf(entries);
    }

    /** The resources of one type, such as the OperationDefinitions or the ConceptMaps. */
    public <T extends IBaseResource> List<T> resources(Class<T> type) {
        return entries.stream()
                .map(ConformanceResources.Entry::resource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /**
     * The codes one of the project's value sets lists, in order. It must list them, with no filters, imports or
     * exclusions: the server matches them in SQL, without a terminology server.
     */
    public List<Coding> listedCodes(String valueSetId) {
        String url = CANONICAL_BASE + "/ValueSet/" + valueSetId;
        ValueSet valueSet = resources(ValueSet.class).stream()
                .filter(v -> url.equals(v.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The ValueSet " + url + " is missing"));
        if (valueSet.getCompose().hasExclude()) {
            throw new IllegalStateException("The ValueSet " + url + " must not exclude codes");
        }
        List<Coding> codes = new ArrayList<>();
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasFilter() || include.hasValueSet() || !include.hasConcept()) {
                throw new IllegalStateException("The ValueSet " + url
                        + " must list its codes: the server matches them in SQL, without a terminology server");
            }
            include.getConcept().forEach(c -> codes.add(new Coding(include.getSystem(), c.getCode(), null)));
        }
        return List.copyOf(codes);
    }

    /** The project's CodeSystem of an id (in {@code terminology/}); it must be there. */
    public CodeSystem codeSystem(String id) {
        String url = CANONICAL_BASE + "/CodeSystem/" + id;
        return resources(CodeSystem.class).stream()
                .filter(c -> url.equals(c.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The CodeSystem " + url + " is missing"));
    }

    /** The codes of the project's CodeSystem of an id, in its order. */
    public Set<String> codeSystemCodes(String id) {
        return codeSystem(id).getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
