package example.proactivecare.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a load posts, in order: NDJSON files (a transaction bundle per line) or JSON files (one bundle each).
 *
 * @param files the files in load order
 * @param totalResources the resources in all of them, as far as known beforehand (the progress bar's total)
 * @param unit what the progress bar counts
 */
public record LoadPlan(List<LoadFile> files, long totalResources, String unit) {

    public static final String MANIFEST = "manifest.json";

    /** Whether progress counts whole files (Synthea) rather than resources. */
    public boolean countsFiles() {
        return unit.equals("files");
    }

    /**
     * A file to post: NDJSON holds one bundle per line; otherwise the whole file is one bundle. An {@code inOrder}
     * file's bundles may refer to resources of its earlier lines, so they are posted one at a time.
     */
    public record LoadFile(Path path, boolean ndjson, boolean inOrder) {

        public LoadFile(Path path, boolean ndjson) {
            this(path, ndjson, false);
        }

        public String name() {
            return path.getFileName().toString();
        }
    }

    public static LoadPlan of(Path from) throws IOException {
        if (Files.isRegularFile(from)) {
            boolean ndjson = from.getFileName().toString().endsWith(".ndjson");
            return new LoadPlan(List.of(new LoadFile(from, ndjson)), countResources(from), "resources");
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
        long total = 0;
        for (JsonNode file : manifest.path("files")) {
            Path path = from.resolve(file.path("file").asText());
            if (!Files.exists(path)) {
                throw new IllegalStateException("the manifest lists " + path + ", which is missing");
            }
            files.add(new LoadFile(path, true, file.path("inOrder").asBoolean(false)));
            total += file.path("resources").asLong();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException(manifestFile + " lists no files");
        }
        return new LoadPlan(files, total, "resources");
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
            files.add(new LoadFile(path, path.getFileName().toString().endsWith(".ndjson")));
        }
        return new LoadPlan(files, files.size(), "files");
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
        List<LoadFile> moved = files.stream()
                .map(f -> new LoadFile(folder.resolve(f.name()), f.ndjson(), f.inOrder()))
                .toList();
        return new LoadPlan(moved, totalResources, unit);
    }

    /** The same plan, limited to some of its files. */
    public LoadPlan only(java.util.function.Predicate<LoadFile> which) throws IOException {
        List<LoadFile> kept = files.stream().filter(which).toList();
        long total = countsFiles() ? kept.size() : 0;
        if (!countsFiles()) {
            for (LoadFile file : kept) {
                total += countResources(file.path());
            }
        }
        return new LoadPlan(kept, total, unit);
    }

    private static long countResources(Path file) throws IOException {
        long count = 0;
        try (var lines = Files.lines(file)) {
            for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                count += Bundles.entryCount(iterator.next());
            }
        }
        return count;
    }
}
