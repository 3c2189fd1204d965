package painters.model.llama;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One decoder call's placeholders: token ids and positions {@code [B, S]} and the additive attention
 * bias {@code [B, 1, S, past + S]}. Query {@code i} of a row may read key slot {@code j} when the
 * slot holds a real token, {@code j <= past + i} (causal), and, with a sliding window {@code w},
 * {@code pos(i) - pos(j) < w}.
 *
 * @param ids       token ids, padding filled with 0
 * @param positions RoPE positions of each slot (0-based within the row's real tokens)
 * @param bias      0 or {@link LlamaBlocks#MASK_BIAS}
 * @param keyValid  per row, whether each of the {@code past + S} key slots is a real token
 * @param keyPos    per row, the position of each key slot
 * @param past      number of cached slots before these S
 */
public record DecoderBatch(INDArray ids, INDArray positions, INDArray bias, boolean[][] keyValid, long[][] keyPos,
                           int past) {

    /** Placeholder values. */
    public Map<String, INDArray> feed() {
        Map<String, INDArray> m = new HashMap<>();
        m.put("input_ids", ids);
        m.put("position_ids", positions);
        m.put("attention_bias", bias);
        return m;
    }

    public int batchSize() {
        return (int) ids.size(0);
    }

    public int length() {
        return (int) ids.size(1);
    }

    /** Sequences padded on the right (scoring): row r's tokens sit at slots 0..len-1, positions 0..len-1. */
    public static DecoderBatch rightPadded(List<int[]> seqs, int window) {
        return padded(seqs, window, false);
    }

    /** Sequences padded on the left (generation): every row's last token is at slot S-1. */
    public static DecoderBatch leftPadded(List<int[]> seqs, int window) {
        return padded(seqs, window, true);
    }

    private static DecoderBatch padded(List<int[]> seqs, int window, boolean left) {
        int b = seqs.size();
        int s = seqs.stream().mapToInt(a -> a.length).max().orElse(0);
        if (s == 0) {
            throw new IllegalArgumentException("empty batch or empty sequence");
        }
        long[][] ids = new long[b][s];
        long[][] pos = new long[b][s];
        boolean[][] valid = new boolean[b][s];
        for (int r = 0; r < b; r++) {
            int[] q = seqs.get(r);
            int pad = left ? s - q.length : 0;
            for (int i = 0; i < s; i++) {
                boolean real = i >= pad && i - pad < q.length;
                ids[r][i] = real ? q[i - pad] : 0;
                pos[r][i] = left ? (real ? i - pad : 0) : i;
                valid[r][i] = real;
            }
        }
        return of(ids, pos, valid, pos, 0, window);
    }

    /** The next single token per row after this batch (which may itself be a step): past grows by S. */
    public DecoderBatch next(int[] tokens, int window) {
        int b = tokens.length;
        int keys = keyValid[0].length + 1;
        long[][] ids = new long[b][1];
        long[][] pos = new long[b][1];
        boolean[][] valid = new boolean[b][];
        long[][] kp = new long[b][];
        for (int r = 0; r < b; r++) {
            ids[r][0] = tokens[r];
            long last = -1;
            for (int j = 0; j < keyValid[r].length; j++) {
                if (keyValid[r][j]) {
                    last = Math.max(last, keyPos[r][j]);
                }
            }
            pos[r][0] = last + 1;
            valid[r] = Arrays.copyOf(keyValid[r], keys);
            valid[r][keys - 1] = true;
            kp[r] = Arrays.copyOf(keyPos[r], keys);
            kp[r][keys - 1] = last + 1;
        }
        return of(ids, pos, valid, kp, keys - 1, window);
    }

    private static DecoderBatch of(long[][] ids, long[][] pos, boolean[][] valid, long[][] keyPos, int past,
                                   int window) {
        int b = ids.length;
        int s = ids[0].length;
        int keys = past + s;
        float[] bias = new float[b * s * keys];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < keys; j++) {
                    boolean ok = valid[r][j] && j <= past + i
                            && (window <= 0 || pos[r][i] - keyPos[r][j] < window);
                    bias[(r * s + i) * keys + j] = ok ? 0f : LlamaBlocks.MASK_BIAS;
                }
            }
        }
        return new DecoderBatch(Nd4j.createFromArray(ids), Nd4j.createFromArray(pos),
                Nd4j.create(bias, new long[] {b, 1, s, keys}, 'c'), valid, keyPos, past);
    }
}
