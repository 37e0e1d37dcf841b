package example.proactivecare.population;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cheap facts about a transaction bundle's JSON text, without parsing it. */
final class Bundles {

    private static final Pattern REQUEST = Pattern.compile("\"request\"\\s*:");

    private Bundles() {}

    /** The number of entries: each transaction entry has exactly one {@code request}. */
    static int entryCount(String bundleJson) {
        Matcher matcher = REQUEST.matcher(bundleJson);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
