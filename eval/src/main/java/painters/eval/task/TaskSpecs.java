package painters.eval.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import painters.eval.metric.Metric;
import painters.model.UserInputException;

/**
 * Reads task specs. Keys: {@code name, version, description, kind, format, splits {name: path},
 * eval, header, text [fields], label, labels [values], metrics [ids], chance, skipBadRows, folds,
 * params {}}. Unknown keys are errors. In paths, {@code ${data}} is replaced by the data folder; a
 * relative path is resolved against the spec file's folder.
 */
public final class TaskSpecs {

    /** Built-in task names, each a resource {@code /painters/eval/tasks/<name>.json}. */
    public static final List<String> BUILT_IN = List.of("sst2", "mrpc", "rte", "cola", "stsb", "wn-lexname", "wn-shuffle", "wn-isa",
            "wn-bshift");
    /** The tasks that need no data folder (the embedded suite). */
    public static final List<String> EMBEDDED = List.of("wn-lexname", "wn-shuffle", "wn-isa", "wn-bshift");

    private static final Set<String> KEYS = Set.of("name", "version", "description", "kind", "format", "splits", "eval",
            "header", "text", "label", "labels", "metrics", "chance", "skipBadRows", "folds", "params", "comment");

    private TaskSpecs() {}

    /**
     * A built-in task by name, or a spec file by path; {@code dataDir} replaces {@code ${data}} (may be
     * null for tasks that do not use it).
     */
    public static TaskSpec load(String nameOrPath, Path dataDir) {
        if (BUILT_IN.contains(nameOrPath)) {
            String res = "/painters/eval/tasks/" + nameOrPath + ".json";
            try (InputStream in = TaskSpecs.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + res);
                }
                return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "classpath:" + res, null, dataDir);
            } catch (IOException e) {
                throw new IllegalStateException(res + ": " + e.getMessage(), e);
            }
        }
        Path p = Path.of(nameOrPath);
        if (!Files.isRegularFile(p)) {
            throw new UserInputException("unknown task \"" + nameOrPath + "\": not a built-in task " + BUILT_IN
                    + " and no such spec file");
        }
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            return parse(r, p.toString(), p.toAbsolutePath().getParent(), dataDir);
        } catch (IOException e) {
            throw new UserInputException(p + ": " + e.getMessage(), e);
        }
    }

    static TaskSpec parse(Reader r, String source, Path specDir, Path dataDir) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new UserInputException(source + ": a task spec is a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserInputException(source + ": invalid JSON: " + e.getMessage(), e);
        }
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new UserInputException(source + ": unknown key \"" + k + "\" (known: " + KEYS + ")");
            }
        }
        try {
            String format = str(o, "format", null);
            Map<String, String> splits = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> s : obj(o, "splits").entrySet()) {
                String v = s.getValue().getAsString();
                splits.put(s.getKey(), "wordnet".equals(format) ? v : resolve(v, specDir, dataDir, source));
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params")) {
                obj(o, "params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
            }
            List<Metric> metrics = new ArrayList<>();
            for (String m : strings(o, "metrics")) {
                metrics.add(Metric.parse(m));
            }
            return new TaskSpec(str(o, "name", null), o.has("version") ? o.get("version").getAsInt() : 0,
                    str(o, "description", ""), TaskKind.parse(str(o, "kind", null)), format, splits,
                    str(o, "eval", "dev"), o.has("header") && o.get("header").getAsBoolean(), strings(o, "text"),
                    str(o, "label", null), o.has("labels") ? strings(o, "labels") : null, metrics,
                    o.has("chance") ? o.get("chance").getAsDouble() : Double.NaN,
                    o.has("skipBadRows") && o.get("skipBadRows").getAsBoolean(),
                    o.has("folds") ? o.get("folds").getAsInt() : 5, params);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new UserInputException(source + ": " + e.getMessage(), e);
        }
    }

    private static String resolve(String path, Path specDir, Path dataDir, String source) {
        String p = path;
        if (p.contains("${data}")) {
            if (dataDir == null) {
                return p; // resolved later; reading it without --data is the error
            }
            p = p.replace("${data}", dataDir.toString());
        }
        Path q = Path.of(p);
        return (q.isAbsolute() || specDir == null ? q : specDir.resolve(q)).normalize().toString();
    }

    private static JsonObject obj(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonObject()) {
            throw new UserInputException("\"" + k + "\" must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String str(JsonObject o, String k, String dflt) {
        JsonElement e = o.get(k);
        if (e == null || e.isJsonNull()) {
            if (dflt == null) {
                throw new UserInputException("missing key \"" + k + "\"");
            }
            return dflt;
        }
        return e.getAsString();
    }

    private static List<String> strings(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonArray()) {
            throw new UserInputException("\"" + k + "\" must be an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : (JsonArray) e) {
            out.add(x.getAsString());
        }
        return out;
    }
}
