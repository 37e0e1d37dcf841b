package example.proactivecare.projection.view;

import java.util.Map;

/**
 * What the FHIRPath type checker may refer to while a view is compiled: the FHIR type code of each constant. A name
 * that is not here (nor {@code rowIndex}) is an undefined constant, reported when the view is compiled.
 */
record CheckScope(Map<String, String> constantTypes) {}
