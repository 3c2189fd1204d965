package painters.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Set;
import painters.model.Backend;
import painters.model.DeviceSupport;
import painters.model.ModelFormatException;
import painters.model.UserInputException;
import painters.training.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code painters} command. */
@Command(name = "painters", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Layer-surgery studies on pretrained transformers (DL4J / SameDiff).",
        subcommands = {DescribeCommand.class, EmbedCommand.class, VerifyCommand.class, BenchCommand.class,
                ConvertCommand.class, ExportCommand.class, PretrainCommand.class, AnalyzeCommand.class, EvalCommand.class, StudyCommand.class, GenerateCommand.class, FinetuneCommand.class,
                PlanMemoryCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs a command line and returns its exit code: 0 ok, 1 a failed check or a diverged run, 2 bad usage
     * or input, 3 an internal error. Every failure is one line on stderr naming the file, key or flag;
     * an internal error's stack trace goes to a file that the line names.
     */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        standardHelpEverywhere(cl);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            Throwable e = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
            String msg = message(e);
            if (msg != null) {
                line.getErr().println("painters: " + msg);
                return e instanceof TrainingDivergedException ? 1 : 2;
            }
            line.getErr().println("painters: internal error: " + e + " (stack trace in " + traceFile(e) + ")");
            return 3;
        });
        cl.setExecutionStrategy(parsed -> {
            if (needsDevice(parsed)) {
                try {
                    DeviceSupport.check();
                } catch (IllegalStateException e) {
                    parsed.commandSpec().commandLine().getErr().println("painters: " + e.getMessage());
                    return 2;
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            cl.getErr().println("painters: out of memory (" + firstLine(e) + "); give it more (PAINTERS_MEMORY=SIZE, or "
                    + "PAINTERS_OFFHEAP / PAINTERS_PHYSICAL / -Xmx in PAINTERS_JAVA_OPTS), or lower the batch or sequence "
                    + "length; `painters plan-memory` estimates what a workload needs");
            return 2;
        }
    }

    /** {@code -h/--help} and {@code -V/--version} on every command and subcommand (picocli's standard help options). */
    static void standardHelpEverywhere(CommandLine c) {
        c.getCommandSpec().mixinStandardHelpOptions(true);
        c.getSubcommands().values().forEach(Main::standardHelpEverywhere);
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /**
     * Whether the command line runs ND4J kernels: then the device check runs first (help, version,
     * {@code doctor} and {@code plan-memory} run none).
     */
    private static boolean needsDevice(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
            return false;
        }
        while (p.hasSubcommand()) {
            p = p.subcommand();
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return false;
            }
        }
        String name = p.commandSpec().name();
        return p != parsed && !Set.of("help", "doctor", "plan-memory").contains(name);
    }

    /**
     * The one-line message of an expected failure (input the user gave, a file problem, a diverged run), or null for
     * a bug: any other exception, an {@link IllegalArgumentException} of the JDK or of ND4J's preconditions included.
     */
    static String message(Throwable e) {
        if (e instanceof UserInputException || e instanceof ModelFormatException
                || e instanceof TrainingDivergedException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": not found";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return ((FileSystemException) e).getFile() + ": exists and is not a folder";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be written");
        }
        if (e instanceof IOException) {
            return e.getMessage();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("no kernel image is available")) {
                return "the GPU cannot run this ND4J CUDA build (\"" + c.getMessage().strip() + "\"); `painters doctor` "
                        + "shows each GPU's compute capability and what this build supports";
            }
        }
        return null;
    }

    private static String traceFile(Throwable e) {
        try {
            Path f = Files.createTempFile("painters-error-", ".txt");
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            Files.writeString(f, w.toString());
            return f.toString();
        } catch (IOException | RuntimeException io) {
            return "no file: " + io.getMessage();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"painters " + (v == null ? "dev" : v) + " (DL4J "
                    + Backend.dl4jVersion() + ")"};
        }
    }
}
