package painters.cli;

import java.nio.file.Path;
import java.util.List;
import painters.model.UserInputException;
import painters.model.io.Utf8Text;

/** Text input given with {@code --file}: one text per line (strict UTF-8), blank lines ignored. */
final class TextFiles {

    private TextFiles() {}

    /** The non-blank lines of {@code file}, stripped; a file without any is an error naming it. */
    static List<String> lines(Path file) {
        List<String> lines = Utf8Text.read(file).lines().filter(l -> !l.isBlank())
                .map(String::strip).toList();
        if (lines.isEmpty()) {
            throw new UserInputException(file + ": no text lines");
        }
        return lines;
    }
}
