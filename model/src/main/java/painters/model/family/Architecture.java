package painters.model.family;

import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/**
 * What a model's memory depends on, read from its configuration alone (no weights): every tensor with its
 * shape, block and part, and the activations of one block application. Built by a family's
 * {@link ModelFamily#architecture}.
 *
 * @param family          the family's name
 * @param source          what it was read from (a config.json, a llama2.c header, the embedded model)
 * @param modelType       the config's model_type
 * @param numLayers       blocks
 * @param layout          every tensor the checkpoint holds
 * @param checkpointDtype the dtype the checkpoint stores its weights in (HF {@code torch_dtype}: float32,
 *                        bfloat16, float16), or "float32" where the format has one dtype
 * @param activations     activation values per token of one block application
 * @param taskHeadInputs  the input width of a task head that fine-tuning adds on top (an encoder's
 *                        sentence features), or 0 where the training objective's head is a checkpoint tensor
 *                        (a decoder's LM head)
 * @param maxPositions    the most tokens a sequence may hold (the config's position embeddings)
 */
public record Architecture(String family, String source, String modelType, int numLayers, TensorLayout layout,
        String checkpointDtype, ActivationCounts activations, int taskHeadInputs, int maxPositions) {

    /** Parameters: the sum of every tensor's elements. */
    public long parameters() {
        long n = 0;
        for (TensorSpec t : layout.all()) {
            n += elements(t);
        }
        return n;
    }

    /** Elements of one tensor. */
    public static long elements(TensorSpec t) {
        long n = 1;
        for (long d : t.shape()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
