package painters.eval.task;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import painters.model.UserInputException;
import painters.model.io.Utf8Text;

/**
 * Reads one split of a task from TSV (GLUE style: quoting off, so stray quotes are text; a UTF-8 BOM
 * is dropped), CSV (RFC 4180 quoting) or JSONL. A malformed row (too few columns, unknown label,
 * unparsable target, empty text, bad JSON) is an error naming file and line, unless the spec says
 * {@code skipBadRows}: then it is counted and reported, never silently dropped.
 */
public final class DatasetReader {

    /**
     * @param examples the rows read
     * @param skipped  where each skipped row was, with the reason ({@code file:line: reason})
     */
    public record Split(List<Example> examples, List<String> skipped) {}

    private DatasetReader() {}

    public static Split read(TaskSpec spec, String splitName) {
        String path = spec.splits().get(splitName);
        if (path == null) {
            throw new UserInputException(spec.name() + ": no split \"" + splitName + "\"");
        }
        if (path.contains("${data}")) {
            throw new UserInputException(spec.name() + ": split \"" + splitName + "\" is under ${data}; "
                    + "give the data folder (--data DIR, e.g. ../shared/data)");
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(spec.name() + ": " + file + " not found");
        }
        try (BufferedReader r = new BufferedReader(new StringReader(Utf8Text.read(file)))) {
            return read(spec, r, file.toString());
        } catch (IOException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
    }

    static Split read(TaskSpec spec, BufferedReader r, String source) throws IOException {
        if (spec.format().equals("csv")) {
            return readCsv(spec, r, source);
        }
        List<Example> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Integer> columns = null;
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String where = source + ":" + n;
            if (spec.header() && columns == null && !spec.format().equals("jsonl")) {
                columns = header(spec, split(spec.format(), line, where), where);
                continue;
            }
            try {
                out.add(row(spec, line, columns, where));
            } catch (BadRow e) {
                if (!spec.skipBadRows()) {
                    throw new UserInputException(where + ": " + e.getMessage() + " (task " + spec.name() + ")");
                }
                skipped.add(where + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new UserInputException(source + ": no rows (task " + spec.name() + ")");
        }
        return new Split(out, skipped);
    }

    /**
     * CSV as RFC 4180 says, through Apache Commons CSV: quoted fields may hold commas, quotes and newlines; errors name
     * the line a record starts on.
     */
    private static Split readCsv(TaskSpec spec, Reader r, String source) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buf = new char[1 << 16];
        for (int k; (k = r.read(buf)) >= 0; ) {
            text.append(buf, 0, k);
        }
        if (text.length() > 0 && text.charAt(0) == '\uFEFF') {
            text.deleteCharAt(0);
        }
        List<Example> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Integer> columns = null;
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setIgnoreEmptyLines(true).build();
        try (CSVParser p = format.parse(new StringReader(text.toString()))) {
            Iterator<CSVRecord> it = p.iterator();
            while (true) {
                long line = p.getCurrentLineNumber() + 1;
                CSVRecord rec;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    rec = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    throw new UserInputException(source + ":" + line + ": malformed CSV (" + why + ") (task "
                            + spec.name() + ")", e);
                }
                List<String> cells = rec.toList();
                if (cells.stream().allMatch(String::isBlank)) {
                    continue;
                }
                String where = source + ":" + line;
                if (spec.header() && columns == null) {
                    columns = header(spec, cells, where);
                    continue;
                }
                try {
                    out.add(row(spec, null, cells, columns, where));
                } catch (BadRow e) {
                    if (!spec.skipBadRows()) {
                        throw new UserInputException(where + ": " + e.getMessage() + " (task " + spec.name() + ")");
                    }
                    skipped.add(where + ": " + e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new UserInputException(source + ": no rows (task " + spec.name() + ")");
        }
        return new Split(out, skipped);
    }

    /** The header's column numbers; every field the spec reads must be there. */
    private static Map<String, Integer> header(TaskSpec spec, List<String> names, String where) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            columns.put(names.get(i).strip(), i);
        }
        for (String f : fields(spec)) {
            if (!columns.containsKey(f)) {
                throw new UserInputException(where + ": header has no column \"" + f + "\" (columns: " + names + ")");
            }
        }
        return columns;
    }

    private static List<String> fields(TaskSpec spec) {
        List<String> f = new ArrayList<>(spec.text());
        f.add(spec.label());
        return f;
    }

    private static Example row(TaskSpec spec, String line, Map<String, Integer> columns, String where) {
        return row(spec, line, spec.format().equals("jsonl") ? null : split(spec.format(), line, where), columns, where);
    }

    /** A row from its JSON line ({@code cells} null) or its cells. */
    private static Example row(TaskSpec spec, String line, List<String> cells, Map<String, Integer> columns,
                               String where) {
        List<String> texts = new ArrayList<>();
        String label;
        if (cells == null) {
            JsonObject o;
            try {
                JsonElement e = JsonParser.parseString(line);
                if (!e.isJsonObject()) {
                    throw new BadRow("not a JSON object");
                }
                o = e.getAsJsonObject();
            } catch (JsonParseException e) {
                throw new BadRow("invalid JSON: " + e.getMessage());
            }
            for (String f : spec.text()) {
                texts.add(jsonField(o, f));
            }
            label = jsonField(o, spec.label());
        } else {
            for (String f : spec.text()) {
                texts.add(cell(cells, f, columns));
            }
            label = cell(cells, spec.label(), columns);
        }
        for (String t : texts) {
            if (t.isBlank()) {
                throw new BadRow("empty text");
            }
        }
        label = label.strip();
        if (spec.kind() == TaskKind.CLASSIFICATION) {
            int id = spec.labels().indexOf(label);
            if (id < 0) {
                throw new BadRow("label \"" + label + "\" is not one of " + spec.labels());
            }
            return new Example(where, texts, id, Double.NaN);
        }
        double v;
        try {
            v = Double.parseDouble(label);
        } catch (NumberFormatException e) {
            throw new BadRow("target \"" + label + "\" is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new BadRow("target \"" + label + "\" is not finite");
        }
        return new Example(where, texts, -1, v);
    }

    private static String jsonField(JsonObject o, String f) {
        JsonElement e = o.get(f);
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            throw new BadRow("missing field \"" + f + "\"");
        }
        String s = e.getAsString();
        if (e.getAsJsonPrimitive().isNumber() && s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return s;
    }

    private static String cell(List<String> cells, String field, Map<String, Integer> columns) {
        int i;
        if (columns != null) {
            i = columns.get(field);
        } else {
            try {
                i = Integer.parseInt(field);
            } catch (NumberFormatException e) {
                throw new UserInputException("field \"" + field + "\" must be a column number (the file has no header)");
            }
        }
        if (i >= cells.size()) {
            throw new BadRow("expected at least " + (i + 1) + " columns, found " + cells.size());
        }
        return cells.get(i);
    }

    /** Splits a TSV line on tabs (no quoting; CSV goes through {@link #readCsv}). */
    static List<String> split(String format, String line, String where) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\t') {
                out.add(line.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** A row that cannot be used; fatal unless the spec skips bad rows. */
    static final class BadRow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRow(String message) {
            super(message);
        }
    }
}
