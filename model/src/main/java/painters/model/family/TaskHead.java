package painters.model.family;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A linear task head over standardised pooled features, initialised from a probe fitted on the frozen
 * features.
 *
 * @param classification whether it classifies (softmax cross-entropy) or regresses (squared error)
 * @param mean           frozen features' mean {@code [d]}
 * @param std            frozen features' standard deviation {@code [d]}
 * @param weights        initial weights {@code [d, outputs]}
 * @param bias           initial bias {@code [1, outputs]}
 */
public record TaskHead(boolean classification, INDArray mean, INDArray std, INDArray weights, INDArray bias) {}
