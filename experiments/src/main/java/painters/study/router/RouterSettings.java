package painters.study.router;

import com.google.gson.Gson;
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
import painters.study.KindSettings;
import painters.study.SpecValues;

/**
 * The {@code router} object of a study file: a learned router over plans of the frozen model, trained per target
 * (an encoder's task, a decoder's corpus) at each compute penalty, compared with the static plans. Every key has a
 * default.
 *
 * @param penalties    compute penalties, nats per block application added to a plan's cost: one router each
 * @param plans        the plans chosen among (empty: the plans of the study's grid, each once)
 * @param prefix       blocks 0..prefix-1 run before the decision (0: the longest prefix every plan shares)
 * @param folds        encoders: folds of the out-of-fold head losses the router trains on
 * @param context      decoders: tokens of a window the router reads before deciding (the rest are scored)
 * @param corpus       decoders: the text trained and scored on (a text or .jsonl file, or an LM task with a train
 *                     split); null: none
 * @param heldOut      decoders: the scored share of the corpus's windows (the last ones)
 * @param steps        gradient-descent steps of a router's training, at most
 * @param initialStep  the first step size of its backtracking line search
 * @param l2           L2 weight on the router's weights (its costs normalised to a root mean square of 1)
 */
public record RouterSettings(List<Double> penalties, List<String> plans, int prefix, int folds, int context,
                             String corpus, double heldOut, int steps, double initialStep, double l2)
        implements KindSettings {

    static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        JsonArray pen = new JsonArray();
        for (double p : new double[] {0, 0.005, 0.01, 0.02, 0.05, 0.1}) {
            pen.add(p);
        }
        DEFAULTS.put("penalties", pen);
        DEFAULTS.put("plans", new JsonArray());
        DEFAULTS.put("prefix", new JsonPrimitive(0));
        DEFAULTS.put("folds", new JsonPrimitive(5));
        DEFAULTS.put("context", new JsonPrimitive(32));
        DEFAULTS.put("corpus", JsonNull.INSTANCE);
        DEFAULTS.put("heldOut", new JsonPrimitive(0.1));
        DEFAULTS.put("steps", new JsonPrimitive(500));
        DEFAULTS.put("initialStep", new JsonPrimitive(1.0));
        DEFAULTS.put("l2", new JsonPrimitive(0.01));
    }

    public RouterSettings {
        penalties = List.copyOf(penalties);
        plans = List.copyOf(plans);
        if (penalties.isEmpty() || penalties.stream().anyMatch(p -> !(p >= 0))) {
            throw new UserInputException("router.penalties must be one or more numbers >= 0, got " + penalties);
        }
        SpecValues.atLeast("router.prefix", prefix, 0);
        SpecValues.atLeast("router.folds", folds, 2);
        SpecValues.atLeast("router.context", context, 1);
        SpecValues.atLeast("router.steps", steps, 1);
        if (!(initialStep > 0)) {
            throw new UserInputException("router.initialStep must be > 0, got " + initialStep);
        }
        if (!(l2 >= 0)) {
            throw new UserInputException("router.l2 must be >= 0, got " + l2);
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new UserInputException("router.heldOut must be in (0, 1), got " + heldOut);
        }
    }

    /** Reads the object; unknown keys and bad values are errors naming {@code source}. */
    static RouterSettings of(JsonObject o, String source) {
        JsonObject m = SpecValues.withDefaults(DEFAULTS, o, "router", source);
        String p = "router.";
        List<Double> pen = new ArrayList<>();
        for (String v : list(m.get("penalties"), ",")) {
            try {
                pen.add(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                throw new UserInputException("\"router.penalties\" must be numbers, got " + v);
            }
        }
        JsonElement corpus = m.get("corpus");
        return new RouterSettings(pen, list(m.get("plans"), ";"), SpecValues.integer(m, "prefix", p),
                SpecValues.integer(m, "folds", p), SpecValues.integer(m, "context", p),
                corpus.isJsonNull() || corpus.getAsString().isBlank() ? null : corpus.getAsString(),
                SpecValues.number(m, "heldOut", p), SpecValues.integer(m, "steps", p),
                SpecValues.number(m, "initialStep", p), SpecValues.number(m, "l2", p));
    }

    /** An array's values, or an override's text cut at {@code sep} (plans contain commas: they are cut at ';'). */
    private static List<String> list(JsonElement e, String sep) {
        List<String> out = new ArrayList<>();
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> out.add(x.getAsString().strip()));
        } else {
            for (String v : e.getAsString().split(sep)) {
                if (!v.isBlank()) {
                    out.add(v.strip());
                }
            }
        }
        return out;
    }

    /** The object as the study file writes it (its keys are the record's components). */
    JsonObject toJson() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }
}
