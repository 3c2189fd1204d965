package painters.study.search;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import painters.model.UserInputException;
import painters.study.KindSettings;
import painters.study.SpecValues;

/**
 * The {@code search} object of a study file: a search over layer plans of the frozen model for the
 * accuracy / cost Pareto front, scored on validation views of the tasks, the fronts then scored once on the
 * tasks' own scored splits with measured latency. Every key has a default.
 *
 * @param generator    genetic (Arbiter's genetic search) or random (Arbiter's random search, the baseline)
 * @param candidates   plans the generator proposes in all (invalid and repeated ones included)
 * @param batch        plans drawn and scored together (one generation's draw; their shared prefixes computed once)
 * @param population   the genetic search's population
 * @param seed         seed of the generator and of the validation split
 * @param maxDepth     the largest sequential depth a plan may have (0: the model's number of blocks)
 * @param validation   share of each task's train split held out and scored (the search never sees the test data)
 * @param order        reorder window: 0 keeps the pretrained order; w lets a block move up to w/2 places
 * @param fixedEnds    the first and last blocks always run once (the paper finds removing them catastrophic)
 * @param paper        also score the study's variants (the paper's six by default) at its splits (every one by
 *                     default; one random order per split) and the full model on the same validation views: the
 *                     front to beat
 * @param latencyBatch inputs per latency measurement
 * @param latencySeq   tokens per input of a latency measurement
 * @param latencyRuns  timed forward passes per plan (after one warm-up)
 * @param penalty      cost-aware search: what the genetic search maximises is the validation objective less
 *                     {@code penalty} per block application (0: the objective alone); the fronts and every stored
 *                     score stay the objective itself
 * @param repair       a plan deeper than {@code maxDepth} is repaired to it (repeats run once, then the blocks
 *                     nearest to skipping are skipped) instead of being rejected unscored
 */
public record SearchSettings(String generator, int candidates, int batch, int population, long seed, int maxDepth,
                             double validation, double order, boolean fixedEnds, boolean paper, int latencyBatch,
                             int latencySeq, int latencyRuns, double penalty, boolean repair) implements KindSettings {

    static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("generator", new JsonPrimitive("genetic"));
        DEFAULTS.put("candidates", new JsonPrimitive(60));
        DEFAULTS.put("batch", new JsonPrimitive(10));
        DEFAULTS.put("population", new JsonPrimitive(20));
        DEFAULTS.put("seed", new JsonPrimitive(0));
        DEFAULTS.put("maxDepth", new JsonPrimitive(0));
        DEFAULTS.put("validation", new JsonPrimitive(0.25));
        DEFAULTS.put("order", new JsonPrimitive(0));
        DEFAULTS.put("fixedEnds", new JsonPrimitive(true));
        DEFAULTS.put("paper", new JsonPrimitive(true));
        DEFAULTS.put("latencyBatch", new JsonPrimitive(32));
        DEFAULTS.put("latencySeq", new JsonPrimitive(32));
        DEFAULTS.put("latencyRuns", new JsonPrimitive(5));
        DEFAULTS.put("penalty", new JsonPrimitive(0));
        DEFAULTS.put("repair", new JsonPrimitive(false));
    }

    public SearchSettings {
        if (!generator.equals("genetic") && !generator.equals("random")) {
            throw new UserInputException("search.generator must be genetic or random, got \"" + generator + "\"");
        }
        SpecValues.atLeast("search.candidates", candidates, 1);
        SpecValues.atLeast("search.batch", batch, 1);
        SpecValues.atLeast("search.population", population, 2);
        SpecValues.atLeast("search.maxDepth", maxDepth, 0);
        SpecValues.atLeast("search.latencyBatch", latencyBatch, 1);
        SpecValues.atLeast("search.latencySeq", latencySeq, 2);
        SpecValues.atLeast("search.latencyRuns", latencyRuns, 2);
        if (!(validation > 0 && validation < 1)) {
            throw new UserInputException("search.validation must be in (0, 1), got " + validation);
        }
        if (!(penalty >= 0)) {
            throw new UserInputException("search.penalty must be >= 0, got " + penalty);
        }
        if (order < 0) {
            throw new UserInputException("search.order must be >= 0, got " + order);
        }
    }

    /** Reads the object; unknown keys and bad values are errors naming {@code source}. */
    static SearchSettings of(JsonObject o, String source) {
        JsonObject m = SpecValues.withDefaults(DEFAULTS, o, "search", source);
        String p = "search.";
        return new SearchSettings(m.get("generator").getAsString(), SpecValues.integer(m, "candidates", p),
                SpecValues.integer(m, "batch", p), SpecValues.integer(m, "population", p),
                SpecValues.integer(m, "seed", p), SpecValues.integer(m, "maxDepth", p),
                SpecValues.number(m, "validation", p), SpecValues.number(m, "order", p), bool(m, "fixedEnds"),
                bool(m, "paper"), SpecValues.integer(m, "latencyBatch", p), SpecValues.integer(m, "latencySeq", p),
                SpecValues.integer(m, "latencyRuns", p), SpecValues.number(m, "penalty", p), bool(m, "repair"));
    }

    private static boolean bool(JsonObject m, String k) {
        String v = m.get(k).getAsString();
        if (!v.equals("true") && !v.equals("false")) {
            throw new UserInputException("\"search." + k + "\" must be true or false, got " + v);
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * The object as the study file writes it (its keys are the record's components; a zero penalty and no repair,
     * the defaults, are left out, so a search folder made before those keys existed keeps its identity and resumes).
     */
    public JsonObject toJson() {
        JsonObject o = new Gson().toJsonTree(this).getAsJsonObject();
        if (penalty == 0) {
            o.remove("penalty");
        }
        if (!repair) {
            o.remove("repair");
        }
        return o;
    }
}
