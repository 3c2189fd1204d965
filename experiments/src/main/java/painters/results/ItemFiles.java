package painters.results;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A study's per-item outputs: {@code items/<task>.jsonl} beside {@code results.jsonl}, one line per scored item of
 * each cell ({@code "cell"}, {@code "task"}, {@code "doc_id"} 0..n-1 in the task's item order, then the scoring
 * fields of {@link painters.eval.metric.ItemScores}: a head's {@code gold} and {@code pred}, or per-metric values as
 * lm-eval's {@code --log_samples} writes them, with each choice's log-likelihood). A researcher can compare them
 * item by item with another tool; the study's report recomputes paired errors from them. A published study keeps
 * them gzipped ({@code <task>.jsonl.gz}), read the same way.
 */
public final class ItemFiles {

    public static final String DIR = "items";

    private static final Pattern TASK = Pattern.compile("[A-Za-z0-9._-]+");

    private ItemFiles() {}

    /** Whether {@code task} can name an items file ({@link #file}). */
    public static boolean names(String task) {
        return TASK.matcher(task).matches();
    }

    /** {@code <studyDir>/items/<task>.jsonl}. */
    public static Path file(Path studyDir, String task) {
        if (!TASK.matcher(task).matches()) {
            throw new IllegalArgumentException("task name \"" + task + "\" cannot name an items file");
        }
        return studyDir.resolve(DIR).resolve(task + ".jsonl");
    }

    static String task(JsonObject item) {
        if (!item.has("task") || !item.has("doc_id")) {
            throw new IllegalArgumentException("an item output needs \"task\" and \"doc_id\": " + item);
        }
        return item.get("task").getAsString();
    }

    /**
     * Opens {@code file} for appending, first cutting a partial last line (a write interrupted by a kill), so the
     * next cell's lines start on a line of their own.
     */
    static FileChannel openForAppend(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = ch.size();
        if (size > 0) {
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
            }
        }
        ch.position(ch.size());
        return ch;
    }

    /**
     * The items of every cell in {@code items/<task>.jsonl} (empty when the file is absent): per cell its last
     * complete copy (a block of lines with doc_id 0, 1, ..., as one write stored them; a copy cut short by a kill
     * is superseded by the rerun's). A line that is not JSON is an error naming the file and line.
     */
    public static Map<String, List<JsonObject>> read(Path studyDir, String task) throws IOException {
        Path f = file(studyDir, task);
        Path gz = f.resolveSibling(f.getFileName() + ".gz");
        Map<String, List<JsonObject>> out = new LinkedHashMap<>();
        if (!Files.exists(f) && Files.exists(gz)) {
            f = gz;                                 // a published study keeps its items compressed
        } else if (!Files.exists(f)) {
            return out;
        }
        String cell = null;
        List<JsonObject> block = null;
        int lineNo = 0;
        try (var lines = new BufferedReader(new InputStreamReader(f.getFileName().toString()
                .endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o;
                try {
                    o = JsonParser.parseString(line).getAsJsonObject();
                } catch (JsonParseException | IllegalStateException e) {
                    throw new IOException(f + ":" + lineNo + ": not an item output: " + e.getMessage(), e);
                }
                if (!o.has("cell") || !o.has("doc_id")) {
                    throw new IOException(f + ":" + lineNo + ": an item output needs \"cell\" and \"doc_id\"");
                }
                String c = o.get("cell").getAsString();
                int doc = o.get("doc_id").getAsInt();
                if (doc == 0 || !c.equals(cell) || block == null || doc != block.size()) {
                    if (doc != 0) {
                        block = null;             // a fragment (its start was cut): belongs to no copy
                        cell = c;
                        continue;
                    }
                    block = new ArrayList<>();
                    cell = c;
                    out.put(c, block);            // a later copy of the cell replaces an earlier one
                }
                block.add(o);
            }
        }
        return out;
    }
}
