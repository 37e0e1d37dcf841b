package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.security.SmartScope.Context;
import example.proactivecare.security.SmartScope.Permission;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SMART scopes, version 1 and 2, as this server reads them. */
class SmartScopeTest {

    @ParameterizedTest(name = "{0} grants {3} on {2} ({1})")
    @CsvSource({
        // v1
        "patient/Observation.read, PATIENT, Observation, rs",
        "user/Encounter.write, USER, Encounter, cud",
        "system/*.read, SYSTEM, *, rs",
        "user/*.*, USER, *, cruds",
        // v2
        "patient/Encounter.rs, PATIENT, Encounter, rs",
        "system/Group.c, SYSTEM, Group, c",
        "user/Patient.cruds, USER, Patient, cruds",
        "system/*.cud, SYSTEM, *, cud",
        "user/MeasureReport.s, USER, MeasureReport, s"
    })
    void aResourceScopeIsReadAsContextTypeAndPermissions(String text, Context context, String type, String letters) {
        SmartScope scope = SmartScope.parse(text).orElseThrow();

        assertThat(scope.context()).isEqualTo(context);
        assertThat(scope.resourceType()).isEqualTo(type);
        EnumSet<Permission> expected = EnumSet.noneOf(Permission.class);
        for (char letter : letters.toCharArray()) {
            expected.add(Permission.of(letter).orElseThrow());
        }
        assertThat(scope.permissions()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is no resource scope this server honours")
    @ValueSource(
            strings = {
                "openid",
                "fhirUser",
                "launch/patient",
                "offline_access",
                "patient/Observation.rs?category=laboratory", // SMART 2 granular: grants nothing here
                "patient/Observation.sr", // letters out of order
                "patient/Observation.rr",
                "patient/Observation.x",
                "patient/Observation.",
                "nurse/Observation.read",
                "patient/.read",
                "patient/Obs-ervation.read"
            })
    void anythingElseIsNoResourceScope(String text) {
        assertThat(SmartScope.parse(text)).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0} allows {2} on {1}: {3}")
    @CsvSource({
        "system/*.rs, Encounter, READ, true",
        "system/*.rs, Encounter, CREATE, false",
        "user/Group.c, Group, CREATE, true",
        "user/Group.c, Patient, CREATE, false",
        "patient/Patient.r, Patient, SEARCH, false"
    })
    void grants(String text, String type, Permission permission, boolean granted) {
        assertThat(SmartScope.parse(text).orElseThrow().grants(type, permission))
                .isEqualTo(granted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user/Encounter.rs", "system/*.cruds", "patient/Group.c"})
    void aVersion2ScopeIsWrittenBackAsItWasRead(String text) {
        assertThat(SmartScope.parse(text).orElseThrow().toString()).isEqualTo(text);
    }
}
