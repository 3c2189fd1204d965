package painters.eval.head;

import java.util.Locale;
import painters.model.UserInputException;

/**
 * How a task with two texts (a pair: paraphrase, entailment, similarity regression) is turned into features for its
 * head:
 * <ul>
 *   <li>{@link #JOINT}: the pair encoded together, {@code [CLS] a [SEP] b [SEP]} (the paper's protocol for BERT, a
 *   cross-encoder reading);</li>
 *   <li>{@link #SEPARATE}: each text encoded alone and the head trained on {@code [u, v, |u-v|, u*v]} (the
 *   SentEval / SBERT protocol for sentence embeddings: a bi-encoder was trained on single texts).</li>
 * </ul>
 * {@link #AUTO} picks separate for a bi-encoder (a sentence-transformers checkpoint) and joint otherwise. Zero-shot
 * similarity tasks always encode each text alone (a cosine needs two embeddings).
 */
public enum PairEncoding {
    AUTO, JOINT, SEPARATE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; an unknown value names the key and the choices. */
    public static PairEncoding parse(String id) {
        for (PairEncoding p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new UserInputException("\"pairs\" must be auto, joint or separate, got \"" + id + "\"");
    }

    /** The encoding used for a model that is ({@code biEncoder}) or is not a bi-encoder. */
    public PairEncoding resolve(boolean biEncoder) {
        return this != AUTO ? this : biEncoder ? SEPARATE : JOINT;
    }
}
