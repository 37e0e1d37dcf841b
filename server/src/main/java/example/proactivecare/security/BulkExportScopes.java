package example.proactivecare.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import example.proactivecare.security.SmartScope.Context;
import example.proactivecare.security.SmartScope.Permission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Bulk Data export hands over every resource of the types it exports, so a {@code system/} token must be able to
 * read and search each type named in {@code _type}; without {@code _type} (every type) it needs {@code system/*.rs}.
 */
final class BulkExportScopes {

    private BulkExportScopes() {}

    /** Why the token may not start this export; null when it may. */
    static String refusal(SmartToken token, RequestDetails request) {
        String listed = SmartAuthorizationInterceptor.parameter(request, "_type");
        Set<String> types = new LinkedHashSet<>();
        if (listed == null || listed.isBlank()) {
            types.add(SmartScope.ANY_TYPE);
        } else {
            for (String type : listed.split(",")) {
                if (!type.isBlank()) {
                    types.add(type.trim());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String type : types) {
            if (!token.grants(Context.SYSTEM, type, Permission.READ)
                    || !token.grants(Context.SYSTEM, type, Permission.SEARCH)) {
                missing.add("system/" + type + ".rs");
            }
        }
        return missing.isEmpty()
                ? null
                : "Insufficient scope: $export of these types needs " + String.join(", ", missing);
    }
}
