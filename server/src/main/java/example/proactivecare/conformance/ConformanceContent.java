package example.proactivecare.conformance;

import java.util.List;
import org.hl7.fhir.r4.model.OperationDefinition;

/** The conformance files the server was built with, read once. */
public record ConformanceContent(List<ConformanceResources.Entry> entries) {

    public ConformanceContent {
        entries = List.copyOf(entries);
    }

    /** The OperationDefinitions of the project's custom operations. */
    public List<OperationDefinition> operations() {
        return entries.stream()
                .map(ConformanceResources.Entry::resource)
                .filter(OperationDefinition.class::isInstance)
                .map(OperationDefinition.class::cast)
                .toList();
    }
}
