package painters.eval.lm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.model.UserInputException;
import painters.model.io.Utf8Text;

/** Reads JSONL and plain-text task files; every error names the file and line. */
public final class JsonLines {

    /** One non-empty line of a JSONL file. */
    public record Row(Path file, int line, JsonObject json) {
        /** {@code file:line} for messages. */
        public String where() {
            return file + ":" + line;
        }

        /** A required string field. */
        public String string(String key) {
            JsonElement e = json.get(key);
            if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
                throw bad("missing or non-string field \"" + key + "\"");
            }
            return e.getAsString();
        }

        /** A required integer field (a JSON number or a numeric string). */
        public int integer(String key) {
            String s = string(key);
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException ex) {
                throw bad("field \"" + key + "\" is not an integer: \"" + s + "\"");
            }
        }

        /** A required array of strings. */
        public List<String> strings(String key) {
            JsonElement e = json.get(key);
            if (e == null || !e.isJsonArray()) {
                throw bad("missing or non-array field \"" + key + "\"");
            }
            List<String> out = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) {
                if (!x.isJsonPrimitive()) {
                    throw bad("field \"" + key + "\" has a non-string element " + x);
                }
                out.add(x.getAsString());
            }
            return out;
        }

        public IllegalArgumentException bad(String why) {
            return new UserInputException(where() + ": " + why);
        }
    }

    private JsonLines() {}

    /** All non-empty lines of {@code file} as JSON objects. */
    public static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) {
                continue;
            }
            try {
                JsonElement e = JsonParser.parseString(l);
                if (!e.isJsonObject()) {
                    throw new UserInputException(file + ":" + (i + 1) + ": not a JSON object");
                }
                rows.add(new Row(file, i + 1, e.getAsJsonObject()));
            } catch (JsonParseException e) {
                throw new UserInputException(file + ":" + (i + 1) + ": invalid JSON: " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** The lines of a UTF-8 text file; a missing file is an error naming it. */
    public static List<String> lines(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": file not found (give the data folder with --data, "
                    + "laid out as ../shared/data)");
        }
        return Utf8Text.read(file).lines().toList();
    }
}
