package example.proactivecare.database;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import example.proactivecare.ProactiveCareServerApplication;
import example.proactivecare.support.TestAuthorization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded database keeps its data in a folder, so a restarted server still has what was stored. */
class DataSurvivesRestartTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path dataDir;

    @Test
    void aPatientStoredBeforeARestartIsReadableAfterIt() {
        // given a server on a fresh data folder, holding one patient
        IdType stored;
        try (ConfigurableApplicationContext server = start()) {
            Patient patient = new Patient();
            patient.addIdentifier()
                    .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                    .setValue("9434765919");
            stored =
                    (IdType) client(server).create().resource(patient).execute().getId();
        }

        // when the server is started again on the same folder
        try (ConfigurableApplicationContext server = start()) {
            // then the patient is still there
            Patient read = client(server)
                    .read()
                    .resource(Patient.class)
                    .withId(stored.toUnqualifiedVersionless())
                    .execute();
            assertThat(read.getIdentifierFirstRep().getValue()).isEqualTo("9434765919");
        }
    }

    private ConfigurableApplicationContext start() {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--proactivecare.data-dir=" + dataDir,
                "--proactivecare.durable=false",
                "--proactivecare.shared-buffers=128MB",
                "--proactivecare.validation.enabled=false"));
        arguments.addAll(TestAuthorization.arguments());
        return new SpringApplicationBuilder(ProactiveCareServerApplication.class).run(arguments.toArray(String[]::new));
    }

    /** A client with a token from the restarted server's own authorization server (its signing key is new). */
    private static IGenericClient client(ConfigurableApplicationContext server) {
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(
                TestAuthorization.systemToken("http://localhost:" + port, TestAuthorization.DEFAULT_SCOPES)));
        return client;
    }
}
