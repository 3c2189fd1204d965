package painters.model.family;

import painters.model.plan.LayerPlan;
import painters.model.tokenizer.HfTokenizer;
import painters.model.weights.Precision;

/**
 * A sentence encoder, whatever its family: the capability that task heads, probes, encoder fine-tuning,
 * routing and embedding use ({@link Readout#SENTENCE_FEATURES}).
 */
public interface SentenceEncoder extends LoadedModel {

    HfTokenizer tokenizer();

    /** How sentence features are read off the last hidden state, as the checkpoint says. */
    Pooling pooling();

    /** Whether sentence embeddings are L2-normalised (the model card says so). */
    boolean normalize();

    /**
     * Whether the checkpoint is a bi-encoder (a sentence-transformers model), trained to embed one text at a time:
     * pair tasks then encode each text alone by default ({@code [u, v, |u-v|, u*v]}, the SentEval/SBERT protocol)
     * rather than the pair together (the paper's protocol for BERT).
     */
    boolean biEncoder();

    /** The frozen graph under {@code plan}, whole. */
    EncoderGraph graph(LayerPlan plan);

    /**
     * The frozen graph of {@code plan} for features read with {@link #pooling()}, from its first {@code skip}
     * steps on (0: the whole plan; else a segment fed the state entering step {@code skip}; a plan with loops
     * must be flattened first). For CLS pooling the last step computes the first position only.
     */
    EncoderGraph pooledGraph(LayerPlan plan, int skip);

    /**
     * The graph of {@code plan} from its first {@code skip >= 1} steps on, for the whole last hidden state
     * (shared prefixes: the segment after a cached state).
     */
    EncoderGraph segment(LayerPlan plan, int skip);

    /** A graph under {@code plan} with {@code head} on its pooled features that trains what {@code how} says. */
    EncoderTrainingGraph trainingGraph(LayerPlan plan, Unfreezing how, TaskHead head);

    @Override
    SentenceEncoder withPrecision(Precision p);

    @Override
    SentenceEncoder withPrompt(String nameOrText);
}
