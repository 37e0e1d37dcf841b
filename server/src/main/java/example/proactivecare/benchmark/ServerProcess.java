package example.proactivecare.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server started from the same jar in its own JVM, on a free port and a data folder of its own. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final URI fhirBase;
    private final long startNanos;
    private final Path log;

    private ServerProcess(Process process, URI fhirBase, long startNanos, Path log) {
        this.process = process;
        this.fhirBase = fhirBase;
        this.startNanos = startNanos;
        this.log = log;
    }

    /**
     * Starts a server.
     *
     * @param jar the server jar (the one this command runs from)
     * @param heap the JVM's maximum heap, the same for every server measured, such as {@code 2g}
     * @param arguments the server's own arguments, such as a Spring profile
     */
    static ServerProcess start(Path jar, String heap, Path dataDir, Path report, Path log, List<String> arguments)
            throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + heap);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.add("--proactivecare.data-dir=" + dataDir.toAbsolutePath());
        command.add("--proactivecare.benchmark.report=" + report.toAbsolutePath());
        // Storage and cohorts are measured, as against plain HAPI, which has no security: no tokens to fetch.
        command.add("--proactivecare.security.enabled=false");
        command.addAll(arguments);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ServerProcess(process, URI.create("http://localhost:" + port + "/fhir"), start, log);
    }

    URI fhirBase() {
        return fhirBase;
    }

    /** The server's JVM process, for its CPU time. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Waits until the CapabilityStatement answers 200; returns the time from process start. */
    Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest metadata = HttpRequest.newBuilder(URI.create(fhirBase + "/metadata"))
                .timeout(Duration.ofSeconds(30))
                .build();
        long deadline = startNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the server stopped while starting (exit " + process.exitValue() + "); see " + log);
            }
            try {
                if (http.send(metadata, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startNanos);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("the server did not answer within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Stops the server the way an operator would (SIGTERM), so that it shuts down cleanly and writes its report. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
