package painters.reference;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.family.EncoderGraph;
import painters.model.tokenizer.TokenBatch;

/**
 * Runs one tokenized batch through a SameDiff encoder and through ONNX Runtime on the same export
 * and reports the max |diff| of every block-boundary state and of {@code last_hidden_state}.
 */
public final class EncoderVerification {

    /** Default tolerance on real tokens. */
    public static final double TOLERANCE = 1e-4;

    /**
     * @param perState {@code resid_pre.0} (embeddings) .. {@code resid_final}; the last one is last_hidden_state
     * @param tolerance the pass/fail bound on real tokens
     */
    public record Report(List<StateDiff> perState, double tolerance) {
        public StateDiff last() {
            return perState.get(perState.size() - 1);
        }

        public double worst() {
            return perState.stream().mapToDouble(StateDiff::real).max().orElse(Double.POSITIVE_INFINITY);
        }

        public boolean passed() {
            return worst() <= tolerance;
        }

        /** Label of state k: "embeddings", "layer 0" ... */
        public static String label(int k) {
            return k == 0 ? "embeddings" : "layer " + (k - 1);
        }
    }

    private EncoderVerification() {}

    public static Report run(EncoderGraph ours, OnnxRuntimeEncoder reference, TokenBatch batch, double tolerance)
            throws OrtException {
        List<INDArray> a = ours.hiddenStates(batch);
        List<INDArray> b = reference.hiddenStates(batch);
        if (a.size() != b.size()) {
            throw new IllegalStateException("SameDiff has " + a.size() + " states, ONNX Runtime " + b.size());
        }
        List<StateDiff> diffs = new ArrayList<>();
        for (int k = 0; k < a.size(); k++) {
            diffs.add(StateDiff.of(a.get(k), b.get(k), batch));
        }
        return new Report(diffs, tolerance);
    }
}
