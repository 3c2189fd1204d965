package painters.study;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import painters.model.UserInputException;

/**
 * The {@code spark} object of a study file: how the {@code spark} engine (module {@code distributed}) runs the
 * study's units. Plain values, read and checked here so a bad one fails when the spec is read; every key has a
 * default. Results never depend on these (they are not part of a run's identity).
 *
 * @param master          Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn},
 *                        {@code k8s://...}); empty: the one {@code spark-submit} gives, else {@code local[*]}
 * @param taskCpus        cores each task (one share of the study) uses: ND4J's thread count on the executor
 * @param executorMemory  executors' JVM heap ({@code spark.executor.memory}, e.g. {@code 2g}); empty: Spark's default
 * @param executorOffHeap executors' ND4J off-heap limit (JavaCPP {@code maxbytes}, e.g. {@code 6G}); empty: none set
 * @param maxFailures     attempts per task before the study fails ({@code spark.task.maxFailures}; Spark retries a
 *                        failed or lost task, and its rows are stored once)
 * @param conf            further Spark settings passed as they are ({@code spark.executor.resource.gpu.amount}, ...)
 */
public record SparkSettings(String master, int taskCpus, String executorMemory, String executorOffHeap, int maxFailures,
                            Map<String, String> conf) {

    static final Map<String, JsonElement> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("master", new JsonPrimitive(""));
        DEFAULTS.put("taskCpus", new JsonPrimitive(1));
        DEFAULTS.put("executorMemory", new JsonPrimitive(""));
        DEFAULTS.put("executorOffHeap", new JsonPrimitive(""));
        DEFAULTS.put("maxFailures", new JsonPrimitive(4));
        DEFAULTS.put("conf", new JsonObject());
    }

    private static final String SIZE = "[0-9]+[kKmMgGtT]?";

    public SparkSettings {
        if (taskCpus < 1) {
            throw new UserInputException("spark.taskCpus must be >= 1, got " + taskCpus);
        }
        if (maxFailures < 1) {
            throw new UserInputException("spark.maxFailures must be >= 1, got " + maxFailures);
        }
        if (!executorMemory.isEmpty() && !executorMemory.matches(SIZE)) {
            throw new UserInputException("spark.executorMemory must be a size such as 2g, got \"" + executorMemory + "\"");
        }
        if (!executorOffHeap.isEmpty() && !executorOffHeap.matches(SIZE)) {
            throw new UserInputException("spark.executorOffHeap must be a size such as 6G, got \"" + executorOffHeap
                    + "\"");
        }
        for (String k : conf.keySet()) {
            if (!k.startsWith("spark.")) {
                throw new UserInputException("spark.conf key \"" + k + "\" is not a Spark setting (spark.*)");
            }
        }
        conf = Map.copyOf(conf);
    }

    /** The defaults (no {@code spark} object in the file). */
    public static SparkSettings defaults() {
        return of(new JsonObject(), "defaults");
    }

    /** Reads the {@code spark} object; unknown keys are errors that name {@code source}. */
    static SparkSettings of(JsonObject o, String source) {
        JsonObject m = SpecValues.withDefaults(DEFAULTS, o, "spark", source);
        if (!m.get("conf").isJsonObject()) {
            throw new UserInputException(source + ": spark.conf must be an object of Spark settings");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        m.getAsJsonObject("conf").entrySet().forEach(e -> conf.put(e.getKey(), e.getValue().getAsString()));
        return new SparkSettings(m.get("master").getAsString(), SpecValues.integer(m, "taskCpus", "spark."),
                m.get("executorMemory").getAsString(), m.get("executorOffHeap").getAsString(),
                SpecValues.integer(m, "maxFailures", "spark."), conf);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("master", master);
        o.addProperty("taskCpus", taskCpus);
        o.addProperty("executorMemory", executorMemory);
        o.addProperty("executorOffHeap", executorOffHeap);
        o.addProperty("maxFailures", maxFailures);
        JsonObject c = new JsonObject();
        new TreeMap<>(conf).forEach(c::addProperty);
        o.add("conf", c);
        return o;
    }
}
