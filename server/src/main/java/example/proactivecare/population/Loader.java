package example.proactivecare.population;

import example.proactivecare.cli.ProgressBar;
import example.proactivecare.population.LoadPlan.LoadFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts transaction bundles to a FHIR server, a few at a time, file after file (a file's bundles may refer to
 * resources stored by earlier files, never later ones). Each stored bundle is appended to a progress log, so a run
 * that stops part-way can be resumed: bundles already in the log are skipped.
 */
public final class Loader {

    private static final int RETRIES = 4;

    /**
     * How to load.
     *
     * @param from the population folder or file; the progress log is kept beside it
     * @param limit the most bundles this run posts (the rest wait for the next run)
     */
    public record Settings(
            Path from,
            URI server,
            int threads,
            boolean restart,
            boolean keepGoing,
            String token,
            Duration timeout,
            long limit) {}

    /** What a run did; {@code complete} is false when it stopped early. */
    public record Result(
            long bundles,
            long resources,
            long skippedBundles,
            long failed,
            Duration elapsed,
            boolean complete,
            String stoppedBecause,
            Path errorLog) {

        public double resourcesPerSecond() {
            return resources / Math.max(elapsed.toMillis() / 1000.0, 0.001);
        }

        public String describe() {
            String summary = String.format(
                    Locale.UK,
                    "load: stored %,d bundles (%,d resources) in %s: %,.0f resources/s",
                    bundles,
                    resources,
                    ProgressBar.clock(elapsed.toSeconds()),
                    resourcesPerSecond());
            if (skippedBundles > 0) {
                summary +=
                        String.format(Locale.UK, "; %,d bundles were already stored by an earlier run", skippedBundles);
            }
            if (failed > 0) {
                summary += String.format(Locale.UK, "; %,d bundles rejected, see %s", failed, errorLog);
            }
            if (!complete) {
                summary += "\nload: stopped: " + stoppedBecause + "; run the same command again to resume";
            }
            return summary;
        }
    }

    private final Settings settings;
    private final LoadPlan plan;
    private final ProgressBar bar;
    private final HttpClient http;
    private final AtomicLong bundles = new AtomicLong();
    private final AtomicLong resources = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> stop = new AtomicReference<>();
    private long submitted;
    private BufferedWriter progress;

    public Loader(Settings settings, LoadPlan plan, ProgressBar bar) {
        this.settings = settings;
        this.plan = plan;
        this.bar = bar;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public Result run() throws IOException, InterruptedException {
        Path progressLog = LoadCommand.progressLog(settings.from());
        if (settings.restart()) {
            Files.deleteIfExists(progressLog);
        }
        Set<String> done = readProgress(progressLog);
        long skipped = 0;
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        Semaphore inFlight = new Semaphore(settings.threads() * 2);
        try (BufferedWriter log = Files.newBufferedWriter(
                progressLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            this.progress = log;
            for (LoadFile file : plan.files()) {
                if (stop.get() != null || submitted >= settings.limit()) {
                    break;
                }
                skipped += post(file, done, pool, inFlight);
                // the next file may refer to what this one stores
                inFlight.acquire(settings.threads() * 2);
                inFlight.release(settings.threads() * 2);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(settings.timeout().toSeconds() + 60, TimeUnit.SECONDS);
        }
        return new Result(
                bundles.get(),
                resources.get(),
                skipped,
                failed.get(),
                Duration.between(start, Instant.now()),
                stop.get() == null,
                stop.get(),
                LoadCommand.errorLog(settings.from()));
    }

    /** Submits a file's bundles; returns how many it skipped as already stored. */
    private long post(LoadFile file, Set<String> done, ExecutorService pool, Semaphore inFlight)
            throws IOException, InterruptedException {
        long skipped = 0;
        if (!file.ndjson()) {
            String key = file.name();
            if (done.contains(key)) {
                bar.skip(1);
                return 1;
            }
            String body = Files.readString(file.path());
            submitted++;
            inFlight.acquire();
            pool.execute(() -> postOne(key, body, inFlight));
            return 0;
        }
        try (BufferedReader reader = Files.newBufferedReader(file.path(), StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null && stop.get() == null && submitted < settings.limit()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String key = file.name() + "\t" + number;
                if (done.contains(key)) {
                    skipped++;
                    bar.skip(plan.countsFiles() ? 0 : Bundles.entryCount(line));
                    continue;
                }
                String body = line;
                submitted++;
                inFlight.acquire();
                if (file.inOrder()) {
                    postOne(key, body, inFlight);
                } else {
                    pool.execute(() -> postOne(key, body, inFlight));
                }
            }
        }
        if (plan.countsFiles()) {
            bar.advance(1);
        }
        return skipped;
    }

    private void postOne(String key, String body, Semaphore inFlight) {
        try {
            if (stop.get() != null) {
                return;
            }
            HttpResponse<String> response = send(body);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                int entries = Bundles.entryCount(body);
                bundles.incrementAndGet();
                resources.addAndGet(entries);
                recordDone(key);
                if (!plan.countsFiles()) {
                    bar.advance(entries);
                } else if (!key.contains("\t")) {
                    bar.advance(1);
                }
                bar.detail(String.format(Locale.UK, "%,d resources stored", resources.get()));
            } else {
                failed.incrementAndGet();
                recordError(key, status, response.body());
                if (!settings.keepGoing()) {
                    stop.compareAndSet(null, "the server rejected " + key.replace('\t', ':') + " with " + status);
                }
            }
        } catch (IOException e) {
            stop.compareAndSet(null, "could not reach " + settings.server() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.compareAndSet(null, "interrupted");
        } finally {
            inFlight.release();
        }
    }

    /** Posts a bundle, retrying when the server is unreachable or answers 5xx (it may be restarting). */
    private HttpResponse<String> send(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.server())
                .timeout(settings.timeout())
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        IOException lastError = null;
        HttpResponse<String> response = null;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (attempt > 0) {
                Thread.sleep(1000L << attempt);
            }
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    return response;
                }
            } catch (IOException e) {
                lastError = e;
            }
        }
        if (response != null) {
            return response;
        }
        throw lastError;
    }

    private synchronized void recordDone(String key) {
        try {
            progress.write(key);
            progress.newLine();
            progress.flush();
        } catch (IOException e) {
            stop.compareAndSet(null, "could not write the progress log: " + e.getMessage());
        }
    }

    private synchronized void recordError(String key, int status, String body) throws IOException {
        Files.writeString(
                LoadCommand.errorLog(settings.from()),
                key.replace('\t', ':') + " HTTP " + status + " " + body.replace('\n', ' ') + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Set<String> readProgress(Path log) throws IOException {
        Set<String> done = new HashSet<>();
        if (Files.exists(log)) {
            try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
                lines.filter(l -> !l.isBlank()).forEach(done::add);
            }
        }
        return done;
    }
}
