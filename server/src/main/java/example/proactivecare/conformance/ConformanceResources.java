package example.proactivecare.conformance;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The project's conformance content (terminology, profiles, mappings) as packaged on the classpath by the conformance
 * modules under {@code conformance/<folder>/<id>.json}, and the example instances of the profiles under
 * {@code conformance/<folder>/examples/<id>.json}.
 */
public final class ConformanceResources {

    public static final String CANONICAL_BASE = "https://proactivecare.example/fhir";
    static final String PATTERN = "classpath*:conformance/*/*.json";
    static final String EXAMPLES_PATTERN = "classpath*:conformance/*/examples/*.json";

    private ConformanceResources() {}

    /** One conformance file: where it came from and what it holds. */
    public record Entry(String folder, String fileName, IBaseResource resource) {}

    /** Reads every conformance file, in a stable order; a file that does not parse fails loudly with its name. */
    public static List<Entry> load(FhirContext fhirContext) {
        return load(fhirContext, PATTERN, 2);
    }

    /** Reads the example instances; their folder is the conformance folder that holds them. */
    public static List<Entry> loadExamples(FhirContext fhirContext) {
        return load(fhirContext, EXAMPLES_PATTERN, 3);
    }

    private static List<Entry> load(FhirContext fhirContext, String pattern, int folderDepth) {
        List<Entry> entries = new ArrayList<>();
        for (ClasspathFile file : read(pattern)) {
            String[] parts = file.url().split("/");
            String folder = parts[parts.length - folderDepth];
            String name = parts[parts.length - 1];
            try {
                entries.add(new Entry(folder, name, fhirContext.newJsonParser().parseResource(file.text())));
            } catch (RuntimeException e) {
                throw new IllegalStateException("Conformance file " + folder + "/" + name + ": " + e.getMessage(), e);
            }
        }
        entries.sort(Comparator.comparing(Entry::folder).thenComparing(Entry::fileName));
        return entries;
    }

    /** A text file on the classpath: where it is, and what it says. */
    public record ClasspathFile(String url, String text) {

        public String fileName() {
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    /** Every classpath file matching a Spring resource pattern ({@code classpath*:...}), read as UTF-8. */
    public static List<ClasspathFile> read(String pattern) {
        try {
            List<ClasspathFile> files = new ArrayList<>();
            for (Resource file : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = file.getInputStream()) {
                    files.add(new ClasspathFile(
                            file.getURL().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
