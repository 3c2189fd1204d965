package painters.model.tokenizer;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;

/**
 * A padded batch of token ids, ready for an encoder: {@code [batch, seq]} each, padding on the right.
 *
 * @param ids     token ids
 * @param typeIds segment (token type) ids: 0 for the first text, 1 for the second of a pair
 * @param mask    1 for real tokens, 0 for padding
 */
public record TokenBatch(long[][] ids, long[][] typeIds, long[][] mask) {

    public TokenBatch {
        if (ids.length == 0) {
            throw new UserInputException("empty batch");
        }
        int s = ids[0].length;
        if (s == 0) {
            throw new UserInputException("empty sequences");
        }
        if (typeIds.length != ids.length || mask.length != ids.length) {
            throw new UserInputException("ids, typeIds and mask disagree on batch size");
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != s || typeIds[b].length != s || mask[b].length != s) {
                throw new UserInputException("row " + b + " is not padded to length " + s);
            }
        }
    }

    public int batchSize() {
        return ids.length;
    }

    public int seqLength() {
        return ids[0].length;
    }

    /** Number of real (unpadded) tokens in row {@code b}. */
    public int length(int b) {
        int n = 0;
        for (long m : mask[b]) {
            n += (int) m;
        }
        return n;
    }

    /** Total real tokens in the batch. */
    public long tokenCount() {
        long n = 0;
        for (int b = 0; b < ids.length; b++) {
            n += length(b);
        }
        return n;
    }

    /** Ids as a LONG array {@code [batch, seq]}. */
    public INDArray idsArray() {
        return Nd4j.createFromArray(ids);
    }

    public INDArray typeIdsArray() {
        return Nd4j.createFromArray(typeIds);
    }

    /** Mask as a FLOAT array {@code [batch, seq]} (1 real, 0 pad). */
    public INDArray maskArray() {
        float[][] f = new float[ids.length][seqLength()];
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < f[b].length; t++) {
                f[b][t] = mask[b][t];
            }
        }
        return Nd4j.createFromArray(f);
    }

    /** Absolute positions 0..seq-1 for every row (BERT counts padding positions too). */
    public INDArray positionsArray() {
        long[][] p = new long[ids.length][seqLength()];
        for (long[] row : p) {
            Arrays.setAll(row, i -> i);
        }
        return Nd4j.createFromArray(p);
    }

    /** Rows {@code [from, to)} as a new batch, re-padded to their own longest row. */
    public TokenBatch slice(int from, int to) {
        int s = 1;
        for (int b = from; b < to; b++) {
            s = Math.max(s, length(b));
        }
        long[][] i = new long[to - from][];
        long[][] t = new long[to - from][];
        long[][] m = new long[to - from][];
        for (int b = from; b < to; b++) {
            i[b - from] = Arrays.copyOf(ids[b], s);
            t[b - from] = Arrays.copyOf(typeIds[b], s);
            m[b - from] = Arrays.copyOf(mask[b], s);
        }
        return new TokenBatch(i, t, m);
    }
}
