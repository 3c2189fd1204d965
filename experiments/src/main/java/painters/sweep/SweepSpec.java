package painters.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import painters.model.UserInputException;

/**
 * The {@code sweep} object of a study file. Parameters: {@code learningRate}, {@code steps},
 * {@code batchSize}, {@code warmupSteps}, {@code weightDecay}, {@code policy}, {@code variant},
 * {@code split}; each a list (discrete), {@code {"min": a, "max": b, "log": true}} (continuous, log-uniform
 * if log) or {@code {"int": [a, b]}} (integer range). Unswept settings come from the study's
 * {@code finetune} object (and its first variant, split and policy).
 *
 * @param space         the parameter spaces by name
 * @param generator     grid or random
 * @param gridPoints    grid: values per continuous/integer parameter
 * @param maxCandidates stop after this many candidates (0: as many as the generator has)
 * @param maxMinutes    stop starting candidates after this much wall time (0: no limit)
 * @param seed          random generator seed
 * @param task          the task tuned (default: the study's first)
 * @param validation    share of the train split held out and scored during the sweep (the test split is scored once,
 *                      for the best candidate)
 * @param score         "final" (last held-out score) or "auc" (mean over the curve)
 * @param maximize      direction
 */
public record SweepSpec(Map<String, ParameterSpace<?>> space, String generator, int gridPoints, int maxCandidates,
                        int maxMinutes, long seed, String task, double validation, String score, boolean maximize,
                        JsonObject json) {

    static final Set<String> PARAMETERS = Set.of("learningRate", "steps", "batchSize", "warmupSteps", "weightDecay",
            "policy", "variant", "split");
    static final Set<String> KEYS = Set.of("space", "generator", "gridPoints", "maxCandidates", "maxMinutes", "seed", "task",
            "validation", "score", "direction");

    public SweepSpec {
        if (!generator.equals("grid") && !generator.equals("random")) {
            throw new UserInputException("sweep.generator must be grid or random, got " + generator);
        }
        if (gridPoints < 2) {
            throw new UserInputException("sweep.gridPoints must be at least 2, got " + gridPoints);
        }
        if (maxCandidates < 0 || maxMinutes < 0) {
            throw new UserInputException("sweep." + (maxCandidates < 0 ? "maxCandidates" : "maxMinutes")
                    + " must be >= 0, got " + Math.min(maxCandidates, maxMinutes));
        }
        if (!(validation > 0 && validation < 1)) {
            throw new UserInputException("sweep.validation must be in (0, 1), got " + validation);
        }
        if (!score.equals("final") && !score.equals("auc")) {
            throw new UserInputException("sweep.score must be final or auc, got " + score);
        }
        if (generator.equals("random") && maxCandidates == 0 && maxMinutes == 0) {
            throw new UserInputException("a random sweep needs maxCandidates or maxMinutes");
        }
    }

    public static SweepSpec of(JsonObject o, String source) {
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new UserInputException(source + ": unknown sweep key \"" + k + "\" (known: " + KEYS + ")");
            }
        }
        if (!o.has("space") || !o.get("space").isJsonObject()) {
            throw new UserInputException(source + ": sweep.space must be an object of parameters");
        }
        Map<String, ParameterSpace<?>> space = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("space").entrySet()) {
            if (!PARAMETERS.contains(e.getKey())) {
                throw new UserInputException(source + ": cannot sweep \"" + e.getKey() + "\" (sweepable: "
                        + PARAMETERS + ")");
            }
            space.put(e.getKey(), leaf(e.getKey(), e.getValue(), source));
        }
        String direction = o.has("direction") ? o.get("direction").getAsString() : "max";
        if (!direction.equals("max") && !direction.equals("min")) {
            throw new UserInputException(source + ": sweep.direction must be max or min");
        }
        return new SweepSpec(space, str(o, "generator", "grid"), o.has("gridPoints") ? o.get("gridPoints").getAsInt() : 3,
                o.has("maxCandidates") ? o.get("maxCandidates").getAsInt() : 0,
                o.has("maxMinutes") ? o.get("maxMinutes").getAsInt() : 0, o.has("seed") ? o.get("seed").getAsLong() : 0,
                o.has("task") ? o.get("task").getAsString() : null,
                o.has("validation") ? o.get("validation").getAsDouble() : 0.2, str(o, "score", "final"),
                direction.equals("max"), o);
    }

    private static String str(JsonObject o, String k, String d) {
        return o.has(k) ? o.get(k).getAsString() : d;
    }

    private static ParameterSpace<?> leaf(String name, JsonElement e, String source) {
        String where = source + ": sweep.space." + name;
        boolean integer = Set.of("steps", "batchSize", "warmupSteps", "split").contains(name);
        boolean text = Set.of("policy", "variant").contains(name);
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            if (a.isEmpty()) {
                throw new UserInputException(where + " is an empty list");
            }
            List<Object> vals = new ArrayList<>();
            for (JsonElement x : a) {
                vals.add(text ? x.getAsString() : integer ? (Object) x.getAsInt() : (Object) x.getAsDouble());
            }
            return new DiscreteParameterSpace<>(vals);
        }
        if (!e.isJsonObject() || text) {
            throw new UserInputException(where + ": give a list of values" + (text ? "" : ", {\"min\", \"max\"[, \"log\"]} "
                    + "or {\"int\": [a, b]}"));
        }
        JsonObject r = e.getAsJsonObject();
        if (r.has("int")) {
            JsonElement ie = r.get("int");
            if (!ie.isJsonArray() || ie.getAsJsonArray().size() != 2) {
                throw new UserInputException(where + ".int must be [a, b], got " + ie);
            }
            JsonArray b = ie.getAsJsonArray();
            int lo = b.get(0).getAsInt();
            int hi = b.get(1).getAsInt();
            if (lo > hi) {
                throw new UserInputException(where + ".int must be [a, b] with a <= b, got " + b);
            }
            return new IntegerParameterSpace(lo, hi);
        }
        if (integer) {
            throw new UserInputException(where + " is an integer: give a list or {\"int\": [a, b]}");
        }
        if (!r.has("min") || !r.has("max")) {
            throw new UserInputException(where + ": give both \"min\" and \"max\"");
        }
        double min = r.get("min").getAsDouble();
        double max = r.get("max").getAsDouble();
        if (!(min < max)) {
            throw new UserInputException(where + ": min must be below max, got min " + min + ", max " + max);
        }
        boolean log = r.has("log") && r.get("log").getAsBoolean();
        if (log && !(min > 0)) {
            throw new UserInputException(where + ": a log-uniform range needs min > 0, got " + min);
        }
        return log ? new ContinuousParameterSpace(new LogUniformDistribution(min, max))
                : new ContinuousParameterSpace(min, max);
    }

    /**
     * The splits the space can propose: the listed values, or both ends of an integer range (empty when the split is
     * not swept), so a study can check them against its model before any candidate trains.
     */
    public List<Integer> splitBounds() {
        JsonElement e = json.has("space") && json.getAsJsonObject("space").has("split")
                ? json.getAsJsonObject("space").get("split") : null;
        List<Integer> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsInt()));
        } else if (e.isJsonObject() && e.getAsJsonObject().has("int")) {
            e.getAsJsonObject().getAsJsonArray("int").forEach(x -> out.add(x.getAsInt()));
        }
        return out;
    }
}
