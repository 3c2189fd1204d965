package painters.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Text input given with {@code --file}: one text per line, blank lines ignored. */
final class TextFiles {

    private TextFiles() {}

    /** The non-blank lines of {@code file}, stripped; a file without any is an error naming it. */
    static List<String> lines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": no text lines");
        }
        return lines;
    }
}
