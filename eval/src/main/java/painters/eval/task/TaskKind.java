package painters.eval.task;

import java.util.Locale;
import painters.model.UserInputException;

/** What a task asks of the encoder and how it is scored. */
public enum TaskKind {
    /** Predict one of a fixed set of labels; a head is trained on the frozen encoder. */
    CLASSIFICATION,
    /** Predict a real number; a head is trained on the frozen encoder. */
    REGRESSION,
    /** Zero-shot: cosine of the two texts' sentence embeddings against a gold score. */
    SIMILARITY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskKind parse(String s) {
        for (TaskKind k : values()) {
            if (k.id().equals(s)) {
                return k;
            }
        }
        throw new UserInputException("unknown task kind \"" + s + "\" (classification, regression, similarity)");
    }
}
