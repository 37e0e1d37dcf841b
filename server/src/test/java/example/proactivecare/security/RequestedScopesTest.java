package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

class RequestedScopesTest {

    @Nested
    class AResourceScope {

        @Test
        void isCoveredByARegisteredScopeOfTheSameContextForEveryTypeWithAtLeastItsPermissions() {
            List<String> registered = List.of("patient/*.cruds", "user/Encounter.rs");

            assertThat(RequestedScopes.covered("patient/Observation.rs", registered))
                    .isTrue();
            assertThat(RequestedScopes.covered("patient/Patient.read", registered))
                    .isTrue();
            assertThat(RequestedScopes.covered("patient/*.write", registered)).isTrue();
            assertThat(RequestedScopes.covered("user/Encounter.s", registered)).isTrue();
        }

        @Test
        void isNotCoveredByAnotherContextTypeOrFewerPermissions() {
            List<String> registered = List.of("patient/*.rs", "user/Encounter.rs");

            assertThat(RequestedScopes.covered("user/Observation.rs", registered))
                    .isFalse();
            assertThat(RequestedScopes.covered("system/Encounter.rs", registered))
                    .isFalse();
            assertThat(RequestedScopes.covered("patient/Observation.c", registered))
                    .isFalse();
            assertThat(RequestedScopes.covered("patient/*.write", registered)).isFalse();
            assertThat(RequestedScopes.covered("user/*.rs", registered)).isFalse();
        }

        @Test
        void withAQueryMustBeRegisteredAsItIsAsked() {
            assertThat(RequestedScopes.covered(
                            "patient/Observation.rs?category=laboratory", List.of("patient/*.cruds")))
                    .isFalse();
            assertThat(RequestedScopes.covered(
                            "patient/Observation.rs?category=laboratory",
                            List.of("patient/Observation.rs?category=laboratory")))
                    .isTrue();
        }
    }

    @Nested
    class AnotherScope {

        @Test
        void mustBeRegisteredAsItIsAsked() {
            List<String> registered = List.of("openid", "launch/patient", "patient/*.cruds");

            assertThat(RequestedScopes.covered("openid", registered)).isTrue();
            assertThat(RequestedScopes.covered("fhirUser", registered)).isFalse();
            assertThat(RequestedScopes.covered("launch", registered)).isFalse();
            assertThat(RequestedScopes.covered("offline_access", registered)).isFalse();
        }
    }

    @Nested
    class AWidenedClient {

        private final RegisteredClient client = RegisteredClient.withId("1")
                .clientId("app")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("system/*.rs")
                .build();

        @Test
        void gainsOnlyTheRequestedScopesItsRegisteredOnesCover() {
            RegisteredClient widened =
                    RequestedScopes.widened(client, List.of("system/Patient.rs", "system/Group.c", "openid"));

            assertThat(widened.getScopes()).containsExactlyInAnyOrder("system/*.rs", "system/Patient.rs");
        }

        @Test
        void isTheSameClientWhenItAsksForNothingNew() {
            assertThat(RequestedScopes.widened(client, List.of("system/*.rs"))).isSameAs(client);
        }
    }
}
