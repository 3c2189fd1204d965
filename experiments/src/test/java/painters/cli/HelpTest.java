package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers -h and --help with its usage (exit 0), before any required argument. */
class HelpTest {

    /** Every command line that names a command: "describe", "bench train", ... (the help command excluded). */
    static List<List<String>> commands() {
        CommandLine root = new CommandLine(new Main());
        List<List<String>> out = new ArrayList<>();
        collect(root, new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
        c.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            out.add(p);
            collect(sub, p, out);
        });
    }

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> all = commands();
        assertTrue(all.size() >= 18, "commands found: " + all);
        assertTrue(all.contains(List.of("bench", "train")) && all.contains(List.of("study")), all.toString());
        for (List<String> c : all) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(c);
                args.add(flag);
                CliTest.Run r = CliTest.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), args + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: painters " + String.join(" ", c)), args + ": " + r.out());
            }
        }
    }

    /** Negative control: an unknown option is still a usage error, not help. */
    @Test
    void anUnknownOptionIsStillAnError() {
        CliTest.Run r = CliTest.run("describe", "--helpme");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--helpme'"), r.err());
    }
}
