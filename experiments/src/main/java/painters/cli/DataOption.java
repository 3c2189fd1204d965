package painters.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option: the folder task specs and language-model tasks read their files from. */
final class DataOption {

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder for $${data} in task specs and for "
            + "language-model tasks (e.g. ../shared/data).")
    Path data;
}
