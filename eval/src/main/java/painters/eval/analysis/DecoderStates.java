package painters.eval.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.llama.DecoderBatch;
import painters.model.llama.LlamaDecoder;
import painters.model.tokenizer.TextTokenizer;
import painters.model.tokenizer.TokenBatch;

/**
 * Feeds a decoder's hidden states to {@link StateAnalysis}: texts become BOS-prefixed, right-padded
 * batches (the mask marks real tokens, so padding is excluded from every statistic), and each batch's
 * states are those of {@link LlamaDecoder#hiddenStates}.
 */
public final class DecoderStates {

    private DecoderStates() {}

    /** Texts as token batches: BOS, then at most {@code maxLength - 1} tokens. */
    public static List<TokenBatch> batches(TextTokenizer tok, List<String> texts, int batchSize, int maxLength) {
        List<TokenBatch> out = new ArrayList<>();
        for (int s = 0; s < texts.size(); s += batchSize) {
            List<String> part = texts.subList(s, Math.min(texts.size(), s + batchSize));
            long[][] ids = new long[part.size()][];
            int len = 0;
            for (int i = 0; i < part.size(); i++) {
                int[] t = tok.encode(part.get(i));
                t = Arrays.copyOf(t, Math.min(t.length, maxLength - 1));
                ids[i] = new long[t.length + 1];
                ids[i][0] = tok.bos();
                for (int k = 0; k < t.length; k++) {
                    ids[i][k + 1] = t[k];
                }
                len = Math.max(len, ids[i].length);
            }
            long[][] padded = new long[part.size()][len];
            long[][] mask = new long[part.size()][len];
            for (int i = 0; i < part.size(); i++) {
                System.arraycopy(ids[i], 0, padded[i], 0, ids[i].length);
                Arrays.fill(mask[i], 0, ids[i].length, 1);
            }
            out.add(new TokenBatch(padded, new long[part.size()][len], mask));
        }
        return out;
    }

    /** The decoder's states for a batch made by {@link #batches}. */
    public static Function<TokenBatch, List<INDArray>> of(LlamaDecoder decoder) {
        return b -> {
            List<int[]> seqs = new ArrayList<>();
            for (int r = 0; r < b.batchSize(); r++) {
                int[] s = new int[b.length(r)];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (int) b.ids()[r][i];
                }
                seqs.add(s);
            }
            return decoder.hiddenStates(DecoderBatch.rightPadded(seqs, decoder.config().slidingWindow()));
        };
    }
}
