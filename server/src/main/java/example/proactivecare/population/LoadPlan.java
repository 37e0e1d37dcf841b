package example.proactivecare.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a load posts, in order: NDJSON files (a transaction bundle per line) or JSON files (one bundle each).
 *
 * @param files the files in load order
 * @param countsFiles whether progress counts whole files (Synthea, whose sizes are not known beforehand) rather than
 *     resources
 */
public record LoadPlan(List<LoadFile> files, boolean countsFiles) {

    public static final String MANIFEST = "manifest.json";

    /**
     * A file to post: NDJSON holds one bundle per line; otherwise the whole file is one bundle. An {@code inOrder}
     * file's bundles may refer to resources of its earlier lines, so they are posted one at a time.
     *
     * @param bundles the bundles in it, 0 when not known beforehand
     * @param resources the resources in it, 0 when not known beforehand
     */
    public record LoadFile(Path path, boolean ndjson, boolean inOrder, long bundles, long resources) {

        public String name() {
            return path.getFileName().toString();
        }

        LoadFile in(Path folder) {
            return new LoadFile(folder.resolve(name()), ndjson, inOrder, bundles, resources);
        }
    }

    /** The progress bar's total: resources, or files when their sizes are not known beforehand. */
    public long totalResources() {
        return countsFiles
                ? files.size()
                : files.stream().mapToLong(LoadFile::resources).sum();
    }

    /** What the progress bar counts. */
    public String unit() {
        return countsFiles ? "files" : "resources";
    }

    /** The bundles in all the files, as far as known beforehand. */
    public long totalBundles() {
        return files.stream().mapToLong(LoadFile::bundles).sum();
    }

    public static LoadPlan of(Path from) throws IOException {
        if (Files.isRegularFile(from)) {
            boolean ndjson = from.getFileName().toString().endsWith(".ndjson");
            long bundles = 0;
            long resources = 0;
            try (var lines = Files.lines(from)) {
                for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                    String line = iterator.next();
                    if (!line.isBlank()) {
                        bundles++;
                        resources += Bundles.entryCount(line);
                    }
                }
            }
            return new LoadPlan(List.of(new LoadFile(from, ndjson, false, bundles, resources)), false);
        }
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException("no file or folder " + from);
        }
        Path manifest = from.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            return fromManifest(from, manifest);
        }
        return syntheaFolder(from);
    }

    /** A population written by {@code generate}: files in the manifest's order, totals from the manifest. */
    private static LoadPlan fromManifest(Path from, Path manifestFile) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(manifestFile.toFile());
        List<LoadFile> files = new ArrayList<>();
        for (JsonNode file : manifest.path("files")) {
            Path path = from.resolve(file.path("file").asText());
            if (!Files.exists(path)) {
                throw new IllegalStateException("the manifest lists " + path + ", which is missing");
            }
            files.add(new LoadFile(
                    path,
                    true,
                    file.path("inOrder").asBoolean(false),
                    file.path("bundles").asLong(),
                    file.path("resources").asLong()));
        }
        if (files.isEmpty()) {
            throw new IllegalStateException(manifestFile + " lists no files");
        }
        return new LoadPlan(files, false);
    }

    /**
     * Synthea's FHIR output: the shared organisations and practitioners first (patients' bundles refer to them by
     * conditional reference), then the patients, each file one transaction bundle.
     */
    private static LoadPlan syntheaFolder(Path from) throws IOException {
        List<Path> json;
        try (Stream<Path> listing = Files.list(from)) {
            json = listing.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".json") || name.endsWith(".ndjson");
                    })
                    .sorted(Comparator.comparing(
                                    (Path p) -> loadRank(p.getFileName().toString()))
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
        if (json.isEmpty()) {
            throw new IllegalStateException(from + " holds no manifest.json and no .json or .ndjson bundles");
        }
        List<LoadFile> files = new ArrayList<>();
        for (Path path : json) {
            files.add(new LoadFile(path, path.getFileName().toString().endsWith(".ndjson"), false, 0, 0));
        }
        return new LoadPlan(files, true);
    }

    private static int loadRank(String name) {
        if (name.startsWith("hospitalInformation")) {
            return 0;
        }
        if (name.startsWith("practitionerInformation")) {
            return 1;
        }
        return 2;
    }

    /** The same plan over the same-named files in another folder. */
    public LoadPlan in(Path folder) {
        return new LoadPlan(files.stream().map(f -> f.in(folder)).toList(), countsFiles);
    }

    /** The same plan, limited to some of its files. */
    public LoadPlan only(Predicate<LoadFile> which) {
        return new LoadPlan(files.stream().filter(which).toList(), countsFiles);
    }
}
