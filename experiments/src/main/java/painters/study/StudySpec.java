package painters.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import painters.eval.head.PairEncoding;
import painters.model.UserInputException;
import painters.model.weights.Precision;
import painters.subject.SubjectSettings;

/**
 * A study as data (read by {@link StudySpecs} from JSON, with {@code --key=value} overrides).
 *
 * @param name              folder name under results/
 * @param description       one line for the report
 * @param model             "default", a HF directory or an ONNX export
 * @param tasks             task names or spec files
 * @param data              folder for ${data} in task specs (null: none)
 * @param variants          variant ids (skip, middle-repeat, reverse, random, parallel, looped-parallel, repeat-in-place)
 * @param splits            split values s; empty = every valid split
 * @param seeds             random-order seeds per split (seeds 0..n-1)
 * @param loops             R of looped parallel (and k of repeat-in-place)
 * @param singleLayer       also run single-layer skip of every block and the switch of every neighbouring pair
 *                          (claims 2 and 10)
 * @param plans             extra hand-written plans
 * @param headSeeds         seeds of the heads (init order, data order, folds)
 * @param trainMax          cap on training examples per task (seeded subsample); 0 = all
 * @param batchSize         inputs per forward pass
 * @param maxLength         tokens per input
 * @param cossim            draw the hidden-state cos-sim heatmap of the full model
 * @param cossimTexts       texts for it (WordNet example sentences)
 * @param orderSensitive    tasks that are order-sensitive ("reasoning"), for claim 8; the rest count as semantic
 * @param loopGrid          if > 0, also looped parallel with R = 1..loopGrid at every split (the paper's Fig. 10)
 * @param workers           plans evaluated at once, each on its own graph (0 = one per core); ND4J's threads are
 *                          divided among them (on short inputs one thread per plan beats two threads on one plan)
 * @param limit             decoders: items scored per language-model task (the first N; 0 = all)
 * @param context           decoders: context length in tokens (0 = the model's max positions)
 * @param bos               decoders: BOS before every context (lm-eval v0.4 adds it only to empty contexts)
 * @param kind              what kind of study, with its own settings ({@link KindSettings}: the frozen grid, recovery,
 *                          a sweep, a plan search, routers; {@link StudyKinds} reads it from the spec's sections)
 * @param prefixCache       encoders: compute the unmodified prefix of every plan once per batch (the full model's
 *                          state entering block s+1) and run only each plan's suffix; same numbers, less work
 * @param seedSpread        if > 1, the full model is also scored with this many head seeds in all (the first of
 *                          headSeeds and the next ones): their spread is the head's seed noise, reported and added
 *                          to every score's standard error
 * @param dtype             precision the pretrained weights are held in: fp32 (default), bf16 or fp16
 * @param engine            where units are computed: {@code local} (this process's workers, the default) or
 *                          {@code spark} (fanned out on Apache Spark; module {@code distributed})
 * @param spark             the spark engine's settings (see {@link SparkSettings})
 * @param pairs             how the frozen heads read a two-text task: auto (each text alone for a bi-encoder, a
 *                          sentence-transformers model; the pair together otherwise), joint or separate
 */
public record StudySpec(String name, String description, String model, List<String> tasks, String data,
                        List<String> variants, List<Integer> splits, int seeds, int loops, boolean singleLayer,
                        List<String> plans, List<Long> headSeeds, int trainMax, int batchSize, int maxLength,
                        boolean cossim, int cossimTexts, List<String> orderSensitive, int loopGrid, int workers,
                        int limit, int context, boolean bos, KindSettings kind, boolean prefixCache, int seedSpread,
                        String dtype, String engine, SparkSettings spark, PairEncoding pairs) {

    public StudySpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new UserInputException("study name must be letters, digits, '.', '_', '-': " + name);
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new UserInputException("a study needs at least one task");
        }
        atLeast("seeds", seeds, 1);
        atLeast("loops", loops, 1);
        atLeast("batchSize", batchSize, 1);
        atLeast("cossimTexts", cossimTexts, 1);
        atLeast("maxLength", maxLength, 2);
        atLeast("trainMax", trainMax, 0);
        dtype = Precision.parse(dtype == null ? "fp32" : dtype).label();
        if (seedSpread < 0) {
            throw new UserInputException("\"seedSpread\" must be >= 0, got " + seedSpread);
        }
        if (loopGrid < 0) {
            throw new UserInputException("loopGrid must be >= 0 (0 = off)");
        }
        if (workers < 0) {
            throw new UserInputException("workers must be >= 0 (0 = one per core)");
        }
        if (limit < 0 || context < 0) {
            throw new UserInputException("limit and context must be >= 0 (0 = all / the model's length)");
        }
        kind = kind == null ? StudyKinds.read(Map.of(), "the spec") : kind;
        if (!engine.matches("[a-z][a-z0-9-]*")) {
            throw new UserInputException("\"engine\" must be a name such as local or spark, got \"" + engine + "\"");
        }
        spark = spark == null ? SparkSettings.defaults() : spark;
        pairs = pairs == null ? PairEncoding.AUTO : pairs;
        if (headSeeds == null || headSeeds.isEmpty()) {
            throw new UserInputException("headSeeds is empty");
        }
        tasks = List.copyOf(tasks);
        variants = List.copyOf(variants);
        splits = List.copyOf(splits);
        plans = List.copyOf(plans);
        headSeeds = List.copyOf(headSeeds);
        orderSensitive = List.copyOf(orderSensitive);
    }

    /** What the subject's protocol reads from this spec. */
    public SubjectSettings subjectSettings() {
        return new SubjectSettings(tasks, data == null ? null : Path.of(data), batchSize,
                maxLength, trainMax, headSeeds, limit, context, bos, prefixCache, kind.fineTuneData(), kind.heldOut(),
                pairs);
    }

    /** The kind's settings as {@code type}: what a kind's own classes read (an internal error for another kind). */
    public <T extends KindSettings> T settings(Class<T> type) {
        if (!type.isInstance(kind)) {
            throw new IllegalStateException("study " + name + " is a " + StudyKinds.of(kind).name() + " study, not "
                    + type.getSimpleName());
        }
        return type.cast(kind);
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new UserInputException("\"" + key + "\" must be >= " + min + ", got " + value);
        }
    }

    /** Workers to run, resolving 0 to the number of cores. */
    public int resolvedWorkers() {
        return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
    }
}
