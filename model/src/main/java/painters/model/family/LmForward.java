package painters.model.family;

import java.util.List;
import java.util.function.BiPredicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A causal language model's forward pass as the language-model tasks use it: logits of token sequences and
 * greedy generation. The frozen graph of a plan ({@link LmGraph}) implements it (generation with its KV
 * cache), and so does a graph being fine-tuned ({@link LmTrainingGraph}, with its current weights), so a
 * recovery curve scores the same tasks the frozen study does.
 */
public interface LmForward {

    /** The most tokens a sequence may hold (the model's positions). */
    int contextLength();

    /** Logits {@code [batch, seq, vocab]} of sequences, right-padded to the longest (padding masked out). */
    INDArray logits(List<int[]> seqs);

    /**
     * Greedy generation: per row, the generated ids.
     *
     * @param eos  EOS id that ends a row (not included), or -1
     * @param stop (row, ids generated so far) -> whether the row is finished
     */
    List<int[]> generate(List<int[]> prompts, int maxNewTokens, int eos, BiPredicate<Integer, int[]> stop);
}
