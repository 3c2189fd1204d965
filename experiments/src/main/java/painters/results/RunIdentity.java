package painters.results;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import painters.model.UserInputException;
import painters.model.io.AtomicFiles;

/**
 * What a study's results were computed with, beyond what each cell's key says: the model and its
 * checksum, the data's checksums, lengths, batch sizes, caps and protocols. A resumed run must compute
 * the same thing: it compares its identity with the one stored beside the results
 * ({@value #FILE}) and refuses, naming every value that changed, rather than mixing two computations
 * in one folder.
 */
public record RunIdentity(Map<String, String> values) {

    public static final String FILE = "identity.json";

    public RunIdentity {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The identity stored in a study folder, or null when there is none. */
    public static RunIdentity read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            Map<String, String> v = new LinkedHashMap<>();
            o.entrySet().forEach(e -> v.put(e.getKey(), e.getValue().isJsonNull() ? null : e.getValue().getAsString()));
            return new RunIdentity(v);
        } catch (RuntimeException e) {
            throw new IOException(f + ": not a run identity: " + e.getMessage(), e);
        }
    }

    public void write(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        values.forEach(o::addProperty);
        AtomicFiles.writeString(dir.resolve(FILE), new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(o) + "\n");
    }

    /**
     * Keys recorded only when they differ from a default, so that older identities stay valid: where one identity
     * lacks such a key, it holds the default.
     */
    static final Map<String, String> IMPLIED = Map.of("dtype", "fp32", "pairs", "joint");

    /**
     * Every key both identities record whose value differs ("max_length: was 128, now 64"), in this identity's
     * order, then those of {@link #IMPLIED} only the earlier one records. Keys one of them lacks (an older folder, a
     * newer version) are not compared, except the implied ones, which hold their default where absent.
     */
    public List<String> changesFrom(RunIdentity before) {
        List<String> keys = new ArrayList<>(values.keySet());
        IMPLIED.keySet().stream().filter(k -> !values.containsKey(k)).sorted().forEach(keys::add);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            boolean implied = IMPLIED.containsKey(k);
            if (!implied && !before.values.containsKey(k)) {
                continue;
            }
            String was = before.values.containsKey(k) ? before.values.get(k) : IMPLIED.get(k);
            String now = values.containsKey(k) ? values.get(k) : IMPLIED.get(k);
            if (!Objects.equals(was, now)) {
                out.add(k + ": was " + was + ", now " + now);
            }
        }
        return out;
    }

    /**
     * Checks a folder before a run writes to it: the stored identity (or, for folders from before
     * identities were stored, the model checksum and lengths in its first result row) must equal this
     * one; a mismatch is an error naming what changed. Then stores this identity.
     */
    public void claim(Path dir, Path results) throws IOException {
        RunIdentity before = read(dir);
        if (before == null && Files.exists(results)) {
            List<ResultRow> rows = Results.read(results);
            if (!rows.isEmpty()) {
                ResultRow r = rows.get(0);
                Map<String, String> v = new LinkedHashMap<>();
                v.put("model_sha256", r.modelSha());
                if (r.training() == null) {
                    v.put("max_length", Integer.toString(r.run().maxLength()));
                    v.put("batch_size", Integer.toString(r.run().batchSize()));
                    v.put("train_max", Integer.toString(r.run().trainMax()));
                }
                before = new RunIdentity(v);
            }
        }
        if (before != null) {
            List<String> changed = changesFrom(before);
            if (!changed.isEmpty()) {
                throw new UserInputException(dir + " holds results computed differently (" + String.join("; ",
                        changed) + "); resuming would mix two computations. Start a new study name (--name=...) or "
                        + "move the folder away");
            }
        }
        write(dir);
    }
}
