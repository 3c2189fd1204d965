package painters.study.finetune;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.model.UserInputException;
import painters.model.graph.Gradients;
import painters.study.SpecValues;
import painters.training.FineTuneConfig;
import painters.training.UnfreezePolicy;

/**
 * The {@code finetune} object of a study file: with it, a study fine-tunes every plan (unfreezing) and
 * records recovery curves instead of frozen scores only. Every key has a default.
 *
 * @param policies        unfreeze policies, each a separate run per plan (head, all, middle, adjacent, first:N, ...)
 * @param steps           optimizer steps per run
 * @param learningRate    AdamW peak learning rate
 * @param warmupSteps     linear warm-up (-1: 10% of the steps)
 * @param schedule        linear, cosine or constant after warm-up
 * @param batchSize       examples per micro-batch
 * @param gradAccum       micro-batches per step
 * @param clipNorm        global gradient-norm clip (0: off)
 * @param weightDecay     decoupled weight decay on matrices
 * @param evalEvery       held-out evaluation every this many steps
 * @param trainMax        cap on training examples (0: all)
 * @param checkpointEvery checkpoint every this many steps (0: at the end only)
 * @param untie           untie repeated blocks
 * @param recoverFraction steps-to-recover counts the first step at chance + this x (fine-tuned full - chance)
 * @param data            what a next-token model (decoder) is fine-tuned on: a text or .jsonl file, or a language-model
 *                        task with a train split (arc-easy, arc-challenge, gsm8k); encoders fine-tune on each task
 * @param heldOut         decoders: share of the fine-tuning windows held out for perplexity
 * @param gradients       recompute (at each executed step, the default) or whole (the whole graph at once: faster,
 *                        more memory)
 * @param seeds           runs per plan and policy, with seeds headSeed, headSeed + 1, ... (data order, the head's
 *                        initialisation, a training subsample): curves are their mean, with errors from the seeds
 * @param repairs         none (fine-tune the plan as it is) and/or linear (first repair it without training,
 *                        {@code LinearRepair}; its step 0 is the repaired plan), each a separate run per plan where it
 *                        applies
 * @param repairWindows   calibration for a linear repair: the first this many training windows of the corpus
 * @param repairRidge     the repair's ridge (times the mean diagonal of its normal equations; at least 1e-6)
 */
