package painters.model.decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;

/**
 * Greedy (argmax) generation with the decoder's KV cache: the prompts run once (left-padded), then one
 * cached step per new token. A row stops at EOS, when {@code stop} says so (e.g. a stop string
 * appeared in its decoded text), or after {@code maxNewTokens}; the batch stops when every row has.
 * Ties in argmax go to the lowest id.
 */
public final class GreedyGenerator {

    private GreedyGenerator() {}

    /**
     * @param decoder      the decoder (any plan)
     * @param prompts      token ids per row, BOS included if wanted; each non-empty
     * @param maxNewTokens tokens to generate at most per row
     * @param eos          EOS id that ends a row (not included in the output), or -1
     * @param stop         (row, ids generated so far) -> whether the row is finished
     * @return per row, the generated ids
     */
    public static List<int[]> generate(DecoderGraph decoder, List<int[]> prompts, int maxNewTokens, int eos,
                                       BiPredicate<Integer, int[]> stop) {
        int b = prompts.size();
        int limit = decoder.config().maxPositions();
        for (int[] p : prompts) {
            if (p.length == 0) {
                throw new UserInputException("empty prompt");
            }
            if (p.length >= limit) {
                throw new UserInputException("prompt of " + p.length + " tokens does not fit in "
                        + limit + " positions");
            }
        }
        // no row outlives the model's positions, however many tokens are asked for
        int room = limit - prompts.stream().mapToInt(p -> p.length).min().orElse(0);
        maxNewTokens = Math.max(0, Math.min(maxNewTokens, room));
        int[][] out = new int[b][maxNewTokens];
        int[] len = new int[b];
        boolean[] done = new boolean[b];
        if (maxNewTokens == 0) {
            return toList(out, len);
        }
        DecoderGraph.Step step = decoder.prefill(DecoderBatch.leftPadded(prompts, decoder.config()));
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        Rope.LongRope longRope = decoder.config().rotaryDims() > 0 ? decoder.config().rope().longRope() : null;
        for (int t = 0; t < maxNewTokens; t++) {
            int[] next = argmax(step.lastLogits());
            boolean all = true;
            for (int r = 0; r < b; r++) {
                if (done[r]) {
                    continue;
                }
                if (next[r] == eos) {
                    done[r] = true;
                    continue;
                }
                out[r][len[r]++] = next[r];
                if (len[r] == maxNewTokens || stop.test(r, Arrays.copyOf(out[r], len[r]))
                        || prompts.get(r).length + len[r] >= limit) {
                    done[r] = true;
                }
                all &= done[r];
            }
            if (all || t == maxNewTokens - 1 || longest + t + 1 >= limit) {
                break;
            }
            if (longRope != null && longest + t <= longRope.originalMaxPositions()
                    && longest + t + 1 > longRope.originalMaxPositions()) {
                // LongRoPE's factors turn long here; the cached keys were rotated with the short ones. As transformers'
                // Phi-3 generate() does (PR #33129), the cache is dropped and the whole sequences run again
                List<int[]> seqs = new ArrayList<>();
                for (int r = 0; r < b; r++) {
                    int[] p = prompts.get(r);
                    int[] q = Arrays.copyOf(p, p.length + len[r]);
                    System.arraycopy(out[r], 0, q, p.length, len[r]);
                    seqs.add(q);
                }
                step = decoder.prefill(DecoderBatch.leftPadded(seqs, decoder.config()));
            } else {
                step = decoder.next(step, next);
            }
        }
        return toList(out, len);
    }

    private static List<int[]> toList(int[][] out, int[] len) {
        List<int[]> res = new ArrayList<>();
        for (int r = 0; r < out.length; r++) {
            res.add(Arrays.copyOf(out[r], len[r]));
        }
        return res;
    }

    /** Row-wise argmax of {@code [batch, vocab]}, lowest id on ties. */
    static int[] argmax(INDArray logits) {
        int b = (int) logits.size(0);
        int[] best = new int[b];
        for (int r = 0; r < b; r++) {
            float[] row = logits.getRow(r).toFloatVector();
            int k = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[k]) {
                    k = j;
                }
            }
            best[r] = k;
        }
        return best;
    }
}
