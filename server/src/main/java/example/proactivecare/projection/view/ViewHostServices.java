package example.proactivecare.projection.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.CollectionStatus;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * The SQL-on-FHIR additions to FHIRPath, plugged into HAPI's engine: the view's constants ({@code %name}), {@code
 * %rowIndex}, and the functions {@code getResourceKey()} and {@code getReferenceKey([type])}.
 *
 * <p>Stateless: everything that varies per call arrives as the engine's application context ({@link EvaluationScope}
 * when evaluating, {@link CheckScope} when type-checking), so one instance serves every thread.
 *
 * <p>The keys are the resource's logical id ({@code Patient/p1} has key {@code p1}), and a reference's key is the id
 * it points at, so {@code subject.getReferenceKey(Patient)} joins with the Patient view's {@code getResourceKey()}.
 */
final class ViewHostServices implements IHostApplicationServices {

    static final String ROW_INDEX = "rowIndex";
    static final String RESOURCE_KEY = "getResourceKey";
    static final String REFERENCE_KEY = "getReferenceKey";

    /** Names the engine or the specification already gives a meaning; a constant may not take them. */
    static final Set<String> RESERVED_NAMES =
            Set.of(ROW_INDEX, "resource", "rootResource", "context", "ucum", "sct", "loinc", "us-zip");

    @Override
    public List<Base> resolveConstant(
            FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode)
            throws PathEngineException {
        if (isImplicit(mode)) {
            // the engine asks about every plain element name too; those are never constants
            return List.of();
        }
        String key = withoutPercent(name);
        if (!(appContext instanceof EvaluationScope scope)) {
            throw new PathEngineException("Constant %" + key + " used outside a view evaluation");
        }
        if (ROW_INDEX.equals(key)) {
            return List.of(new IntegerType(scope.rowIndex()));
        }
        Base value = scope.constants().get(key);
        if (value == null) {
            throw new PathEngineException("Undefined constant %" + key);
        }
        // a copy: the engine normalises some date-time operands in place, and constants are shared between threads
        return List.of(value.copy());
    }

    @Override
    public TypeDetails resolveConstantType(
            FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode)
            throws PathEngineException {
        if (isImplicit(mode)) {
            return null;
        }
        String key = withoutPercent(name);
        if (ROW_INDEX.equals(key)) {
            return new TypeDetails(CollectionStatus.SINGLETON, TypeDetails.FP_Integer);
        }
        String type =
                appContext instanceof CheckScope scope ? scope.constantTypes().get(key) : null;
        if (type == null) {
            throw new PathEngineException("Undefined constant %" + key);
        }
        return new TypeDetails(CollectionStatus.SINGLETON, systemType(type));
    }

    /**
     * The FHIRPath system type a constant of a FHIR type counts as: the checker wants {@code System.Integer} where
     * FHIRPath requires an integer (an indexer, {@code name[%index]}), and a FHIR integer only converts implicitly.
     */
    private static String systemType(String fhirType) {
        return switch (fhirType) {
            case "boolean" -> TypeDetails.FP_Boolean;
            case "integer", "positiveInt", "unsignedInt" -> TypeDetails.FP_Integer;
            case "decimal" -> TypeDetails.FP_Decimal;
            case "date" -> TypeDetails.FP_NS + "System.Date";
            case "dateTime", "instant" -> TypeDetails.FP_DateTime;
            case "time" -> TypeDetails.FP_Time;
            default -> TypeDetails.FP_String;
        };
    }

    @Override
    public boolean log(String argument, List<Base> focus) {
        // true: trace() is handled here (by ignoring it), so the engine never appends to its shared log buffer
        return true;
    }

    @Override
    public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
        return switch (functionName) {
            case RESOURCE_KEY -> new FunctionDetails("The key of the resource (its logical id)", 0, 0);
            case REFERENCE_KEY ->
                new FunctionDetails("The key of the resource a Reference points at, if it is of the given type", 0, 1);
            default -> null;
        };
    }

    @Override
    public TypeDetails checkFunction(
            FHIRPathEngine engine,
            Object appContext,
            String functionName,
            TypeDetails focus,
            List<TypeDetails> parameters) {
        CollectionStatus status =
                RESOURCE_KEY.equals(functionName) ? CollectionStatus.SINGLETON : focus.getCollectionStatus();
        return new TypeDetails(status, "string");
    }

    @Override
    public List<Base> executeFunction(
            FHIRPathEngine engine,
            Object appContext,
            List<Base> focus,
            String functionName,
            List<List<Base>> parameters) {
        List<Base> keys = new ArrayList<>(focus.size());
        if (RESOURCE_KEY.equals(functionName)) {
            for (Base item : focus) {
                if (item instanceof Resource resource && resource.getIdElement().hasIdPart()) {
                    keys.add(new StringType(resource.getIdElement().getIdPart()));
                }
            }
        } else if (REFERENCE_KEY.equals(functionName)) {
            String type = parameters.isEmpty() || parameters.get(0).isEmpty()
                    ? null
                    : resourceTypeName(parameters.get(0).get(0).primitiveValue());
            for (Base item : focus) {
                if (item instanceof Reference reference) {
                    String key = referenceKey(reference, type);
                    if (key != null) {
                        keys.add(new StringType(key));
                    }
                }
            }
        }
        return keys;
    }

    /**
     * The id a reference points at ({@code Patient/p1}, {@code https://host/fhir/Patient/p1/_history/2}: {@code
     * p1}), or null when it has none (no reference, a contained {@code #id}, a {@code urn:}) or points at another
     * type than {@code type}.
     */
    static String referenceKey(Reference reference, String type) {
        IIdType id = reference.getReferenceElement();
        if (id == null || id.isEmpty() || id.isLocal() || !id.hasIdPart() || !id.hasResourceType()) {
            return null;
        }
        if (type != null && !type.equals(id.getResourceType())) {
            return null;
        }
        return id.getIdPart();
    }

    /** The engine hands a type argument over as its name, qualified ({@code FHIR.Patient}) or not. */
    static String resourceTypeName(String typeArgument) {
        return typeArgument.substring(typeArgument.lastIndexOf('.') + 1);
    }

    @Override
    public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext)
            throws FHIRException {
        // resolve() is outside the SQL-on-FHIR subset: a view sees one resource at a time
        return null;
    }

    @Override
    public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url)
            throws FHIRException {
        throw new FHIRException("conformsTo() is not supported in a view");
    }

    @Override
    public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
        return null;
    }

    @Override
    public boolean paramIsType(String name, int index) {
        // getReferenceKey(Patient): Patient is a type name, not a path to evaluate
        return REFERENCE_KEY.equals(name) && index == 0;
    }

    private static boolean isImplicit(FHIRPathConstantEvaluationMode mode) {
        return mode == FHIRPathConstantEvaluationMode.IMPLICIT_BEFORE
                || mode == FHIRPathConstantEvaluationMode.IMPLICIT_AFTER;
    }

    private static String withoutPercent(String name) {
        return name.startsWith("%") ? name.substring(1) : name;
    }
}
