package example.proactivecare.conformance;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

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
}
