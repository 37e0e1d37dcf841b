package example.proactivecare.projection.view;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import example.proactivecare.projection.view.CompiledView.WherePlan;
import example.proactivecare.projection.view.SelectPlan.ColumnPlan;
import example.proactivecare.projection.view.SelectPlan.Iteration;
import example.proactivecare.projection.view.ViewConstants.Constant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.CollectionStatus;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;

/**
 * Turns a ViewDefinition (JSON) into a {@link CompiledView}: checks its structure against the SQL-on-FHIR v2 logical
 * model, parses every FHIRPath expression once, and type-checks each against the R4 definition of the resource, so
 * that a misspelt element, an undefined constant, a {@code where} that is not boolean or a column that would hold a
 * whole element is reported now, naming where it is, rather than as empty columns later.
 *
 * <p>Not thread-safe (the engine's type checker keeps state); {@link ViewDefinitionEngine} serialises compilation.
 */
final class ViewCompiler {

    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final String FHIR_TYPE_PREFIX = "http://hl7.org/fhir/StructureDefinition/";
    private static final Set<String> SELECT_KEYS =
            Set.of("column", "select", "unionAll", "forEach", "forEachOrNull", "repeat");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "path", "type", "collection", "description", "tag");
    private static final Set<String> WHERE_KEYS = Set.of("path", "description");
    /** Enough rounds for any chain of nested types a {@code repeat} can walk through in R4. */
    private static final int REPEAT_TYPE_ROUNDS = 16;

    private final FhirContext fhir;
    private final IWorkerContext worker;
    private final FHIRPathEngine engine;

    ViewCompiler(FhirContext fhir, IWorkerContext worker, FHIRPathEngine engine) {
        this.fhir = fhir;
        this.worker = worker;
        this.engine = engine;
    }

    /** Elements any part of the model may carry that do not change the rows. */
    static boolean isIgnorable(String key) {
        return key.equals("id") || key.equals("extension") || key.startsWith("_");
    }

    CompiledView compile(JsonNode view) {
        if (view == null || !view.isObject()) {
            throw new InvalidViewDefinitionException("A ViewDefinition must be a JSON object");
        }
        String resource = text(view, "resource", "ViewDefinition", true);
        if (!fhir.getResourceTypes().contains(resource)) {
            throw new InvalidViewDefinitionException("resource '" + resource + "' is not a FHIR R4 resource type");
        }
        checkFhirVersion(view.get("fhirVersion"));
        String name = text(view, "name", "ViewDefinition", false);
        if (name != null && !COLUMN_NAME.matcher(name).matches()) {
            throw new InvalidViewDefinitionException("name '" + name
                    + "' must be letters, digits and underscores, starting with a letter (it names a table)");
        }

        Map<String, Constant> constants = ViewConstants.read(view.get("constant"));
        Map<String, String> constantTypes = new LinkedHashMap<>();
        Map<String, Base> constantValues = new LinkedHashMap<>();
        constants.values().forEach(constant -> {
            constantTypes.put(constant.name(), constant.type());
            constantValues.put(constant.name(), constant.value());
        });

        Compilation compilation = new Compilation(resource, new CheckScope(constantTypes));
        TypeDetails resourceType = new TypeDetails(CollectionStatus.SINGLETON, FHIR_TYPE_PREFIX + resource);

        JsonNode selects = view.get("select");
        if (selects == null || !selects.isArray() || selects.isEmpty()) {
            throw new InvalidViewDefinitionException("select is required: a non-empty array of selects");
        }
        List<SelectPlan> children = new ArrayList<>();
        for (int i = 0; i < selects.size(); i++) {
            children.add(compilation.select(selects.get(i), "select[" + i + "]", resourceType));
        }
        SelectPlan root = new SelectPlan(
                "ViewDefinition",
                Iteration.NONE,
                List.of(),
                List.of(),
                children,
                List.of(),
                outputColumns("ViewDefinition", List.of(), children, List.of()));

        List<WherePlan> where = compilation.where(view.get("where"), resourceType);
        return new CompiledView(name, resource, constantValues, where, root);
    }

    private static void checkFhirVersion(JsonNode versions) {
        if (versions == null || versions.isNull()) {
            return;
        }
        if (!versions.isArray()) {
            throw new InvalidViewDefinitionException("fhirVersion must be an array of version codes");
        }
        List<String> listed = new ArrayList<>();
        versions.forEach(version -> listed.add(version.asText()));
        if (listed.stream().noneMatch(version -> version.startsWith("4.0"))) {
            throw new InvalidViewDefinitionException(
                    "fhirVersion " + listed + " does not include FHIR R4 (4.0.1), the version this engine reads");
        }
    }

    /** Compiling one view: its resource type and the types of its constants, for the type checker. */
    private final class Compilation {

        private final String resource;
        private final CheckScope scope;

        Compilation(String resource, CheckScope scope) {
            this.resource = resource;
            this.scope = scope;
        }

        SelectPlan select(JsonNode node, String location, TypeDetails focus) {
            requireObject(node, location);
            checkKeys(node, location, SELECT_KEYS);

            List<String> iterations = SELECT_KEYS.stream()
                    .filter(key -> key.startsWith("forEach") || key.equals("repeat"))
                    .filter(node::has)
                    .sorted()
                    .toList();
            if (iterations.size() > 1) {
                throw new InvalidViewDefinitionException(
                        location + ": has " + String.join(" and ", iterations) + "; a select may have only one");
            }
            Iteration iteration = Iteration.NONE;
            List<CompiledPath> iterationPaths = List.of();
            TypeDetails itemType = focus;
            if (node.has("forEach") || node.has("forEachOrNull")) {
                String key = node.has("forEach") ? "forEach" : "forEachOrNull";
                iteration = key.equals("forEach") ? Iteration.FOR_EACH : Iteration.FOR_EACH_OR_NULL;
                String source = text(node, key, location, true);
                CompiledPath path = parse(source, location + "." + key);
                iterationPaths = List.of(path);
                TypeDetails types = check(path, focus);
                itemType = types == null ? null : types.toSingleton();
            } else if (node.has("repeat")) {
                iteration = Iteration.REPEAT;
                iterationPaths = repeatPaths(node.get("repeat"), location + ".repeat");
                itemType = repeatedType(iterationPaths, focus);
            }

            List<ColumnPlan> columns = new ArrayList<>();
            JsonNode columnNodes = optionalArray(node, "column", location);
            for (int i = 0; i < columnNodes.size(); i++) {
                columns.add(column(columnNodes.get(i), location + ".column[" + i + "]", itemType));
            }
            List<SelectPlan> selects = new ArrayList<>();
            JsonNode selectNodes = optionalArray(node, "select", location);
            for (int i = 0; i < selectNodes.size(); i++) {
                selects.add(select(selectNodes.get(i), location + ".select[" + i + "]", itemType));
            }
            List<SelectPlan> unionAll = new ArrayList<>();
            JsonNode unionNodes = optionalArray(node, "unionAll", location);
            for (int i = 0; i < unionNodes.size(); i++) {
                unionAll.add(select(unionNodes.get(i), location + ".unionAll[" + i + "]", itemType));
            }
            if (columns.isEmpty() && selects.isEmpty() && unionAll.isEmpty()) {
                throw new InvalidViewDefinitionException(location + ": has no column, select or unionAll");
            }
            List<ViewColumn> unionColumns = unionColumns(unionAll, location);
            List<ViewColumn> own = columns.stream().map(ColumnPlan::column).toList();
            return new SelectPlan(
                    location,
                    iteration,
                    iterationPaths,
                    columns,
                    selects,
                    unionAll,
                    outputColumns(location, own, selects, unionColumns));
        }

        ColumnPlan column(JsonNode node, String location, TypeDetails focus) {
            requireObject(node, location);
            checkKeys(node, location, COLUMN_KEYS);
            String name = text(node, "name", location, true);
            String where = location + " '" + name + "'";
            if (!COLUMN_NAME.matcher(name).matches()) {
                throw new InvalidViewDefinitionException(
                        where + ": a column name must be letters, digits and underscores, starting with a letter");
            }
            String source = text(node, "path", where, true);
            JsonNode collectionNode = node.get("collection");
            if (collectionNode != null && !collectionNode.isNull() && !collectionNode.isBoolean()) {
                throw new InvalidViewDefinitionException(where + ": collection must be true or false");
            }
            boolean collection = collectionNode != null && collectionNode.asBoolean();
            String declaredType = declaredType(text(node, "type", where, false), where);
            if (node.has("tag") && !node.get("tag").isArray()) {
                throw new InvalidViewDefinitionException(where + ": tag must be an array");
            }

            CompiledPath path = parse(source, where);
            TypeDetails types = check(path, focus);
            String inferredType = null;
            if (types != null && !types.hasNoTypes()) {
                Set<String> codes = FhirPathTypes.codes(types);
                if (codes.stream().noneMatch(FhirPathTypes::isPrimitive)) {
                    throw new InvalidViewDefinitionException(where + ": path '" + source + "' returns "
                            + describe(types) + ", not a primitive value; select one of its elements");
                }
                inferredType = FhirPathTypes.singleCode(types);
            }
            ViewColumn column = new ViewColumn(name, declaredType != null ? declaredType : inferredType, collection);
            return new ColumnPlan(column, path);
        }

        List<WherePlan> where(JsonNode node, TypeDetails resourceType) {
            List<WherePlan> plans = new ArrayList<>();
            if (node == null || node.isNull()) {
                return plans;
            }
            if (!node.isArray()) {
                throw new InvalidViewDefinitionException("where must be an array");
            }
            for (int i = 0; i < node.size(); i++) {
                String location = "where[" + i + "]";
                JsonNode entry = node.get(i);
                requireObject(entry, location);
                checkKeys(entry, location, WHERE_KEYS);
                String source = text(entry, "path", location, true);
                CompiledPath path = parse(source, location);
                TypeDetails types = check(path, resourceType);
                if (types != null
                        && !types.hasNoTypes()
                        && !FhirPathTypes.codes(types).equals(Set.of("boolean"))) {
                    throw new InvalidViewDefinitionException(location + ": path '" + source + "' returns "
                            + describe(types) + "; a where path must return a boolean");
                }
                plans.add(new WherePlan(path));
            }
            return plans;
        }

        private List<CompiledPath> repeatPaths(JsonNode node, String location) {
            if (!node.isArray() || node.isEmpty()) {
                throw new InvalidViewDefinitionException(
                        location + " must be a non-empty array of FHIRPath expressions");
            }
            List<CompiledPath> paths = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode path = node.get(i);
                if (!path.isTextual()) {
                    throw new InvalidViewDefinitionException(location + "[" + i + "] must be a string");
                }
                paths.add(parse(path.asText(), location + "[" + i + "]"));
            }
            return paths;
        }

        /**
         * The types a {@code repeat} can reach: each expression applied to the focus, then to what that found, until
         * nothing new turns up. An expression need not fit every type reached ({@code answer.item} fits an item, not
         * the QuestionnaireResponse it starts from), nor any: one that fits none reaches nothing, as the
         * specification's suite expects ({@code repeat: ["jurisdiction"]} on a QuestionnaireResponse gives no rows).
         */
        private TypeDetails repeatedType(List<CompiledPath> paths, TypeDetails focus) {
            if (focus == null) {
                return null;
            }
            TypeDetails reached = new TypeDetails(CollectionStatus.ORDERED);
            TypeDetails frontier = focus;
            for (int round = 0; round < REPEAT_TYPE_ROUNDS && !frontier.hasNoTypes(); round++) {
                TypeDetails found = new TypeDetails(CollectionStatus.ORDERED);
                for (CompiledPath path : paths) {
                    try {
                        found = found.union(engine.checkOnTypes(
                                scope, resource, resource, frontier.toSingleton(), path.node(), new ArrayList<>()));
                    } catch (FHIRException e) {
                        // does not fit this type: reaches nothing from it
                    } catch (RuntimeException e) {
                        return null; // the checker cannot say; leave the repeat's types unknown
                    }
                }
                TypeDetails grown = reached.union(found);
                if (grown.getTypes().equals(reached.getTypes())) {
                    break;
                }
                reached = grown;
                frontier = found;
            }
            // reaching nothing, the columns below have no type to check against
            return reached.hasNoTypes() ? null : reached.toSingleton();
        }

        private CompiledPath parse(String source, String location) {
            ExpressionNode path;
            try {
                path = engine.parse(source);
            } catch (FHIRException | IllegalArgumentException | IllegalStateException e) {
                throw new InvalidViewDefinitionException(
                        location + ": '" + source + "' is not valid FHIRPath: " + e.getMessage(), e);
            }
            checkReferenceKeyTypes(path, source, location);
            checkConstants(path, source, location);
            return CompiledPath.of(location, source, path);
        }

        /**
         * The types {@code path} returns on {@code focus}, or null when they cannot be known (an unknown focus, or a
         * construct HAPI's checker does not handle); a path that does not fit the focus is an error.
         */
        private TypeDetails check(CompiledPath path, TypeDetails focus) {
            if (focus == null) {
                return null;
            }
            try {
                return engine.checkOnTypes(scope, resource, resource, focus, path.node(), new ArrayList<>());
            } catch (FHIRException e) {
                throw new InvalidViewDefinitionException(
                        path.location() + ": path '" + path.source() + "' on " + describe(focus) + ": "
                                + e.getMessage(),
                        e);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Every {@code %name} must be a constant of the view, {@code %rowIndex}, or one FHIRPath defines. */
        private void checkConstants(ExpressionNode path, String source, String location) {
            ExpressionTrees.visit(path, node -> {
                if (node.getKind() == Kind.Constant
                        && node.getConstant() instanceof FHIRConstant constant
                        && constant.getValue().startsWith("%")) {
                    String name = constant.getValue().substring(1).replace("`", "");
                    boolean known = scope.constantTypes().containsKey(name)
                            || ViewHostServices.RESERVED_NAMES.contains(name)
                            || name.startsWith("vs-")
                            || name.startsWith("ext-");
                    if (!known) {
                        throw new InvalidViewDefinitionException(location + ": '" + source + "' uses %" + name
                                + ", which is not a constant of the view (constants: "
                                + scope.constantTypes().keySet() + ")");
                    }
                }
            });
        }

        /** {@code getReferenceKey(Patient)} must name an R4 resource type. */
        private void checkReferenceKeyTypes(ExpressionNode path, String source, String location) {
            ExpressionTrees.visit(path, node -> {
                if (node.getKind() == Kind.Function
                        && node.getFunction() == Function.Custom
                        && ViewHostServices.REFERENCE_KEY.equals(node.getName())
                        && !node.getParameters().isEmpty()) {
                    ExpressionNode argument = node.getParameters().get(0);
                    String type =
                            argument.getInner() != null ? argument.getInner().getName() : argument.getName();
                    if (type == null || !fhir.getResourceTypes().contains(type)) {
                        throw new InvalidViewDefinitionException(location + ": '" + source + "': getReferenceKey("
                                + argument + ") must name a FHIR R4 resource type");
                    }
                }
            });
        }
    }

    /** Relative type codes are FHIR's; an absolute one must be FHIR's too. Only primitive types fit a column. */
    private String declaredType(String type, String location) {
        if (type == null) {
            return null;
        }
        String code = type.startsWith(FHIR_TYPE_PREFIX) ? type.substring(FHIR_TYPE_PREFIX.length()) : type;
        if (worker.fetchTypeDefinition(code) == null) {
            throw new InvalidViewDefinitionException(location + ": type '" + type + "' is not a FHIR R4 type");
        }
        if (!FhirPathTypes.isPrimitive(code)) {
            throw new InvalidViewDefinitionException(
                    location + ": type '" + type + "' is not a primitive type; a column holds primitive values");
        }
        return code;
    }

    /**
     * A select's columns: its own, then each nested select's, then its unionAll's; a name may appear only once in
     * the view.
     */
    private static List<ViewColumn> outputColumns(
            String location, List<ViewColumn> own, List<SelectPlan> selects, List<ViewColumn> unionColumns) {
        List<ViewColumn> all = new ArrayList<>(own);
        selects.forEach(select -> all.addAll(select.outputColumns()));
        all.addAll(unionColumns);
        Set<String> seen = new HashSet<>();
        for (ViewColumn column : all) {
            if (!seen.add(column.name())) {
                throw new InvalidViewDefinitionException(
                        location + ": column '" + column.name() + "' is defined more than once in the view");
            }
        }
        return List.copyOf(all);
    }

    /** Every unionAll branch must give the same columns in the same order; they become the union's columns. */
    private static List<ViewColumn> unionColumns(List<SelectPlan> branches, String location) {
        if (branches.isEmpty()) {
            return List.of();
        }
        List<ViewColumn> first = branches.get(0).outputColumns();
        List<String> names = first.stream().map(ViewColumn::name).toList();
        List<ViewColumn> merged = new ArrayList<>(first);
        for (int b = 1; b < branches.size(); b++) {
            List<ViewColumn> other = branches.get(b).outputColumns();
            List<String> otherNames = other.stream().map(ViewColumn::name).toList();
            if (!otherNames.equals(names)) {
                throw new InvalidViewDefinitionException(location + ".unionAll[" + b + "]: its columns " + otherNames
                        + " differ from unionAll[0]'s " + names
                        + "; every branch must have the same columns in the same order");
            }
            for (int c = 0; c < merged.size(); c++) {
                ViewColumn column = merged.get(c);
                ViewColumn branchColumn = other.get(c);
                if (column.collection() != branchColumn.collection()) {
                    throw new InvalidViewDefinitionException(location + ".unionAll[" + b + "]: column '" + column.name()
                            + "' is a collection in some branches only");
                }
                if (!Objects.equals(column.type(), branchColumn.type())) {
                    merged.set(c, new ViewColumn(column.name(), null, column.collection()));
                }
            }
        }
        return merged;
    }

    private static String describe(TypeDetails types) {
        List<String> codes = types.getTypes().stream()
                .map(url -> Objects.requireNonNullElse(FhirPathTypes.code(url), url.substring(url.indexOf('#') + 1)))
                .sorted()
                .toList();
        String joined = codes.size() == 1 ? codes.get(0) : String.join(" or ", codes);
        return types.getCollectionStatus() == CollectionStatus.SINGLETON ? joined : "a collection of " + joined;
    }

    private static void requireObject(JsonNode node, String location) {
        if (node == null || !node.isObject()) {
            throw new InvalidViewDefinitionException(location + " must be an object");
        }
    }

    private static void checkKeys(JsonNode node, String location, Set<String> allowed) {
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!allowed.contains(key) && !isIgnorable(key)) {
                throw new InvalidViewDefinitionException(location + ": unknown element '" + key + "'");
            }
        }
    }

    private static JsonNode optionalArray(JsonNode node, String key, String location) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw new InvalidViewDefinitionException(location + "." + key + " must be an array");
        }
        return value;
    }

    private static String text(JsonNode node, String key, String location, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidViewDefinitionException(location + ": " + key + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidViewDefinitionException(location + ": " + key + " must be a string, not " + value);
        }
        return value.asText();
    }
}
