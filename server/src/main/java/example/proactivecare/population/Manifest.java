package example.proactivecare.population;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: the files in load order with their bundle (line) and resource counts, the totals and the
 * options used. The loader reads it to show progress. Nothing in it depends on time or threads, so a run with the same
 * options writes the same manifest.
 */
final class Manifest {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {}

    static void write(Path path, PopulationGenerator.Result result) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("generator", "proactive-care-server generate");
        manifest.put("fhirVersion", "4.0.1");
        manifest.put("format", "NDJSON, one FHIR transaction Bundle a line; every entry a PUT of <Type>/<id>");
        manifest.put("options", options(result.options()));
        manifest.put("practices", result.structure().practices.size());
        manifest.put("pcns", result.structure().pcns.size());
        List<Map<String, Object>> files = new ArrayList<>();
        for (PopulationGenerator.FileResult file : result.files()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.name());
            entry.put("bundles", file.bundles());
            // The organisations' bundles refer to one another (a PCN to its locality, a practice to its PCN): they are
            // loaded one after another. Each patient bundle stands alone, so a practice file's may be posted at once.
            entry.put("inOrder", file.name().equals(PopulationGenerator.ORGANIZATIONS_FILE));
            entry.put("resources", file.totalResources());
            entry.put("resourcesByType", byType(file.resources()));
            files.add(entry);
        }
        manifest.put("files", files);
        manifest.put("totalBundles", result.stats().bundles);
        manifest.put("totalResources", result.stats().totalResources());
        manifest.put("resourcesByType", byType(result.stats().resources));
        Files.writeString(path, JSON.writeValueAsString(manifest) + "\n");
    }

    static Map<String, Object> options(GeneratorOptions options) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("patients", options.patients());
        map.put("seed", options.seed());
        map.put("start", options.start().toString());
        map.put("end", options.end().toString());
        map.put("defectRate", options.defectRate());
        map.put("patientsPerBundle", options.patientsPerBundle());
        return map;
    }

    static Map<String, Long> byType(long[] counts) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (FhirWriter.Type type : FhirWriter.Type.values()) {
            map.put(type.name(), counts[type.ordinal()]);
        }
        return map;
    }
}
