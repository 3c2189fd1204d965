package painters.results;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One row of {@code results.jsonl}: a value of one metric for one (model, plan, task), with where it
 * came from. Every study kind writes this record; its optional parts say what kind of value it is: a
 * frozen score has neither {@link Training} nor {@link Sweep}, a point of a fine-tuning curve has
 * {@link Training}, a sweep candidate's point has both.
 *
 * @param cell     the stored unit it belongs to (set by the store; null before)
 * @param study    study name
 * @param model    model id
 * @param modelSha checksum of the model's weights
 * @param plan     the layer plan and the grid cell it came from
 * @param score    task, metric and value
 * @param training fine-tuning run and curve point, or null
 * @param sweep    sweep candidate, or null
 * @param run      how it was computed
 */
public record ResultRow(String cell, String study, String model, String modelSha, PlanPart plan, Score score,
                        Training training, Sweep sweep, Provenance.Run run) {

    /**
     * The plan and its place in the grid.
     *
     * @param plan         printed plan
     * @param variant      "full", a variant id, "skip-layer", "loop-grid", "plan"
     * @param split        s, or -1
     * @param affected     |M|, 0 for the full model (-1 for hand-written plans)
     * @param planSeed     random-order seed, or -1
     * @param layer        block of a single-layer skip, or -1
     * @param loops        R of looped parallel, or -1
     * @param depth        sequential depth
     * @param applications block applications
     */
    public record PlanPart(String plan, String variant, int split, int affected, long planSeed, int layer, int loops,
                           int depth, int applications) {}

    /**
     * A metric's value on a task.
     *
     * @param task        task name
     * @param taskVersion version of its prompts and scoring (-1: not versioned)
     * @param dataSha     checksum of its data
     * @param headSeed    seed of the head (frozen protocol), or -1
     * @param metric      metric id
     * @param value       its value
     * @param primary     whether it is the task's primary metric
     * @param chance      the primary metric's chance level, NaN where none (perplexity)
     * @param n           items scored (0 where not counted)
     * @param protocol    how it was scored, in words ("" where implied)
     * @param skipped     malformed data rows the reader skipped (the task allows it), counted here
     * @param degenerate  the scored split cannot tell models apart (a single class): left out of normalised scores
     * @param stderr      standard error of the value over the scored items (bootstrap, or binomial for
     *                    proportions); NaN when unknown
     */
    public record Score(String task, int taskVersion, String dataSha, long headSeed, String metric, double value,
                        boolean primary, double chance, int n, String protocol, int skipped, boolean degenerate,
                        double stderr) {

        public Score(String task, int taskVersion, String dataSha, long headSeed, String metric, double value,
                     boolean primary, double chance, int n, String protocol) {
            this(task, taskVersion, dataSha, headSeed, metric, value, primary, chance, n, protocol, 0, false, Double.NaN);
        }
    }

    /**
     * A point of a fine-tuning curve.
     *
     * @param policy          unfreeze policy
     * @param trainableParams trainable parameters
     * @param step            optimizer steps taken (0: frozen)
     * @param examples        training examples (decoders: windows) seen
     * @param tokens          training tokens seen
     * @param trainLoss       mean training loss since the previous point (NaN at step 0)
     * @param seconds         wall time of the run so far
     * @param stoppedEarly    whether the run stopped at its target
     * @param settings        the run's fine-tuning settings as JSON text
     * @param flops           training FLOPs so far, estimated from the tokens seen and the plan's block applications
     *                        ({@code LoadedModel.trainingFlopsPerToken}); NaN where not recorded (older results)
     */
    public record Training(String policy, long trainableParams, int step, long examples, long tokens, double trainLoss,
                           double seconds, boolean stoppedEarly, String settings, double flops) {}

    /**
     * A sweep candidate.
     *
     * @param candidate    Arbiter's candidate index
     * @param params       its parameter values
     * @param scoredOn     "validation" or "test"
     * @param sweepScore   the candidate's score
     * @param learningRate learning rate it ran with
     * @param steps        steps it ran
     */
    public record Sweep(int candidate, JsonObject params, String scoredOn, double sweepScore, double learningRate,
                        int steps) {}

    /** This row in the store under {@code cellKey}. */
    public ResultRow inCell(String cellKey) {
        return new ResultRow(cellKey, study, model, modelSha, plan, score, training, sweep, run);
    }

    /** The JSON object of this row (field names as in every results file). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("study", study);
        o.addProperty("model", model);
        o.addProperty("model_sha256", modelSha);
        if (sweep != null) {
            o.addProperty("candidate", sweep.candidate());
            o.add("params", sweep.params());
            o.addProperty("scored_on", sweep.scoredOn());
        }
        o.addProperty("plan", plan.plan());
        o.addProperty("variant", plan.variant());
        o.addProperty("split", plan.split());
        o.addProperty("affected", plan.affected());
        o.addProperty("plan_seed", plan.planSeed());
        o.addProperty("layer", plan.layer());
        o.addProperty("loops", plan.loops());
        o.addProperty("depth", plan.depth());
        o.addProperty("applications", plan.applications());
        o.addProperty("task", score.task());
        o.addProperty("task_version", score.taskVersion());
        o.addProperty("data_sha256", score.dataSha());
        o.addProperty("head_seed", score.headSeed());
        if (training != null) {
            o.addProperty("policy", training.policy());
            o.addProperty("trainable_params", training.trainableParams());
            o.addProperty("step", training.step());
            o.addProperty("examples", training.examples());
            o.addProperty("tokens", training.tokens());
            if (Double.isFinite(training.flops())) {
                o.addProperty("train_flops", training.flops());
            }
            o.add("train_loss", number(training.trainLoss()));
            o.addProperty("seconds", training.seconds());
            o.addProperty("stopped_early", training.stoppedEarly());
            o.addProperty("finetune", training.settings());
        }
        if (sweep != null) {
            o.addProperty("learning_rate", sweep.learningRate());
            o.addProperty("steps", sweep.steps());
            o.addProperty("sweep_score", sweep.sweepScore());
        }
        o.addProperty("metric", score.metric());
        o.add("value", number(score.value()));
        o.add("stderr", number(score.stderr()));
        o.addProperty("primary", score.primary());
        o.add("chance", number(score.chance()));
        o.addProperty("n", score.n());
        o.addProperty("protocol", score.protocol());
        if (score.skipped() > 0) {
            o.addProperty("skipped_rows", score.skipped());
        }
        if (score.degenerate()) {
            o.addProperty("degenerate", true);
        }
        run.addTo(o);
        return o;
    }

    /** Reads a row back; fields of the optional parts decide which parts it has. */
    public static ResultRow fromJson(JsonObject o) {
        PlanPart plan = new PlanPart(o.get("plan").getAsString(), o.get("variant").getAsString(),
                o.get("split").getAsInt(), integer(o, "affected", -1), longOr(o, "plan_seed", -1), integer(o, "layer", -1),
                integer(o, "loops", -1), integer(o, "depth", -1), integer(o, "applications", -1));
        Score score = new Score(o.get("task").getAsString(), integer(o, "task_version", -1), string(o, "data_sha256"),
                longOr(o, "head_seed", -1), o.get("metric").getAsString(), dbl(o, "value"), o.get("primary").getAsBoolean(),
                dbl(o, "chance"), integer(o, "n", 0), string(o, "protocol"), integer(o, "skipped_rows", 0),
                o.has("degenerate") && o.get("degenerate").getAsBoolean(), dbl(o, "stderr"));
        Training training = o.has("policy") ? new Training(o.get("policy").getAsString(),
                longOr(o, "trainable_params", 0), o.get("step").getAsInt(), longOr(o, "examples", 0),
                longOr(o, "tokens", 0), dbl(o, "train_loss"), dbl(o, "seconds"), o.has("stopped_early")
                && o.get("stopped_early").getAsBoolean(), string(o, "finetune"), dbl(o, "train_flops")) : null;
        Sweep sweep = o.has("candidate") ? new Sweep(o.get("candidate").getAsInt(), o.getAsJsonObject("params"),
                o.get("scored_on").getAsString(), dbl(o, "sweep_score"), dbl(o, "learning_rate"), integer(o, "steps", 0))
                : null;
        return new ResultRow(o.has("cell") ? o.get("cell").getAsString() : null, string(o, "study"),
                o.get("model").getAsString(), string(o, "model_sha256"), plan, score, training, sweep,
                Provenance.Run.from(o));
    }

    static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    static double dbl(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    static int integer(JsonObject o, String k, int dflt) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? dflt : e.getAsInt();
    }

    static long longOr(JsonObject o, String k, long dflt) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? dflt : e.getAsLong();
    }

    static String string(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