public record RecoverySettings(List<String> policies, int steps, double learningRate, int warmupSteps, String schedule,
                               int batchSize, int gradAccum, double clipNorm, double weightDecay, int evalEvery,
                               int trainMax, int checkpointEvery, boolean untie, double recoverFraction, String data,
                               double heldOut, String gradients, int seeds, List<String> repairs, int repairWindows,
                               double repairRidge) implements FineTuning {

    @Override
    public RecoverySettings finetune() {
        return this;
    }

    /** Each key of the {@code finetune} section with its default. */
    public static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        JsonArray p = new JsonArray();
        p.add("all");
        DEFAULTS.put("policies", p);
        DEFAULTS.put("steps", new JsonPrimitive(100));
        DEFAULTS.put("learningRate", new JsonPrimitive(5e-5));
        DEFAULTS.put("warmupSteps", new JsonPrimitive(-1));
        DEFAULTS.put("schedule", new JsonPrimitive("linear"));
        DEFAULTS.put("batchSize", new JsonPrimitive(32));
        DEFAULTS.put("gradAccum", new JsonPrimitive(1));
        DEFAULTS.put("clipNorm", new JsonPrimitive(1.0));
        DEFAULTS.put("weightDecay", new JsonPrimitive(0.01));
        DEFAULTS.put("evalEvery", new JsonPrimitive(10));
        DEFAULTS.put("trainMax", new JsonPrimitive(0));
        DEFAULTS.put("checkpointEvery", new JsonPrimitive(20));
        DEFAULTS.put("untie", new JsonPrimitive(false));
        DEFAULTS.put("recoverFraction", new JsonPrimitive(0.9));
        DEFAULTS.put("data", JsonNull.INSTANCE);
        DEFAULTS.put("heldOut", new JsonPrimitive(0.1));
        DEFAULTS.put("gradients", new JsonPrimitive(Gradients.RECOMPUTED.key()));
        DEFAULTS.put("seeds", new JsonPrimitive(1));
        JsonArray r = new JsonArray();
        r.add("none");
        DEFAULTS.put("repairs", r);
        DEFAULTS.put("repairWindows", new JsonPrimitive(256));
        DEFAULTS.put("repairRidge", new JsonPrimitive(0));
    }

    public RecoverySettings {
        policies = List.copyOf(policies);
        if (policies.isEmpty()) {
            throw new UserInputException("finetune.policies is empty");
        }
        policies.forEach(UnfreezePolicy::parse);
        try {
            Gradients.parse(gradients);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("finetune." + e.getMessage(), e);
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new UserInputException("finetune.heldOut must be in (0, 1), got " + heldOut);
        }
        if (seeds < 1) {
            throw new UserInputException("finetune.seeds must be >= 1, got " + seeds);
        }
        repairs = List.copyOf(repairs);
        if (repairs.isEmpty() || !List.of("none", "linear").containsAll(repairs)) {
            throw new UserInputException("finetune.repairs must list none and/or linear, got " + repairs);
        }
        if (repairWindows < 1) {
            throw new UserInputException("finetune.repairWindows must be >= 1, got " + repairWindows);
        }
        if (!(repairRidge >= 0)) {
            throw new UserInputException("finetune.repairRidge must be >= 0, got " + repairRidge);
        }
        if (!(recoverFraction > 0 && recoverFraction <= 1)) {
            throw new UserInputException("finetune.recoverFraction must be in (0, 1], got " + recoverFraction);
        }
        new FineTuneConfig(learningRate, warmupSteps >= 0 ? warmupSteps : steps / 10, schedule, steps, batchSize,
                gradAccum, clipNorm, weightDecay, 0, evalEvery, Double.NaN, checkpointEvery, untie,
                UnfreezePolicy.parse(policies.get(0)), trainMax, 128);    // validates the rest
    }

    /** Reads the object, defaults filled in; unknown keys are errors. */
    public static RecoverySettings of(JsonObject o, String source) {
        JsonObject m = new JsonObject();
        DEFAULTS.forEach(m::add);
        for (var e : o.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                throw new UserInputException(source + ": unknown finetune key \"" + e.getKey() + "\" (known: "
                        + DEFAULTS.keySet() + ")");
            }
            m.add(e.getKey(), e.getValue());
        }
        List<String> pol = list(m.get("policies"));
        String f = "finetune.";
        return new RecoverySettings(pol, SpecValues.integer(m, "steps", f), SpecValues.number(m, "learningRate", f),
                SpecValues.integer(m, "warmupSteps", f), m.get("schedule").getAsString(),
                SpecValues.integer(m, "batchSize", f), SpecValues.integer(m, "gradAccum", f),
                SpecValues.number(m, "clipNorm", f), SpecValues.number(m, "weightDecay", f),
                SpecValues.integer(m, "evalEvery", f), SpecValues.integer(m, "trainMax", f),
                SpecValues.integer(m, "checkpointEvery", f), bool(m.get("untie"), f + "untie"),
                SpecValues.number(m, "recoverFraction", f),
                m.get("data").isJsonNull() || m.get("data").getAsString().isEmpty() ? null : m.get("data").getAsString(),
                SpecValues.number(m, "heldOut", f), m.get("gradients").getAsString(), SpecValues.integer(m, "seeds", f),
                list(m.get("repairs")), SpecValues.integer(m, "repairWindows", f), SpecValues.number(m, "repairRidge", f));
    }

    /** A JSON array of strings, or one comma-separated string (a command-line override). */
    private static List<String> list(JsonElement p) {
        List<String> out = new ArrayList<>();
        if (p.isJsonArray()) {
            p.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        } else {
            for (String s : p.getAsString().split(",")) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static boolean bool(JsonElement e, String key) {
        String v = e.getAsString();
        if (!v.equals("true") && !v.equals("false")) {
            throw new UserInputException("\"" + key + "\" must be true or false, got " + e);
        }
        return Boolean.parseBoolean(v);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        JsonArray p = new JsonArray();
        policies.forEach(p::add);
        o.add("policies", p);
        o.addProperty("steps", steps);
        o.addProperty("learningRate", learningRate);
        o.addProperty("warmupSteps", warmupSteps);
        o.addProperty("schedule", schedule);
        o.addProperty("batchSize", batchSize);
        o.addProperty("gradAccum", gradAccum);
        o.addProperty("clipNorm", clipNorm);
        o.addProperty("weightDecay", weightDecay);
        o.addProperty("evalEvery", evalEvery);
        o.addProperty("trainMax", trainMax);
        o.addProperty("checkpointEvery", checkpointEvery);
        o.addProperty("untie", untie);
        o.addProperty("recoverFraction", recoverFraction);
        if (data != null) {
            o.addProperty("data", data);
        }
        if (heldOut != 0.1) {
            o.addProperty("heldOut", heldOut);
        }
        if (!gradients.equals(Gradients.RECOMPUTED.key())) {
            o.addProperty("gradients", gradients);     // settings written before the choice existed keep their identity
        }
        if (!repairs.equals(List.of("none"))) {     // likewise for settings written before repairs existed
            JsonArray r = new JsonArray();
            repairs.forEach(r::add);
            o.add("repairs", r);
            o.addProperty("repairWindows", repairWindows);
            o.addProperty("repairRidge", repairRidge);
        }
        return o;
    }

    /** {@link #toJson} with the seed count: the resolved spec (a run's own settings and the identity leave it out,
     * so adding seeds extends a study as adding splits does). */
    public JsonObject toSpecJson() {
        JsonObject o = toJson();
        o.addProperty("seeds", seeds);
        return o;
    }

    /** The fine-tuning config of one run. */
    public FineTuneConfig config(UnfreezePolicy policy, long seed, int maxLength) {
        int warm = warmupSteps >= 0 ? warmupSteps : steps / 10;
        return new FineTuneConfig(learningRate, warm, schedule, steps, batchSize, gradAccum, clipNorm, weightDecay, seed,
                evalEvery, Double.NaN, checkpointEvery, untie, policy, trainMax, maxLength, method());
    }

    /** How the runs' steps compute their gradients. */
    public Gradients method() {
        return Gradients.parse(gradients);
    }

    /**
     * The run-identity lines of a kind that fine-tunes with these settings: the settings but the policies (adding one
     * extends a study) and the recovery fraction (summaries only), and the gradient method (methods agree up to float
     * rounding only).
     */
    public Map<String, String> identity() {
        JsonObject o = toJson();
        o.remove("policies");
        o.remove("recoverFraction");
        o.remove("repairs");            // like a policy, adding a repair extends a study; its calibration is in the
        o.remove("repairWindows");      // keys of the repaired runs
        o.remove("repairRidge");
        Map<String, String> id = new LinkedHashMap<>();
        id.put("finetune", o.toString());
        id.put("gradients", method().label());
        return id;
    }
}
