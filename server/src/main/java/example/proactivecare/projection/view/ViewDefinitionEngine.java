package example.proactivecare.projection.view;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.IValidationSupport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs SQL-on-FHIR v2 ViewDefinitions on FHIR R4 resources: {@link #compile} a view once, then {@link #evaluate} it on
 * each resource to get its rows.
 *
 * <p>Built on HAPI's R4 FHIRPath engine ({@code org.hl7.fhir.r4.fhirpath.FHIRPathEngine}), which works directly on
 * the R4 model objects HAPI stores, so nothing is converted per resource; it has every function the specification's
 * test suite uses ({@code join}, {@code lowBoundary}, {@code highBoundary}, {@code ofType}, {@code extension}...).
 * The view's constants, {@code %rowIndex}, {@code getResourceKey()} and {@code getReferenceKey()} are added through
 * the engine's host services ({@link ViewHostServices}).
 *
 * <p><b>Threads.</b> One instance serves the whole server. Creating it is expensive (the engine indexes every R4
 * StructureDefinition: seconds the first time a FhirContext's definitions load), evaluating is cheap. {@link
 * #evaluate} may be called from any number of threads at once: the FHIRPath engine keeps per-evaluation state in a
 * context object it creates per call, and the only engine field an evaluation writes (its trace log) is never
 * appended to because the host services handle {@code trace()}. {@link #compile} is serialised, because the engine's
 * type checker collects warnings in a field.
 */
public final class ViewDefinitionEngine {

    /** Decimals read exactly as written: FHIRPath takes a decimal's precision from its digits (1.0 is not 1). */
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final ViewCompiler compiler;
    private final RowGenerator rows;

    /** An engine that reads the R4 structure definitions from the context's own validation support. */
    public ViewDefinitionEngine(FhirContext r4) {
        this(r4, r4.getValidationSupport());
    }

    /** An engine that reads the R4 structure definitions from {@code structures} (share the server's chain). */
    public ViewDefinitionEngine(FhirContext r4, IValidationSupport structures) {
        this(r4, new HapiWorkerContext(requireR4(r4), structures));
    }

    private ViewDefinitionEngine(FhirContext r4, HapiWorkerContext worker) {
        this(r4, worker, new FHIRPathEngine(worker));
    }

    /** An engine on a given FHIRPath engine (tests count its parses); the host services are set here. */
    ViewDefinitionEngine(FhirContext r4, IWorkerContext worker, FHIRPathEngine fhirPath) {
        fhirPath.setHostServices(new ViewHostServices());
        this.compiler = new ViewCompiler(r4, worker, fhirPath);
        this.rows = new RowGenerator(fhirPath);
    }

    private static FhirContext requireR4(FhirContext context) {
        if (context.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("A ViewDefinitionEngine needs an R4 FhirContext, not "
                    + context.getVersion().getVersion());
        }
        return context;
    }

    /**
     * Validates a ViewDefinition (JSON text) and parses its FHIRPath expressions.
     *
     * @throws InvalidViewDefinitionException naming the part of the view that is wrong
     */
    public CompiledView compile(String viewDefinitionJson) {
        JsonNode view;
        try {
            view = json.readTree(viewDefinitionJson);
        } catch (JsonProcessingException e) {
            throw new InvalidViewDefinitionException("A ViewDefinition must be JSON: " + e.getOriginalMessage(), e);
        }
        return compile(view);
    }

    /**
     * Validates a ViewDefinition (a Jackson tree) and parses its FHIRPath expressions. Numbers in the tree should be
     * read as exact BigDecimals ({@link DeserializationFeature#USE_BIG_DECIMAL_FOR_FLOATS} and {@link
     * JsonNodeFactory#withExactBigDecimals}) so that decimal constants keep their value and precision.
     *
     * @throws InvalidViewDefinitionException naming the part of the view that is wrong
     */
    public CompiledView compile(JsonNode viewDefinition) {
        synchronized (compiler) {
            return compiler.compile(viewDefinition);
        }
    }

    /**
     * The rows {@code view} gives for {@code resource}, in the order the specification's algorithm produces them; no
     * rows for a resource of another type or one its {@code where} excludes.
     *
     * <p>The resource is not changed. (HAPI's engine rewrites dateTime values to UTC when it orders them, so an
     * expression that compares with {@code <} or {@code >} is evaluated on a copy: see {@link CompiledPath}.)
     *
     * @throws ViewEvaluationException when the data breaks the view's promises: a {@code where} that returns no
     *     boolean, several values in a column that is not a collection
     */
    public List<Row> evaluate(CompiledView view, IBaseResource resource) {
        if (!(resource instanceof Resource r4Resource)) {
            throw new IllegalArgumentException(
                    "Not an R4 resource: " + resource.getClass().getName());
        }
        return rows.rows(view, r4Resource);
    }
}
