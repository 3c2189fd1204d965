package painters.results;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;
import painters.model.io.AtomicFiles;

/**
 * The study's {@code results.jsonl}: one JSON row per (model, plan, task, seed, metric). A cell's rows
 * are appended with one write and forced to disk; each row says which cell it belongs to and how
 * many rows the cell has ({@code cell_rows}), so a run killed at any moment (SIGKILL included) leaves
 * at most one incomplete cell at the end, which {@link #open} removes. A restarted run therefore
 * ends with every cell exactly once.
 */
public final class ResultsStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultsStore.class);

    private final Path file;
    private final FileChannel channel;
    private final Set<String> done;

    private ResultsStore(Path file, FileChannel channel, Set<String> done) {
        this.file = file;
        this.channel = channel;
        this.done = done;
    }

    /**
     * Opens (creating if needed) and repairs the file. A trailing partial line and the rows of an
     * incomplete cell (fewer distinct rows than its {@code cell_rows}: a run killed while writing it) are
     * dropped; a complete cell is never dropped: rows written twice (two runs of one study) collapse to
     * one copy when they are equal apart from their timestamp, and a cell whose copies disagree stops
     * the run with the cell and its lines named. Before any rewrite the file is copied to
     * {@code results.jsonl.bak-<time>}.
     */
    public static ResultsStore open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Set<String> done = new HashSet<>();
        if (Files.exists(file)) {
            List<String> rows = readRows(file);
            Map<String, Map<String, Integer>> distinct = new LinkedHashMap<>();   // cell -> row content -> first line
            Map<String, Integer> expected = new HashMap<>();
            Map<String, Integer> count = new HashMap<>();
            for (int line = 0; line < rows.size(); line++) {
                JsonObject o = JsonParser.parseString(rows.get(line)).getAsJsonObject();
                String cell = o.get("cell").getAsString();
                expected.put(cell, o.get("cell_rows").getAsInt());
                count.merge(cell, 1, Integer::sum);
                distinct.computeIfAbsent(cell, k -> new LinkedHashMap<>()).putIfAbsent(content(o), line);
            }
            Set<Integer> keep = new HashSet<>();
            int incomplete = 0;
            int incompleteRows = 0;
            for (Map.Entry<String, Map<String, Integer>> e : distinct.entrySet()) {
                int want = expected.get(e.getKey());
                int have = e.getValue().size();
                if (have > want) {
                    throw new UserInputException(file + ": cell \"" + e.getKey() + "\" was stored more than once "
                            + "with different values (lines " + e.getValue().values().stream().map(l -> l + 1).toList()
                            + "): two runs computed it differently; nothing was changed. Keep one copy by hand, or start "
                            + "a new study name (--name=...)");
                }
                if (have == want) {
                    keep.addAll(e.getValue().values());
                    done.add(e.getKey());
                } else {
                    incomplete++;
                    incompleteRows += count.get(e.getKey());
                }
            }
            StringBuilder kept = new StringBuilder();
            for (int line = 0; line < rows.size(); line++) {
                if (keep.contains(line)) {
                    kept.append(rows.get(line)).append('\n');
                }
            }
            long size = Files.size(file);
            byte[] keptBytes = kept.toString().getBytes(StandardCharsets.UTF_8);
            if (keptBytes.length != size) {
                Path backup = file.resolveSibling(file.getFileName() + ".bak-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
                log.warn("{}: kept the {} complete cells; dropped {} rows of {} interrupted cells, {} repeated rows of "
                        + "complete cells and any partial last line; the file as it was is in {}", file, done.size(),
                        incompleteRows, incomplete, rows.size() - keep.size() - incompleteRows, backup.getFileName());
                AtomicFiles.write(file, keptBytes);
            }
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new ResultsStore(file, ch, done);
    }

    /** A row's content for comparing copies: every field but the time it was written. */
    private static String content(JsonObject o) {
        JsonObject c = o.deepCopy();
        c.remove("timestamp");
        return c.toString();
    }

    /** Complete rows of a results file (a trailing partial line is ignored; a corrupt middle line is an error). */
    public static List<String> readRows(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                break;   // no newline: a partial last line from an interrupted write
            }
            lineNo++;
            String line = text.substring(start, nl);
            if (!line.isBlank()) {
                try {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    if (!o.has("cell") || !o.has("cell_rows")) {
                        throw new JsonParseException("no cell / cell_rows");
                    }
                } catch (JsonParseException | IllegalStateException e) {
                    throw new IOException(file + ":" + lineNo + ": not a result row: " + e.getMessage(), e);
                }
                rows.add(line);
            }
            start = nl + 1;
        }
        return rows;
    }

    public synchronized boolean isDone(String cellKey) {
        return done.contains(cellKey);
    }

    public synchronized int doneCount() {
        return done.size();
    }

    /** Appends all rows of one cell in one write and forces them to disk. */
    public synchronized void append(String cellKey, List<ResultRow> rows) throws IOException {
        append(cellKey, rows, List.of());
    }

    /**
     * Appends one cell's per-item outputs to {@code items/<task>.jsonl} beside the results file (each line gets the
     * cell's key), forced to disk, and then its rows, as {@link #append(String, List)}: the rows say the cell is done,
     * so a cell whose items are on disk but whose rows are not is computed again and its items written again (the
     * reader keeps the last copy).
     */
    public synchronized void append(String cellKey, List<ResultRow> rows, List<JsonObject> items) throws IOException {
        if (!items.isEmpty() && !done.contains(cellKey)) {
            Map<String, StringBuilder> byTask = new LinkedHashMap<>();
            for (JsonObject item : items) {
                JsonObject o = new JsonObject();
                o.addProperty("cell", cellKey);
                item.entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
                byTask.computeIfAbsent(ItemFiles.task(o), k -> new StringBuilder()).append(o).append('\n');
            }
            for (Map.Entry<String, StringBuilder> e : byTask.entrySet()) {
                FileChannel ch = itemChannels.computeIfAbsent(e.getKey(), this::openItems);
                ByteBuffer b = ByteBuffer.wrap(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(false);
            }
        }
        if (done.contains(cellKey)) {
            throw new IllegalStateException("cell already stored: " + cellKey);
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("cell " + cellKey + " has no rows");
        }
        StringBuilder sb = new StringBuilder();
        for (ResultRow row : rows) {
            JsonObject r = row.toJson();
            r.addProperty("cell", cellKey);
            r.addProperty("cell_rows", rows.size());
            sb.append(r).append('\n');
        }
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
        done.add(cellKey);
        if (HALT_AFTER_CELLS > 0 && ++appended >= HALT_AFTER_CELLS) {
            Runtime.getRuntime().halt(137);                  // as a SIGKILL would, at a point a test can name
        }
    }

    /**
     * Tests of resuming: {@code -Dpainters.test.haltAfterCells=N} kills the process (no shutdown hooks, exit 137) right
     * after the N-th cell is on disk, where a timed kill could land anywhere. 0 (the default): never.
     */
    static final int HALT_AFTER_CELLS = Integer.getInteger("painters.test.haltAfterCells", 0);
    private int appended;

    public Path file() {
        return file;
    }

    private final Map<String, FileChannel> itemChannels = new HashMap<>();

    private FileChannel openItems(String task) {
        try {
            return ItemFiles.openForAppend(ItemFiles.file(file.toAbsolutePath().getParent(), task));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (FileChannel ch : itemChannels.values()) {
            ch.close();
        }
        channel.close();
    }
}
