package painters.eval.task;

import java.util.List;
import java.util.Map;
import painters.eval.metric.Metric;
import painters.model.UserInputException;

/**
 * A task as data, read from a small JSON file (see {@link TaskSpecs} for the keys).
 *
 * @param name        short id used in results ("sst2")
 * @param version     bumped whenever the data or scoring changes, recorded with every result
 * @param description one line for reports
 * @param kind        classification, regression or similarity
 * @param format      tsv, csv, jsonl, or wordnet (a task generated from WordNet 3.1, see the suite)
 * @param splits      split name ("train", "dev", "test") to file path (or generator parameters for wordnet)
 * @param eval        the split scored
 * @param header      whether delimited files start with a header row
 * @param text        the text fields: column names (with a header / JSONL keys) or 0-based column numbers
 * @param label       the label / target field
 * @param labels      class values in class-id order (classification)
 * @param metrics     metrics reported; the first is primary
 * @param chance      the primary metric's chance level, for the paper's normalisation
 * @param skipBadRows count and report malformed rows instead of failing (default: fail)
 * @param folds       k of the seeded k-fold cross-validation used when there is no train split
 * @param params      generator parameters (wordnet tasks)
 */
public record TaskSpec(String name, int version, String description, TaskKind kind, String format,
                       Map<String, String> splits, String eval, boolean header, List<String> text, String label,
                       List<String> labels, List<Metric> metrics, double chance, boolean skipBadRows, int folds,
                       Map<String, String> params) {

    public TaskSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new UserInputException("task name must be lower-case letters, digits, '-', '_', '.': " + name);
        }
        if (version < 1) {
            throw new UserInputException(name + ": version must be >= 1");
        }
        if (!List.of("tsv", "csv", "jsonl", "wordnet").contains(format)) {
            throw new UserInputException(name + ": unknown format \"" + format + "\" (tsv, csv, jsonl, wordnet)");
        }
        splits = Map.copyOf(splits);
        if (!splits.containsKey(eval)) {
            throw new UserInputException(name + ": the evaluated split \"" + eval + "\" is not in splits " + splits.keySet());
        }
        if (text == null || text.isEmpty() || text.size() > 2) {
            throw new UserInputException(name + ": \"text\" needs one or two fields");
        }
        text = List.copyOf(text);
        if (kind == TaskKind.CLASSIFICATION && (labels == null || labels.size() < 2)) {
            throw new UserInputException(name + ": a classification task needs \"labels\" (at least two)");
        }
        if (kind == TaskKind.SIMILARITY && text.size() != 2) {
            throw new UserInputException(name + ": a similarity task needs two text fields");
        }
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (metrics == null || metrics.isEmpty()) {
            throw new UserInputException(name + ": \"metrics\" is empty");
        }
        metrics = List.copyOf(metrics);
        for (Metric m : metrics) {
            if (kind == TaskKind.CLASSIFICATION ? m.isCorrelation() && labels.size() > 2 : !m.isCorrelation()) {
                throw new UserInputException(name + ": metric " + m.id() + " does not fit a " + kind.id() + " task");
            }
        }
        if (folds < 2) {
            throw new UserInputException(name + ": folds must be >= 2");
        }
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public Metric primary() {
        return metrics.get(0);
    }

    /** Whether a head can be trained on a separate split (else: k-fold cross-validation on {@link #eval}). */
    public boolean hasTrainSplit() {
        return splits.containsKey("train") && !"train".equals(eval);
    }
}
