/**
 * Checkpoint readers. Every source yields the same thing, a {@link painters.model.weights.TensorMap}
 * of checkpoint tensor names to arrays, so a model can be loaded from safetensors (single or
 * sharded; F32, F16, BF16), from an ONNX export, or from the default model on the classpath, and
 * compared across sources.
 */
package painters.model.weights;
