package example.proactivecare.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar for long command-line work (generating, loading, benchmarking). On a terminal it redraws one line
 * at most five times a second; when the output is a file or a pipe (CI, {@code nohup}) it prints a plain line every
 * ten seconds instead, so logs stay readable.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long total;
    private long done;
    private long skipped;
    private long lastPrintNanos;
    private String detail = "";

    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null);
    }

    public ProgressBar(String label, long total, String unit, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        this.lastPrintNanos = startNanos;
    }

    public synchronized void advance(long amount) {
        done += amount;
        maybePrint();
    }

    /** Work found already done (by an earlier, interrupted run): it moves the bar but not the rate. */
    public synchronized void skip(long amount) {
        done += amount;
        skipped += amount;
        maybePrint();
    }

    /** Extra text shown after the rate, such as the resources stored so far. */
    public synchronized void detail(String text) {
        detail = text;
    }

    public synchronized long done() {
        return done;
    }

    public synchronized double ratePerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : (done - skipped) / seconds;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public synchronized void close() {
        print();
        if (terminal) {
            out.println();
        }
        out.flush();
    }

    private void maybePrint() {
        long now = System.nanoTime();
        if (now - lastPrintNanos >= (terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            lastPrintNanos = now;
            print();
        }
    }

    private void print() {
        String line = render();
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    String render() {
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = ratePerSecond();
        String eta = rate > 0 && total > done ? clock((long) ((total - done) / rate)) : "--:--";
        return String.format(
                Locale.UK,
                "%s [%s%s] %3.0f%% %,d/%,d %s  %s/s  elapsed %s  eta %s%s",
                label,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                fraction * 100,
                done,
                total,
                unit,
                String.format(Locale.UK, rate < 10 ? "%,.1f" : "%,.0f", rate),
                clock(elapsed().toSeconds()),
                eta,
                detail.isEmpty() ? "" : "  " + detail);
    }

    /** A duration as m:ss, or h:mm:ss from an hour. */
    public static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.UK, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.UK, "%d:%02d", seconds / 60, seconds % 60);
    }
}
