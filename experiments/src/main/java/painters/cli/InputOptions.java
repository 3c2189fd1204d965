package painters.cli;

import painters.model.UserInputException;
import picocli.CommandLine.Option;

/** The {@code --batch-size} and {@code --max-length} options of the commands that run texts through a frozen model. */
final class InputOptions {

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per input, truncated (default "
            + "${DEFAULT-VALUE}, as GLUE fine-tuning).")
    int maxLength;

    /** A one-line error naming the option when either is out of range. */
    void check() {
        if (batchSize < 1) {
            throw new UserInputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (maxLength < 2) {
            throw new UserInputException("--max-length must be at least 2 (room for the special tokens), got "
                    + maxLength);
        }
    }
}
