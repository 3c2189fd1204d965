package painters.eval.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;
import painters.model.family.LmForward;
import painters.model.tokenizer.TextTokenizer;

/**
 * A {@link LanguageModel} over a SameDiff decoder (any layer plan; frozen, or a training graph with its
 * current weights). Requests are sorted by length,
 * longest first, and run in right-padded batches of {@code batchSize}; log-probabilities are computed
 * in double precision from the logits of the positions that predict the continuation.
 */
public final class DecoderLm implements LanguageModel {

    private final LmForward decoder;
    private final TextTokenizer tokenizer;
    private final int batchSize;
    private final int maxLength;

    /**
     * @param maxLength the longest input (at most the model's positions); inputs are cut on the left
     */
    public DecoderLm(LmForward decoder, TextTokenizer tokenizer, int batchSize, int maxLength) {
        if (batchSize < 1) {
            throw new UserInputException("batch size must be >= 1, got " + batchSize);
        }
        if (maxLength < 2 || maxLength > decoder.contextLength()) {
            throw new UserInputException("max length " + maxLength + " outside [2, "
                    + decoder.contextLength() + "] (the model's positions)");
        }
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.maxLength = maxLength;
    }

    public LmForward decoder() {
        return decoder;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public List<LogLikelihood> loglikelihood(List<TokenPair> requests) {
        int n = requests.size();
        int[][] inputs = new int[n][];
        int[] contLen = new int[n];
        int[][] targets = new int[n][];
        for (int i = 0; i < n; i++) {
            TokenPair r = requests.get(i);
            if (r.continuation().length > maxLength) {
                throw new UserInputException("request " + i + ": continuation of " + r.continuation().length
                        + " tokens is longer than the max length " + maxLength);
            }
            int[] whole = concat(r.context(), r.continuation());
            // (context + continuation)[-(max+1):][:-1]
            int from = Math.max(0, whole.length - (maxLength + 1));
            inputs[i] = Arrays.copyOfRange(whole, from, whole.length - 1);
            contLen[i] = r.continuation().length;
            targets[i] = r.continuation();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -inputs[i].length).thenComparingInt(i -> i));
        LogLikelihood[] out = new LogLikelihood[n];
        for (int s = 0; s < n; s += batchSize) {
            int e = Math.min(n, s + batchSize);
            List<int[]> batch = new ArrayList<>();
            for (int k = s; k < e; k++) {
                batch.add(inputs[order[k]]);
            }
            INDArray logits = decoder.logits(batch);
            Rows rows = new Rows(logits);
            for (int k = s; k < e; k++) {
                int i = order[k];
                out[i] = score(rows, k - s, inputs[i].length, contLen[i], targets[i]);
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Logit rows of a {@code [B, S, V]} array: copied to the heap once when small (one JNI call instead
     * of one per row), read row by row when large (a 7B model's vocabulary times a long batch).
     */
    static final class Rows {
        static final long COPY_LIMIT = 1L << 25;
        private final INDArray logits;
        private final float[] flat;
        private final int s;
        private final int v;

        Rows(INDArray logits) {
            this.logits = logits;
            this.s = (int) logits.size(1);
            this.v = (int) logits.size(2);
            this.flat = logits.length() <= COPY_LIMIT ? logits.dup('c').data().asFloat() : null;
        }

        double[] row(int b, int pos) {
            if (flat == null) {
                return logits.get(NDArrayIndex.point(b), NDArrayIndex.point(pos), NDArrayIndex.all()).toDoubleVector();
            }
            double[] out = new double[v];
            int off = (b * s + pos) * v;
            for (int j = 0; j < v; j++) {
                out[j] = flat[off + j];
            }
            return out;
        }
    }

    /**
     * Log-likelihood of every next token of each sequence from the logits {@code [B, S, V]} of a
     * right-padded batch of those sequences (position i predicts token i+1).
     */
    public static List<LogLikelihood> nextTokens(INDArray logits, List<int[]> seqs) {
        Rows rows = new Rows(logits);
        List<LogLikelihood> out = new ArrayList<>();
        for (int r = 0; r < seqs.size(); r++) {
            int[] q = seqs.get(r);
            out.add(score(rows, r, q.length - 1, q.length - 1, Arrays.copyOfRange(q, 1, q.length)));
        }
        return out;
    }

    /** Scores the last {@code contLen} positions of row {@code row} (input length {@code len}). */
    static LogLikelihood score(INDArray logits, int row, int len, int contLen, int[] target) {
        return score(new Rows(logits), row, len, contLen, target);
    }

    static LogLikelihood score(Rows logits, int row, int len, int contLen, int[] target) {
        double sum = 0;
        boolean greedy = true;
        for (int t = 0; t < contLen; t++) {
            int pos = len - contLen + t;
            double[] v = logits.row(row, pos);
            int arg = 0;
            double max = v[0];
            for (int j = 1; j < v.length; j++) {
                if (v[j] > max) {
                    max = v[j];
                    arg = j;
                }
            }
            double z = 0;
            for (double x : v) {
                z += Math.exp(x - max);
            }
            sum += v[target[t]] - max - Math.log(z);
            greedy &= arg == target[t];
        }
        return new LogLikelihood(sum, greedy, contLen);
    }

    @Override
    public List<int[]> generate(List<int[]> prompts, int maxNewTokens, BiPredicate<Integer, int[]> stop) {
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < prompts.size(); s += batchSize) {
            List<int[]> batch = new ArrayList<>();
            for (int k = s; k < Math.min(prompts.size(), s + batchSize); k++) {
                int[] p = prompts.get(k);
                int keep = Math.max(1, maxLength - maxNewTokens);      // left-truncate, leaving room to generate
                batch.add(p.length > keep ? Arrays.copyOfRange(p, p.length - keep, p.length) : p);
            }
            int offset = s;
            out.addAll(decoder.generate(batch, maxNewTokens, tokenizer.eos(),
                    (r, ids) -> stop.test(offset + r, ids)));
        }
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
