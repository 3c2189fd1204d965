package painters.model.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.weights.CanonicalTensors;
import painters.model.weights.Precision;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorMap;
import painters.model.weights.Weights;

/**
 * The pretrained tensors of a BERT-family encoder under canonical names ({@link BertTensors}), checked
 * against the config: every tensor present, every shape as the config says, float dtype.
 */
public final class BertWeights extends Weights {

    private final BertConfig config;

    private BertWeights(BertConfig config, String source, Map<String, INDArray> tensors) {
        super(source, tensors, BertTensors.layout(config));
        this.config = config;
    }

    /** Maps checkpoint names to canonical ones and validates them against {@code config}. */
    public static BertWeights from(BertConfig config, TensorMap checkpoint) {
        TensorLayout layout = BertTensors.layout(config);
        Map<String, INDArray> t = CanonicalTensors.of(checkpoint, BertTensors::canonical, layout.shapes(),
                config.numLayers() + "-layer BERT encoder, hidden " + config.hiddenSize());
        return new BertWeights(config, checkpoint.source(), t);
    }

    /** Weights of {@code config} from tensors under canonical names (a plan's plain model, {@code BlockOrder}). */
    public static BertWeights of(BertConfig config, String source, Map<String, INDArray> tensors) {
        return new BertWeights(config, source, new LinkedHashMap<>(tensors));
    }

    /** A deep copy, for a fine-tuning graph that changes its weights (the pretrained arrays never change). */
    public BertWeights copy() {
        return new BertWeights(config, source(), copiedTensors());
    }

    /**
     * These weights sharing their arrays, those named in {@code replaced} replaced (a training graph's live
     * parameters, for the graphs of its steps).
     */
    public BertWeights with(Map<String, INDArray> replaced) {
        return new BertWeights(config, source(), tensorsWith(replaced));
    }

    /** A deep copy with the tensors named in {@code trainable} as fp32 (the others in this model's precision). */
    public BertWeights copy(Set<String> trainable) {
        return new BertWeights(config, source(), copiedTensors(trainable));
    }

    /** These weights held in precision {@code p} (this object when already there). */
    public BertWeights in(Precision p) {
        return p == precision() ? this : new BertWeights(config, source(), tensorsIn(p));
    }

    public BertConfig config() {
        return config;
    }
}
