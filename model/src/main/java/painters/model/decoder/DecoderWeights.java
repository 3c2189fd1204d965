package painters.model.decoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.weights.CanonicalTensors;
import painters.model.weights.Precision;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorMap;
import painters.model.weights.Weights;

/**
 * The pretrained tensors of a Llama-family decoder under canonical (HF) names ({@link DecoderTensors}),
 * checked against the config, as FLOAT.
 */
public final class DecoderWeights extends Weights {

    private final DecoderConfig config;

    private DecoderWeights(DecoderConfig config, String source, Map<String, INDArray> tensors) {
        super(source, tensors, DecoderTensors.layout(config));
        this.config = config;
    }

    /**
     * Maps checkpoint names to canonical ones ({@link TensorNames#canonical}), transposes the roles the family
     * stores {@code [in, out]}, and validates every tensor against {@code config}.
     */
    public static DecoderWeights from(DecoderConfig config, TensorMap checkpoint) {
        TensorNames names = config.spec().names();
        TensorLayout layout = DecoderTensors.layout(config);
        Set<String> transposed = names.transposedNames(config.numLayers());
        Map<String, INDArray> read = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : checkpoint.tensors().entrySet()) {
            Optional<String> c = names.canonical(e.getKey(), layout::contains);
            INDArray a = e.getValue();
            if (c.isPresent() && transposed.contains(c.get()) && a.rank() == 2) {
                a = a.transpose().dup('c');
            }
            read.put(e.getKey(), a);
        }
        Map<String, INDArray> t = CanonicalTensors.of(new TensorMap(checkpoint.source(), read),
                n -> names.canonical(n, layout::contains), layout.shapes(), config.numLayers() + "-layer "
                        + config.modelType() + " decoder, hidden " + config.hiddenSize()
                        + (config.tieWordEmbeddings() ? ", tied embeddings" : ""));
        return new DecoderWeights(config, checkpoint.source(), t);
    }

    /** Weights of {@code config} from tensors under canonical names (a plan's plain model, {@code BlockOrder}). */
    public static DecoderWeights of(DecoderConfig config, String source, Map<String, INDArray> tensors) {
        return new DecoderWeights(config, source, new LinkedHashMap<>(tensors));
    }

    /** A deep copy, for a fine-tuning graph that changes its weights (the pretrained arrays never change). */
    public DecoderWeights copy() {
        return new DecoderWeights(config, source(), copiedTensors());
    }

    /**
     * These weights sharing their arrays, those named in {@code replaced} replaced (a training graph's live
     * parameters, for the graphs of its steps).
     */
    public DecoderWeights with(Map<String, INDArray> replaced) {
        return new DecoderWeights(config, source(), tensorsWith(replaced));
    }

    /** A deep copy with the tensors named in {@code trainable} as fp32 (the others in this model's precision). */
    public DecoderWeights copy(Set<String> trainable) {
        return new DecoderWeights(config, source(), copiedTensors(trainable));
    }

    /** These weights held in precision {@code p} (this object when already there). */
    public DecoderWeights in(Precision p) {
        return p == precision() ? this : new DecoderWeights(config, source(), tensorsIn(p));
    }

    public DecoderConfig config() {
        return config;
    }
}
