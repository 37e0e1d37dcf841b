package example.proactivecare.projection.view;

import java.util.Map;
import org.hl7.fhir.r4.model.Base;

/**
 * What one FHIRPath evaluation may refer to besides its focus: the view's constants and the current {@code
 * %rowIndex}. Passed to the engine as its "application context", so the shared engine itself holds no per-call state.
 */
record EvaluationScope(Map<String, Base> constants, int rowIndex) {}
