package example.proactivecare.population;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long-term conditions and psychosocial factors: the codes of the project's value sets, grouped, with a prevalence by
 * age from {@code conditions.tsv}. A code of the value sets that the file does not list gets a group of its own at
 * {@link #DEFAULT_PREVALENCE}, so a code added to a value set is generated without a change here.
 */
final class ConditionCatalog {

    static final String LTC_VALUE_SET = "long-term-conditions";
    static final String PSYCHOSOCIAL_VALUE_SET = "psychosocial-risk-factors";
    static final double[] DEFAULT_PREVALENCE = {0.0, 0.002, 0.002, 0.002, 0.002};

    /** A group of codes for one condition (for example hypertension), of which a patient has at most one. */
    record Group(
            int index,
            String name,
            boolean psychosocial,
            double[] prevalenceByAgeBand,
            double femaleFactor,
            List<Coding> codes,
            double[] weights) {

        double prevalence(int age, boolean female) {
            int band = age < 18 ? 0 : age < 40 ? 1 : age < 60 ? 2 : age < 75 ? 3 : 4;
            return prevalenceByAgeBand[band] * (female ? femaleFactor : 2 - femaleFactor);
        }
    }

    private final List<Group> groups;
    private final Map<String, Group> byName = new HashMap<>();

    private ConditionCatalog(List<Group> groups) {
        this.groups = List.copyOf(groups);
        groups.forEach(g -> byName.put(g.name(), g));
    }

    List<Group> groups() {
        return groups;
    }

    /** The group of that name, or null if the catalog has none. */
    Group group(String name) {
        return byName.get(name);
    }

    static ConditionCatalog load(Terminology terminology) {
        Map<String, Map<String, Coding>> valueSets = new LinkedHashMap<>();
        for (String id : List.of(LTC_VALUE_SET, PSYCHOSOCIAL_VALUE_SET)) {
            Map<String, Coding> codes = new LinkedHashMap<>();
            terminology.codes(id).forEach(c -> codes.put(c.code(), c));
            valueSets.put(id, codes);
        }
        record GroupLine(String name, String valueSet, double[] prevalence, double femaleFactor) {}
        Map<String, GroupLine> groupLines = new LinkedHashMap<>();
        Map<String, List<Coding>> groupCodes = new LinkedHashMap<>();
        Map<String, List<Double>> groupWeights = new LinkedHashMap<>();
        Map<String, String> used = new HashMap<>();
        for (String[] fields : tsv("conditions.tsv")) {
            switch (fields[0]) {
                case "group" -> {
                    double[] prevalence = new double[5];
                    for (int i = 0; i < 5; i++) {
                        prevalence[i] = Double.parseDouble(fields[3 + i]);
                    }
                    if (!valueSets.containsKey(fields[2])) {
                        throw new IllegalStateException("conditions.tsv: unknown value set " + fields[2]);
                    }
                    groupLines.put(
                            fields[1], new GroupLine(fields[1], fields[2], prevalence, Double.parseDouble(fields[8])));
                }
                case "code" -> {
                    GroupLine group = groupLines.get(fields[1]);
                    if (group == null) {
                        throw new IllegalStateException(
                                "conditions.tsv: code " + fields[2] + " before its group " + fields[1]);
                    }
                    Coding coding = valueSets.get(group.valueSet()).get(fields[2]);
                    if (coding == null) {
                        throw new IllegalStateException("conditions.tsv: code " + fields[2] + " is not in the ValueSet "
                                + group.valueSet() + " (terminology/" + group.valueSet() + ".json)");
                    }
                    if (used.put(group.valueSet() + "|" + fields[2], fields[1]) != null) {
                        throw new IllegalStateException("conditions.tsv: code " + fields[2] + " is listed twice");
                    }
                    groupCodes
                            .computeIfAbsent(fields[1], k -> new ArrayList<>())
                            .add(coding);
                    groupWeights
                            .computeIfAbsent(fields[1], k -> new ArrayList<>())
                            .add(Double.parseDouble(fields[3]));
                }
                default -> throw new IllegalStateException("conditions.tsv: unknown line kind " + fields[0]);
            }
        }
        // codes of the value sets the file does not list: a group each, at the default prevalence
        valueSets.forEach((valueSet, codes) -> codes.values().forEach(coding -> {
            if (!used.containsKey(valueSet + "|" + coding.code())) {
                String name = "code-" + coding.code();
                groupLines.put(name, new GroupLine(name, valueSet, DEFAULT_PREVALENCE, 1.0));
                groupCodes.put(name, new ArrayList<>(List.of(coding)));
                groupWeights.put(name, new ArrayList<>(List.of(1.0)));
            }
        }));
        List<Group> groups = new ArrayList<>();
        for (GroupLine line : groupLines.values()) {
            List<Coding> codes = groupCodes.get(line.name());
            if (codes == null) {
                throw new IllegalStateException("conditions.tsv: group " + line.name() + " has no codes");
            }
            groups.add(new Group(
                    groups.size(),
                    line.name(),
                    line.valueSet().equals(PSYCHOSOCIAL_VALUE_SET),
                    line.prevalence(),
                    line.femaleFactor(),
                    List.copyOf(codes),
                    groupWeights.get(line.name()).stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray()));
        }
        return new ConditionCatalog(groups);
    }

    /** The non-comment, non-blank lines of a tab-separated resource of this package, split on tabs. */
    static List<String[]> tsv(String name) {
        List<String[]> lines = new ArrayList<>();
        try (InputStream in = ConditionCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
