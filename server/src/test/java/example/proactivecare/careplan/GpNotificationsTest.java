package example.proactivecare.careplan;

import static example.proactivecare.careplan.CareRecords.CLINICAL;
import static example.proactivecare.careplan.CareRecords.GP;
import static example.proactivecare.careplan.CareRecords.cohort;
import static example.proactivecare.careplan.CareRecords.member;
import static example.proactivecare.careplan.CareRecords.role;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A GP system subscribes (FHIR R4 rest-hook Subscriptions) to the care plans and tasks of its practice's patients, and
 * is told of each one created or changed: a real HTTP server in the test receives the notifications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpNotificationsTest extends FhirServerTest {

    /** A request the GP system received: the method, the path and the resource sent. */
    record Received(String method, String path, IBaseResource resource) {}

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer gpSystem;

    @BeforeAll
    void startTheGpSystemAndStoreThePractices() throws IOException {
        gpSystem = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        gpSystem.createContext("/gp-system", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        text.isBlank() ? null : FHIR.newJsonParser().parseResource(text)));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gpSystem.start();

        connectClient();
        TestRecords records = new TestRecords();
        records.organization("gp-pcn", null);
        records.organization("gp-practice-ours", "gp-pcn");
        records.organization("gp-practice-other", "gp-pcn");
        records.add(role("prr-gp-ours", "gp-practice-ours", GP, 10));
        records.add(role("prr-gp-other", "gp-practice-other", GP, 10));
        records.patient("gp-ours", "gp-practice-ours", "1948-02-02");
        records.patient("gp-other", "gp-practice-other", "1948-02-02");
        records.add(cohort("gp-cohort", "gp-pcn", member("gp-other", 5, CLINICAL), member("gp-ours", 5, CLINICAL)));
        records.store(client);
    }

    @AfterAll
    void stopTheGpSystem() {
        gpSystem.stop(0);
    }

    @Test
    void aGpSystemIsNotifiedOfThePlansAndTasksOfItsPatientsCreatedOrChanged() throws Exception {
        // given the GP system's subscriptions to the care plans and tasks of its practice's patients
        subscribe("CarePlan?patient.general-practitioner=Organization/gp-practice-ours");
        subscribe("Task?patient.general-practitioner=Organization/gp-practice-ours");

        // when plans are made for a patient of the practice and one of another practice
        client.operation()
                .onInstance("Group/gp-cohort")
                .named("$generate-care-plans")
                .withParameter(Parameters.class, "start", new DateType("2026-02-02"))
                .execute();

        // then it hears of its own patient's plan and its three tasks, and nothing of the other patient's
        List<Received> created = receive(4, Duration.ofSeconds(90));
        assertThat(created).allSatisfy(r -> assertThat(r.method()).isIn("PUT", "POST"));
        assertThat(created)
                .extracting(r -> r.resource().fhirType())
                .containsExactlyInAnyOrder("CarePlan", "Task", "Task", "Task");
        CarePlan plan = created.stream()
                .map(Received::resource)
                .filter(CarePlan.class::isInstance)
                .map(CarePlan.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(plan.getSubject().getReference()).isEqualTo("Patient/gp-ours");
        assertThat(created).filteredOn(r -> r.resource() instanceof Task).allSatisfy(r -> assertThat(
                        ((Task) r.resource()).getFor().getReference())
                .isEqualTo("Patient/gp-ours"));
        assertThat(created.get(0).path()).startsWith("/gp-system/");

        // and when the first check-in is completed, it hears of that change and of the next check-in
        Task checkIn = created.stream()
                .map(Received::resource)
                .filter(Task.class::isInstance)
                .map(Task.class::cast)
                .filter(t -> t.getCode().getCodingFirstRep().getCode().equals("check-in"))
                .findFirst()
                .orElseThrow();
        checkIn = client.read()
                .resource(Task.class)
                .withId(checkIn.getIdElement().toUnqualifiedVersionless())
                .execute();
        checkIn.setStatus(Task.TaskStatus.COMPLETED);
        checkIn.addOutput()
                .setType(new CodeableConcept().setText("Check-in note"))
                .setValue(new StringType("Doing well"));
        client.update().resource(checkIn).execute();

        List<Received> changed = receive(3, Duration.ofSeconds(90));
        assertThat(changed)
                .extracting(r -> r.resource().fhirType())
                .containsExactlyInAnyOrder("Task", "Task", "CarePlan");
        assertThat(changed)
                .filteredOn(r -> r.resource() instanceof Task)
                .extracting(r -> ((Task) r.resource()).getStatus())
                .containsExactlyInAnyOrder(Task.TaskStatus.COMPLETED, Task.TaskStatus.REQUESTED);
        assertThat(received.poll(3, TimeUnit.SECONDS)).as("nothing more").isNull();
    }

    /** Creates a rest-hook Subscription to the GP system's endpoint and waits until the server has activated it. */
    private void subscribe(String criteria) throws InterruptedException {
        Subscription subscription = new Subscription()
                .setStatus(Subscription.SubscriptionStatus.REQUESTED)
                .setReason("GP system: proactive care of the practice's patients")
                .setCriteria(criteria);
        subscription
                .getChannel()
                .setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint("http://localhost:" + gpSystem.getAddress().getPort() + "/gp-system")
                .setPayload("application/fhir+json");
        IIdType id = client.create().resource(subscription).execute().getId().toUnqualifiedVersionless();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Subscription stored =
                    client.read().resource(Subscription.class).withId(id).execute();
            if (stored.getStatus() == Subscription.SubscriptionStatus.ACTIVE) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(id.getValue() + " was not activated");
    }

    private List<Received> receive(int count, Duration timeout) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (all.size() < count) {
            Received next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("received " + all.size() + " notifications of " + count + ": " + all);
            }
            all.add(next);
        }
        return all;
    }
}
