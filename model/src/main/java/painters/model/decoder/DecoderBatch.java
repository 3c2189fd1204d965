package painters.model.decoder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;

/**
 * One decoder call's placeholders: token ids and positions {@code [B, S]} and the additive attention
 * bias {@code [B, 1, S, past + S]}. Query {@code i} of a row may read key slot {@code j} when the
 * slot holds a real token, {@code j <= past + i} (causal), and, with a sliding window {@code w},
 * {@code pos(i) - pos(j) < w}. A model whose blocks differ in window (Gemma 2) gets two biases: {@code bias}
 * without the window, {@code windowBias} with it; a model windowed everywhere (Mistral) has it in {@code bias}.
 *
 * @param ids       token ids, padding filled with 0
 * @param positions RoPE positions of each slot (0-based within the row's real tokens)
 * @param bias      0 or {@link DecoderBlocks#MASK_BIAS}
 * @param windowBias the same with the sliding window, or null (no model with mixed windows)
 * @param keyValid  per row, whether each of the {@code past + S} key slots is a real token
 * @param keyPos    per row, the position of each key slot
 * @param past      number of cached slots before these S
 * @param window    the sliding window (0: none)
 * @param mixed     whether the window is in {@code windowBias} (some blocks unwindowed) rather than in {@code bias}
 * @param rope      the model's RoPE where its table rows depend on the call ({@link Rope.LongRope}), else null
 * @param maxPositions the model's positions (the long rows of a LongRoPE table start there)
 */
public record DecoderBatch(INDArray ids, INDArray positions, INDArray bias, INDArray windowBias, boolean[][] keyValid,
                           long[][] keyPos, int past, int window, boolean mixed, Rope rope, int maxPositions) {

    /** The placeholder of the attention bias. */
    public static final String BIAS = "attention_bias";
    /** The placeholder of the windowed attention bias of a model with mixed windows. */
    public static final String WINDOW_BIAS = "attention_bias_window";
    /** The placeholder of the RoPE table row of each slot, for a model whose rows depend on the call (LongRoPE). */
    public static final String ROPE_ROWS = "rope_rows";

    /** Placeholder values. */
    public Map<String, INDArray> feed() {
        Map<String, INDArray> m = new HashMap<>();
        m.put("input_ids", ids);
        m.put("position_ids", positions);
        m.put(BIAS, bias);
        if (windowBias != null) {
            m.put(WINDOW_BIAS, windowBias);
        }
        if (rope != null) {
            m.put(ROPE_ROWS, Nd4j.createFromArray(rope.tableRows(positions.toLongMatrix(), maxPositions)));
        }
        return m;
    }

    /** Sequences padded on the right for a model with config {@code c} (its window, its mix of windows). */
    public static DecoderBatch rightPadded(List<int[]> seqs, DecoderConfig c) {
        return padded(seqs, c.slidingWindow(), c.mixedWindows(), false, callRope(c), c.maxPositions());
    }

    /** Sequences padded on the left for a model with config {@code c}. */
    public static DecoderBatch leftPadded(List<int[]> seqs, DecoderConfig c) {
        return padded(seqs, c.slidingWindow(), c.mixedWindows(), true, callRope(c), c.maxPositions());
    }

    /** The model's RoPE where its table rows depend on the call, else null. */
    private static Rope callRope(DecoderConfig c) {
        return c.rotaryDims() > 0 && c.rope().longRope() != null ? c.rope() : null;
    }

    public int batchSize() {
        return (int) ids.size(0);
    }

    public int length() {
        return (int) ids.size(1);
    }

    /** Sequences padded on the right (scoring): row r's tokens sit at slots 0..len-1, positions 0..len-1. */
    public static DecoderBatch rightPadded(List<int[]> seqs, int window) {
        return padded(seqs, window, false, false, null, 0);
    }

    /** Sequences padded on the left (generation): every row's last token is at slot S-1. */
    public static DecoderBatch leftPadded(List<int[]> seqs, int window) {
        return padded(seqs, window, false, true, null, 0);
    }

    private static DecoderBatch padded(List<int[]> seqs, int window, boolean mixed, boolean left, Rope rope,
                                       int maxPositions) {
        int b = seqs.size();
        int s = seqs.stream().mapToInt(a -> a.length).max().orElse(0);
        if (s == 0) {
            throw new UserInputException("empty batch or empty sequence");
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
        return of(ids, pos, valid, pos, 0, window, mixed, rope, maxPositions);
    }

    /** The next single token per row after this batch (which may itself be a step): past grows by S. */
    public DecoderBatch next(int[] tokens) {
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
        return of(ids, pos, valid, kp, keys - 1, window, mixed, rope, maxPositions);
    }

    private static DecoderBatch of(long[][] ids, long[][] pos, boolean[][] valid, long[][] keyPos, int past,
                                   int window, boolean mixed, Rope rope, int maxPositions) {
        INDArray bias = bias(pos, valid, keyPos, past, mixed ? 0 : window);
        INDArray windowBias = mixed ? bias(pos, valid, keyPos, past, window) : null;
        return new DecoderBatch(Nd4j.createFromArray(ids), Nd4j.createFromArray(pos), bias, windowBias, valid, keyPos,
                past, window, mixed, rope, maxPositions);
    }

    private static INDArray bias(long[][] pos, boolean[][] valid, long[][] keyPos, int past, int window) {
        int b = pos.length;
        int s = pos[0].length;
        int keys = past + s;
        float[] bias = new float[b * s * keys];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < keys; j++) {
                    boolean ok = valid[r][j] && j <= past + i
                            && (window <= 0 || pos[r][i] - keyPos[r][j] < window);
                    bias[(r * s + i) * keys + j] = ok ? 0f : DecoderBlocks.MASK_BIAS;
                }
            }
        }
        return Nd4j.create(bias, new long[] {b, 1, s, keys}, 'c');
    }
}
