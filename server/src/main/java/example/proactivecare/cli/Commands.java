package example.proactivecare.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The server jar's command-line tools, which run without starting the server: {@code java -jar
 * proactive-care-server.jar <command> [options]}. Anything else starts the server.
 */
public final class Commands {

    private final Map<String, ToIntFunction<String[]>> commands;

    public Commands(Map<String, ToIntFunction<String[]>> commands) {
        this.commands = commands;
    }

    /** The exit status of the named command, or empty when the arguments do not name one. */
    public Optional<Integer> run(String[] args) {
        if (args.length == 0 || !commands.containsKey(args[0])) {
            return Optional.empty();
        }
        return Optional.of(commands.get(args[0]).applyAsInt(Arrays.copyOfRange(args, 1, args.length)));
    }
}
