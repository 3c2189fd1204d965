package painters.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code painters} command. */
@Command(name = "painters", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Layer-surgery studies on pretrained transformers (DL4J / SameDiff).",
        subcommands = {DescribeCommand.class, EmbedCommand.class, VerifyCommand.class, BenchCommand.class,
                ConvertCommand.class, AnalyzeCommand.class, EvalCommand.class, StudyCommand.class, GenerateCommand.class, FinetuneCommand.class,
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

    /** Runs a command line and returns its exit code (0 ok, 1 failed check, 2 bad usage or input). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof painters.model.ModelFormatException || ex instanceof IllegalArgumentException) {
                line.getErr().println("painters: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof painters.training.TrainingDivergedException) {
                line.getErr().println("painters: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"painters " + (v == null ? "dev" : v) + " (DL4J "
                    + painters.model.Backend.dl4jVersion() + ")"};
        }
    }
}
