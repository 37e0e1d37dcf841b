package example.proactivecare.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options written {@code --name=value} or {@code --name value}; a bare {@code --name} means {@code
 * true}. Every option a command reads must be one it knows: {@link #checkAllUsed()} rejects the rest, so a typo is
 * an error and not a silent default.
 */
public final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    private Options() {}

    public static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String body = arg.substring(2);
            int equals = body.indexOf('=');
            if (equals >= 0) {
                options.values.put(body.substring(0, equals), body.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.values.put(body, args[++i]);
            } else {
                options.values.put(body, "true");
            }
        }
        return options;
    }

    public String string(String name, String defaultValue) {
        used.add(name);
        return values.getOrDefault(name, defaultValue);
    }

    public boolean has(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    public long number(String name, long defaultValue, long min, long max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }

    public double decimal(String name, double defaultValue, double min, double max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, not '" + value + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + value);
        }
        return parsed;
    }

    public boolean flag(String name) {
        String value = string(name, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new UsageException("--" + name + " is true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public LocalDate date(String name, LocalDate defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--" + name + " must be a date written yyyy-mm-dd, not '" + value + "'");
        }
    }

    public Path path(String name, String defaultValue) {
        return Path.of(string(name, defaultValue));
    }

    public void checkAllUsed() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    /** A mistake in how a command was called: printed with the command's usage, exit status 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
