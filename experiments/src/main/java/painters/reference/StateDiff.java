package painters.reference;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;
import painters.model.tokenizer.TokenBatch;

/**
 * Max absolute difference of two hidden states {@code [batch, seq, hidden]}, split into real tokens
 * (the contract) and padding positions (never read by pooling or heads, so only reported).
 *
 * @param real    max |a - b| over unmasked tokens
 * @param padding max |a - b| over padding positions (0 when the batch has none)
 */
public record StateDiff(double real, double padding) {

    public static StateDiff of(INDArray a, INDArray b, TokenBatch batch) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new UserInputException("shapes differ: " + Arrays.toString(a.shape()) + " vs "
                    + Arrays.toString(b.shape()));
        }
        INDArray m = batch.maskArray().reshape(batch.batchSize(), batch.seqLength(), 1);
        INDArray d = Transforms.abs(a.sub(b));
        double real = d.mul(m).maxNumber().doubleValue();
        double pad = d.mul(m.rsub(1.0)).maxNumber().doubleValue();
        if (Double.isNaN(real) || Double.isNaN(pad)) {
            return new StateDiff(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        return new StateDiff(real, pad);
    }
}
