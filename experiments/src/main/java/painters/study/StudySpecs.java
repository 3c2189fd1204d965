package painters.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import painters.eval.head.PairEncoding;
import painters.model.UserInputException;
import painters.model.io.Utf8Text;

/**
 * Reads a study spec from JSON and applies {@code --key=value} overrides (lists as comma-separated
 * values, except {@code --plans=PLAN}: plans contain commas, so each flag is one plan and the flag repeats). Every key has a default, so a spec names only what differs; unknown keys, in the file or
 * in an override, are errors.
 */
public final class StudySpecs {

    /** Every key common to all kinds with its default (the kinds' sections, null by default, come from the registry). */
    private static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("name", new JsonPrimitive("study"));
        DEFAULTS.put("description", new JsonPrimitive(""));
        DEFAULTS.put("model", new JsonPrimitive("default"));
        DEFAULTS.put("tasks", array("wn-lexname", "wn-shuffle"));
        DEFAULTS.put("data", JsonNull.INSTANCE);
        DEFAULTS.put("variants", array("skip", "middle-repeat", "reverse", "random", "parallel", "looped-parallel"));
        DEFAULTS.put("splits", new JsonArray());
        DEFAULTS.put("seeds", new JsonPrimitive(10));
        DEFAULTS.put("loops", new JsonPrimitive(3));
        DEFAULTS.put("singleLayer", new JsonPrimitive(false));
        DEFAULTS.put("plans", new JsonArray());
        DEFAULTS.put("headSeeds", array("0"));
        DEFAULTS.put("trainMax", new JsonPrimitive(0));
        DEFAULTS.put("batchSize", new JsonPrimitive(32));
        DEFAULTS.put("maxLength", new JsonPrimitive(128));
        DEFAULTS.put("cossim", new JsonPrimitive(true));
        DEFAULTS.put("cossimTexts", new JsonPrimitive(256));
        DEFAULTS.put("orderSensitive", array("wn-shuffle"));
        DEFAULTS.put("loopGrid", new JsonPrimitive(0));
        DEFAULTS.put("workers", new JsonPrimitive(1));
        DEFAULTS.put("limit", new JsonPrimitive(0));
        DEFAULTS.put("context", new JsonPrimitive(0));
        DEFAULTS.put("bos", new JsonPrimitive(false));
        DEFAULTS.put("prefixCache", new JsonPrimitive(true));
        DEFAULTS.put("pairs", new JsonPrimitive("auto"));
        DEFAULTS.put("seedSpread", new JsonPrimitive(0));
        DEFAULTS.put("dtype", new JsonPrimitive("fp32"));
        DEFAULTS.put("engine", new JsonPrimitive("local"));
        DEFAULTS.put("spark", JsonNull.INSTANCE);
    }

    /** Every key with its default: the common ones, then each registered kind's sections (null: not that kind). */
    static Map<String, JsonElement> defaults() {
        Map<String, JsonElement> all = new LinkedHashMap<>(DEFAULTS);
        StudyKinds.sectionKeys().forEach(k -> all.put(k, JsonNull.INSTANCE));
        return all;
    }

    /**
     * The keys of the study's nested objects, which overrides reach as {@code --OBJECT.KEY=value}: the engine's
     * {@code spark} and the kinds' sections ({@link StudyKinds#overridable}).
     */
    private static Map<String, Map<String, JsonElement>> nested() {
        Map<String, Map<String, JsonElement>> n = new LinkedHashMap<>();
        n.put("spark", SparkSettings.DEFAULTS);
        n.putAll(StudyKinds.overridable());
        return n;
    }

    private StudySpecs() {}

    private static JsonArray array(String... xs) {
        JsonArray a = new JsonArray();
        for (String x : xs) {
            a.add(x);
        }
        return a;
    }

    /** Reads {@code file} and applies {@code overrides} ("--key=value" or "key=value"). */
    public static StudySpec load(Path file, List<String> overrides) {
        String text = Utf8Text.read(file);          // "not found", "not valid UTF-8 ..."
        JsonObject o = StrictJson.object(text, file.toString());
        return resolve(o, overrides, file.toString());
    }

    public static StudySpec resolve(JsonObject file, List<String> overrides, String source) {
        Map<String, JsonElement> defaults = defaults();
        Map<String, Map<String, JsonElement>> nestedKeys = nested();
        JsonObject merged = new JsonObject();
        defaults.forEach(merged::add);
        for (Map.Entry<String, JsonElement> e : file.entrySet()) {
            if (e.getKey().equals("comment")) {
                continue;
            }
            if (!defaults.containsKey(e.getKey())) {
                throw new UserInputException(source + ": unknown key \"" + e.getKey() + "\" (known: "
                        + defaults.keySet() + ")");
            }
            merged.add(e.getKey(), e.getValue());
        }
        Set<String> overridden = new HashSet<>();
        for (String ov : overrides) {
            String kv = ov.startsWith("--") ? ov.substring(2) : ov;
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("override \"" + ov + "\" is not --key=value");
            }
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            int dot = key.indexOf('.');
            Map<String, JsonElement> nested = dot > 0 ? nestedKeys.get(key.substring(0, dot)) : null;
            if (nested != null) {
                // --spark.KEY=value, --finetune.KEY=value, ... (a kind's section): one key of that object
                String object = key.substring(0, dot);
                String sub = key.substring(dot + 1);
                if (!nested.containsKey(sub)) {
                    throw new UserInputException("unknown " + object + " key \"" + sub + "\" in override " + ov
                            + " (known: " + nested.keySet() + ")");
                }
                if (nested.get(sub).isJsonObject()) {
                    throw new UserInputException("override " + ov + ": give " + key + " in the study file");
                }
                JsonObject o = merged.get(object).isJsonObject() ? merged.getAsJsonObject(object) : new JsonObject();
                o.add(sub, new JsonPrimitive(value));
                merged.add(object, o);
                continue;
            }
            JsonElement dflt = defaults.get(key);
            if (dflt == null) {
                throw new UserInputException("unknown study key \"" + key + "\" in override " + ov + " (known: "
                        + defaults.keySet() + ")");
            }
            if (key.equals("plans")) {
                // plans contain commas: each --plans=PLAN is one plan, repeat the flag for more
                JsonArray a = overridden.add(key) ? new JsonArray() : merged.getAsJsonArray(key);
                if (!value.isBlank()) {
                    a.add(value.strip());
                }
                merged.add(key, a);
            } else if (dflt.isJsonArray()) {
                if (!overridden.add(key)) {
                    throw new UserInputException("override " + ov + " repeats --" + key + "; give one "
                            + "comma-separated list");
                }
                JsonArray a = new JsonArray();
                for (String v : value.isEmpty() ? new String[0] : value.split(",")) {
                    a.add(v.strip());
                }
                merged.add(key, a);
            } else {
                merged.add(key, new JsonPrimitive(value));
            }
        }
        Map<String, JsonObject> sections = new LinkedHashMap<>();
        for (String k : StudyKinds.sectionKeys()) {
            if (!merged.get(k).isJsonNull()) {
                sections.put(k, object(merged, k));
            }
        }
        try {
            return new StudySpec(text(merged, "name"), text(merged, "description"),
                    text(merged, "model"), strings(merged, "tasks"),
                    merged.get("data").isJsonNull() || text(merged, "data").isEmpty() ? null : text(merged, "data"),
                    strings(merged, "variants"), SpecValues.integers(strings(merged, "splits"), "splits"),
                    integer(merged, "seeds"), integer(merged, "loops"), bool(merged, "singleLayer"),
                    strings(merged, "plans"), SpecValues.longs(strings(merged, "headSeeds"), "headSeeds"),
                    integer(merged, "trainMax"), integer(merged, "batchSize"),
                    integer(merged, "maxLength"), bool(merged, "cossim"), integer(merged, "cossimTexts"),
                    strings(merged, "orderSensitive"), integer(merged, "loopGrid"),
                    integer(merged, "workers"), integer(merged, "limit"),
                    integer(merged, "context"), bool(merged, "bos"), StudyKinds.read(sections, source),
                    bool(merged, "prefixCache"), integer(merged, "seedSpread"), text(merged, "dtype"),
                    text(merged, "engine"),
                    merged.get("spark").isJsonNull() ? null : SparkSettings.of(object(merged, "spark"), source),
                    PairEncoding.parse(text(merged, "pairs")));
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            throw new UserInputException(source + ": bad value: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonObject o, String k) {
        if (!o.get(k).isJsonObject()) {
            throw new UserInputException("\"" + k + "\" must be an object");
        }
        return o.getAsJsonObject(k);
    }

    /** A resolved spec written by {@link #toJson} (a share of a study sent to another process), read back. */
    public static StudySpec fromJson(String json, String source) {
        return resolve(JsonParser.parseString(json).getAsJsonObject(), List.of(), source);
    }

    private static int integer(JsonObject o, String k) {
        return SpecValues.integer(o, k, "");
    }

    /** A string value; any other JSON is an error naming the key. */
    private static String text(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new UserInputException("\"" + k + "\" must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static boolean bool(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (!e.isJsonPrimitive()) {
            throw new UserInputException("\"" + k + "\" must be true or false, got " + e);
        }
        String v = e.getAsString();
        if (!v.equals("true") && !v.equals("false")) {
            throw new UserInputException("\"" + k + "\" must be true or false, got " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static List<String> strings(JsonObject o, String k) {
        JsonElement e = o.get(k);
        if (!e.isJsonArray()) {
            throw new UserInputException("\"" + k + "\" must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive()) {
                throw new UserInputException("\"" + k + "\" must be a list of strings or numbers, got " + e);
            }
            out.add(x.getAsString());
        }
        return out;
    }

    /** The resolved spec as JSON, written next to the results. */
    public static String toJson(StudySpec s) {
        JsonObject o = new JsonObject();
        o.addProperty("name", s.name());
        o.addProperty("description", s.description());
        o.addProperty("model", s.model());
        o.add("tasks", array(s.tasks().toArray(new String[0])));
        o.addProperty("data", s.data());
        o.add("variants", array(s.variants().toArray(new String[0])));
        JsonArray sp = new JsonArray();
        s.splits().forEach(sp::add);
        o.add("splits", sp);
        o.addProperty("seeds", s.seeds());
        o.addProperty("loops", s.loops());
        o.addProperty("singleLayer", s.singleLayer());
        o.add("plans", array(s.plans().toArray(new String[0])));
        JsonArray hs = new JsonArray();
        s.headSeeds().forEach(hs::add);
        o.add("headSeeds", hs);
        o.addProperty("trainMax", s.trainMax());
        o.addProperty("batchSize", s.batchSize());
        o.addProperty("maxLength", s.maxLength());
        o.addProperty("cossim", s.cossim());
        o.addProperty("cossimTexts", s.cossimTexts());
        o.add("orderSensitive", array(s.orderSensitive().toArray(new String[0])));
        o.addProperty("loopGrid", s.loopGrid());
        o.addProperty("workers", s.workers());
        o.addProperty("limit", s.limit());
        o.addProperty("context", s.context());
        o.addProperty("bos", s.bos());
        o.addProperty("prefixCache", s.prefixCache());
        o.addProperty("pairs", s.pairs().id());
        o.addProperty("seedSpread", s.seedSpread());
        o.addProperty("dtype", s.dtype());
        o.addProperty("engine", s.engine());
        o.add("spark", s.spark().toJson());
        StudyKinds.json(s.kind()).forEach(o::add);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o) + "\n";
    }
}
