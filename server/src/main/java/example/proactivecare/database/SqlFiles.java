package example.proactivecare.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A feature's SQL, kept in named {@code .sql} files beside it on the classpath ({@code
 * src/main/resources/<feature package>/<name>.sql}).
 */
public final class SqlFiles {

    private SqlFiles() {}

    /** The text of {@code <name>.sql} in the package of {@code feature}; fails when it is missing. */
    public static String read(Class<?> feature, String name) {
        String path = feature.getPackageName().replace('.', '/') + "/" + name + ".sql";
        try (InputStream in = feature.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The SQL file " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code <name>.sql} exists in the package of {@code feature}. */
    public static boolean exists(Class<?> feature, String name) {
        String path = feature.getPackageName().replace('.', '/') + "/" + name + ".sql";
        return feature.getClassLoader().getResource(path) != null;
    }
}
