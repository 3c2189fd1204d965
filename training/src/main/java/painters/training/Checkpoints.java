package painters.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.model.UserInputException;
import painters.model.io.AtomicFiles;
import painters.model.weights.DType;
import painters.model.weights.SafetensorsFile;
import painters.model.weights.SafetensorsWriter;

/**
 * A run's checkpoints: {@code step-NNNNNN/} folders (trainable weights and optimizer moments as
 * safetensors, {@code state.json} with the step, data position and curve so far) and a {@code LATEST}
 * file naming the newest complete one, replaced atomically after the folder is written. A run killed
 * at any moment resumes from {@code LATEST}; older folders are removed once a newer one is complete.
 */
public final class Checkpoints {

    static final String LATEST = "LATEST";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * What a checkpoint restores.
     *
     * @param lossSum   training loss summed since the last curve point (its mean is the next point's loss)
     * @param lossCount steps in that sum
     * @param firstLoss the first step's training loss, the reference of the explosion rule (NaN before it)
     * @param run       what the run was, for readers of the weights ({@code painters export}): model, plan, policy
     *                  (see {@link RunFacts}); empty in checkpoints written before it was recorded
     */
    public record State(int step, long examples, long tokens, Map<String, INDArray> params, Map<String, INDArray> optimizer,
                        List<CurvePoint> curve, String fingerprint, double lossSum, int lossCount, double firstLoss,
                        Map<String, String> run) {}

    private Checkpoints() {}

    public static void save(Path dir, State s) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("step-%06d", s.step());
        Path tmp = dir.resolve(name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        SafetensorsWriter.write(tmp.resolve("params.safetensors"), s.params(), DType.F32, Map.of());
        SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), s.optimizer(), DType.F32, Map.of());
        JsonObject o = new JsonObject();
        o.addProperty("step", s.step());
        o.addProperty("examples", s.examples());
        o.addProperty("tokens", s.tokens());
        o.addProperty("fingerprint", s.fingerprint());
        o.addProperty("loss_sum", s.lossSum());
        o.addProperty("loss_count", s.lossCount());
        o.addProperty("first_loss", s.firstLoss());
        JsonObject run = new JsonObject();
        s.run().forEach(run::addProperty);
        o.add("run", run);
        JsonArray curve = new JsonArray();
        for (CurvePoint p : s.curve()) {
            JsonObject c = new JsonObject();
            c.addProperty("step", p.step());
            c.addProperty("examples", p.examples());
            c.addProperty("tokens", p.tokens());
            c.addProperty("loss", p.loss());
            c.addProperty("primary", p.primary());
            c.addProperty("seconds", p.seconds());
            c.add("scores", metrics(p.scores()));
            c.add("stderr", metrics(p.stderr()));
            c.add("tasks", tasks(p.tasks()));
            c.add("task_stderr", tasks(p.taskStderr()));
            if (p.items() != null) {
                JsonArray items = new JsonArray();
                for (int i = 0; i < p.items().size(); i++) {
                    items.add(p.items().item(i));
                }
                c.add("items", items);
            }
            curve.add(c);
        }
        o.add("curve", curve);
        Files.writeString(tmp.resolve("state.json"), GSON.toJson(o));
        Path target = dir.resolve(name);
        deleteTree(target);
        Files.move(tmp, target);
        AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("step-")
                    && !p.getFileName().toString().equals(name)).toList()) {
                deleteTree(p);
            }
        }
    }

    /** The folder of the newest complete checkpoint in {@code dir}, or null when none was written. */
    public static Path latest(Path dir) throws IOException {
        if (dir == null || !Files.isRegularFile(dir.resolve(LATEST))) {
            return null;
        }
        String name = Files.readString(dir.resolve(LATEST)).strip();
        if (!name.matches("step-\\d+")) {       // only what save() writes: never a path out of the checkpoint folder
            throw new UserInputException(dir.resolve(LATEST) + ": names \"" + name + "\", not a checkpoint "
                    + "of this folder (step-N); move the folder away or start the run without it");
        }
        return dir.resolve(name);
    }

    /** The newest complete checkpoint, or null when there is none. */
    public static State load(Path dir) throws IOException {
        Path latest = dir.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            return null;
        }
        Path ck = dir.resolve(Files.readString(latest).strip());
        JsonObject o = JsonParser.parseString(Files.readString(ck.resolve("state.json"))).getAsJsonObject();
        List<CurvePoint> curve = new ArrayList<>();
        for (var e : o.getAsJsonArray("curve")) {
            JsonObject c = e.getAsJsonObject();
            // errors and items are absent from checkpoints written before they were recorded: such points have none
            ItemScores items = null;
            if (c.has("items")) {
                List<JsonObject> list = new ArrayList<>();
                c.getAsJsonArray("items").forEach(x -> list.add(x.getAsJsonObject()));
                items = ItemScores.fromItems(list);
            }
            curve.add(new CurvePoint(c.get("step").getAsInt(), c.get("examples").getAsLong(), c.get("tokens").getAsLong(),
                    c.get("loss").getAsDouble(), metrics(c.getAsJsonObject("scores")), metrics(c.getAsJsonObject("stderr")),
                    c.get("primary").getAsDouble(), c.get("seconds").getAsDouble(), tasks(c.getAsJsonObject("tasks")),
                    tasks(c.getAsJsonObject("task_stderr")), items));
        }
        return new State(o.get("step").getAsInt(), o.get("examples").getAsLong(), o.get("tokens").getAsLong(),
                SafetensorsFile.open(ck.resolve("params.safetensors")).readAll().tensors(),
                SafetensorsFile.open(ck.resolve("optimizer.safetensors")).readAll().tensors(), curve,
                o.get("fingerprint").getAsString(), o.get("loss_sum").getAsDouble(), o.get("loss_count").getAsInt(),
                o.has("first_loss") ? o.get("first_loss").getAsDouble() : Double.NaN, run(o.getAsJsonObject("run")));
    }

    private static Map<String, String> run(JsonObject o) {
        Map<String, String> run = new LinkedHashMap<>();
        if (o != null) {
            o.entrySet().forEach(e -> run.put(e.getKey(), e.getValue().getAsString()));
        }
        return run;
    }

    private static JsonObject metrics(Map<Metric, Double> values) {
        JsonObject o = new JsonObject();
        values.forEach((m, v) -> o.addProperty(m.id(), v));
        return o;
    }

    private static JsonObject tasks(Map<String, Map<Metric, Double>> values) {
        JsonObject o = new JsonObject();
        values.forEach((task, v) -> o.add(task, metrics(v)));
        return o;
    }

    /** Metric id to value; empty for a missing object. */
    private static Map<Metric, Double> metrics(JsonObject o) {
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        if (o != null) {
            o.entrySet().forEach(x -> v.put(Metric.parse(x.getKey()), x.getValue().getAsDouble()));
        }
        return v;
    }

    /** Task to metric id to value; empty for a missing object. */
    private static Map<String, Map<Metric, Double>> tasks(JsonObject o) {
        Map<String, Map<Metric, Double>> t = new LinkedHashMap<>();
        if (o != null) {
            o.entrySet().forEach(x -> t.put(x.getKey(), metrics(x.getValue().getAsJsonObject())));
        }
        return t;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
