package painters.results;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a study's {@code results.jsonl} back as typed rows, for the summaries, figures and reports. */
public final class Results {

    /** The results file of a study folder. */
    public static final String FILE = "results.jsonl";

    private Results() {}

    /** Every complete row, in file order (a trailing partial line is ignored; a corrupt line is an error). */
    public static List<ResultRow> read(Path file) throws IOException {
        List<ResultRow> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        int lineNo = 0;
        for (String line : ResultsStore.readRows(file)) {
            lineNo++;
            try {
                out.add(ResultRow.fromJson(JsonParser.parseString(line).getAsJsonObject()));
            } catch (RuntimeException e) {
                throw new IOException(file + ": row " + lineNo + " is not a result row: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
