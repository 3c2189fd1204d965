package painters.model.decoder;

import java.util.List;
import java.util.function.BiPredicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder's forward pass as the language-model tasks use it: logits of a batch and greedy
 * generation. The frozen {@link DecoderGraph} implements it (generation with its KV cache), and so
 * does a {@link DecoderTrainingGraph} being fine-tuned (with its current weights), so a recovery curve
 * scores the same tasks the frozen study does.
 */
public interface DecoderForward {

    DecoderConfig config();

    /** Logits {@code [batch, seq, vocab]} of a batch without cache. */
    INDArray logits(DecoderBatch batch);

    /**
     * Greedy generation (see {@link GreedyGenerator}): per row, the generated ids.
     *
     * @param eos  EOS id that ends a row (not included), or -1
     * @param stop (row, ids generated so far) -> whether the row is finished
     */
    List<int[]> generate(List<int[]> prompts, int maxNewTokens, int eos, BiPredicate<Integer, int[]> stop);
}
