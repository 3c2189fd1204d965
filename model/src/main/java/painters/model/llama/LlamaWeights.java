package painters.model.llama;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.weights.CanonicalTensors;
import painters.model.weights.TensorMap;
import painters.model.weights.Weights;

/**
 * The pretrained tensors of a Llama-family decoder under canonical (HF) names ({@link LlamaTensors}),
 * checked against the config, as FLOAT.
 */
public final class LlamaWeights extends Weights {

    private final LlamaConfig config;

    private LlamaWeights(LlamaConfig config, String source, Map<String, INDArray> tensors) {
        super(source, tensors, LlamaTensors.layout(config));
        this.config = config;
    }

    /** Maps checkpoint names to canonical ones and validates them against {@code config}. */
    public static LlamaWeights from(LlamaConfig config, TensorMap checkpoint) {
        Map<String, INDArray> t = CanonicalTensors.of(checkpoint, LlamaTensors::canonical,
                LlamaTensors.layout(config).shapes(), config.numLayers() + "-layer " + config.modelType()
                        + " decoder, hidden " + config.hiddenSize()
                        + (config.tieWordEmbeddings() ? ", tied embeddings" : ""));
        return new LlamaWeights(config, checkpoint.source(), t);
    }

    /** A deep copy, for a fine-tuning graph that changes its weights (the pretrained arrays never change). */
    public LlamaWeights copy() {
        return new LlamaWeights(config, source(), copiedTensors());
    }

    /**
     * These weights sharing their arrays, those named in {@code replaced} replaced (a training graph's live
     * parameters, for the graphs of its steps).
     */
    public LlamaWeights with(Map<String, INDArray> replaced) {
        return new LlamaWeights(config, source(), tensorsWith(replaced));
    }

    /** A deep copy with the tensors named in {@code trainable} as fp32 (the others in this model's precision). */
    public LlamaWeights copy(java.util.Set<String> trainable) {
        return new LlamaWeights(config, source(), copiedTensors(trainable));
    }

    /** These weights held in precision {@code p} (this object when already there). */
    public LlamaWeights in(painters.model.weights.Precision p) {
        return p == precision() ? this : new LlamaWeights(config, source(), tensorsIn(p));
    }

    public LlamaConfig config() {
        return config;
    }
}
