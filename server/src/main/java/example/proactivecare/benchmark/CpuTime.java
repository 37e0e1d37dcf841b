package example.proactivecare.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The processor time a benchmarked server has used so far, read from Linux's {@code /proc}: its JVM (every thread:
 * request threads, JIT compilers, garbage collector), and its PostgreSQL (the postmaster, its live backends and the
 * backends it has reaped).
 *
 * <p>Two samples taken around a step give the step's CPU seconds; on a machine of {@code n} cores the step cannot take
 * less wall time than their sum over {@code n}, however its work were spread.
 */
record CpuTime(double serverSeconds, double postgresSeconds) {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture this runs on. */
    static final double TICKS_PER_SECOND = 100;

    /** The CPU used between {@code before} and this sample. */
    CpuTime since(CpuTime before) {
        return new CpuTime(serverSeconds - before.serverSeconds, postgresSeconds - before.postgresSeconds);
    }

    double totalSeconds() {
        return serverSeconds + postgresSeconds;
    }

    /**
     * A sample of the server process and of the PostgreSQL whose data folder is {@code postgresData} (its {@code
     * postmaster.pid} names the postmaster); empty where {@code /proc} cannot be read (not Linux).
     */
    static Optional<CpuTime> sample(ProcessHandle server, Path postgresData) {
        try {
            Optional<Long> postmaster = postmaster(postgresData);
            if (postmaster.isEmpty()) {
                return Optional.empty();
            }
            long postgresTicks = ticks(postmaster.get(), true);
            for (ProcessHandle backend : ProcessHandle.of(postmaster.get())
                    .map(p -> p.descendants().toList())
                    .orElse(List.of())) {
                postgresTicks += ticksOrZero(backend.pid());
            }
            return Optional.of(
                    new CpuTime(ticks(server.pid(), false) / TICKS_PER_SECOND, postgresTicks / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The postmaster's process id: the first line of {@code postmaster.pid}. */
    static Optional<Long> postmaster(Path postgresData) throws IOException {
        Path pidFile = postgresData.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return Optional.empty();
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                .findFirst()
                .orElse("")
                .trim();
        return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
    }

    private static long ticksOrZero(long pid) {
        try {
            return ticks(pid, false);
        } catch (IOException | RuntimeException gone) {
            // a backend that ended since the postmaster was read is left out of this sample (a window of microseconds)
            return 0;
        }
    }

    private static long ticks(long pid, boolean withReapedChildren) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return ticks(stat, withReapedChildren);
    }

    /**
     * User and system time from one {@code /proc/[pid]/stat} line (fields 14 and 15, and with {@code
     * withReapedChildren} fields 16 and 17, the children waited for); the command name in parentheses may hold spaces.
     */
    static long ticks(String stat, boolean withReapedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): field n is fields[n - 3]
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }
}
