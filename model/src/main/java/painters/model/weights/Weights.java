package painters.model.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.UserInputException;

/**
 * The pretrained tensors of a model under canonical names, validated against its {@link TensorLayout}
 * (every tensor present, shapes as the config says, FLOAT). Immutable by convention: an experiment is
 * a layer plan, never a change to these arrays. Each family adds its config ({@code BertWeights},
 * {@code DecoderWeights}).
 */
public abstract class Weights {

    private final String source;
    private final Map<String, INDArray> tensors;
    private final TensorLayout layout;

    protected Weights(String source, Map<String, INDArray> tensors, TensorLayout layout) {
        this.source = source;
        this.tensors = tensors;
        this.layout = layout;
    }

    public String source() {
        return source;
    }

    /** Canonical name -> array, in the layout's order. */
    public Map<String, INDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** What every tensor is: block and part as data. */
    public TensorLayout layout() {
        return layout;
    }

    public INDArray get(String canonicalName) {
        INDArray a = tensors.get(canonicalName);
        if (a == null) {
            throw new ModelFormatException(source + ": missing tensor \"" + canonicalName + "\"");
        }
        return a;
    }

    /** Total number of parameters (a tied head counted once). */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(INDArray::length).sum();
    }

    /** Deep copies of every array, for a fine-tuning graph that changes its weights. */
    protected Map<String, INDArray> copiedTensors() {
        return copiedTensors(Set.of());
    }

    /**
     * Deep copies of every array, those named in {@code widen} (the ones a fine-tuning graph trains) as
     * FLOAT whatever this model's precision: trainable weights and their optimizer state stay fp32.
     */
    protected Map<String, INDArray> copiedTensors(Set<String> widen) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        tensors.forEach((k, a) -> t.put(k, widen.contains(k) && a.dataType() != DataType.FLOAT
                ? a.castTo(DataType.FLOAT) : a.dup()));
        return t;
    }

    /** The same arrays (no copies), those named in {@code replaced} replaced by the arrays given. */
    protected Map<String, INDArray> tensorsWith(Map<String, INDArray> replaced) {
        Map<String, INDArray> t = new LinkedHashMap<>(tensors);
        replaced.forEach((k, a) -> {
            if (t.replace(k, a) == null) {
                throw new UserInputException(source + ": no tensor \"" + k + "\" to replace");
            }
        });
        return t;
    }

    /** The precision the tensors are held in (fp32 unless {@link #tensorsIn} narrowed them). */
    public Precision precision() {
        return tensors.values().stream().findFirst().map(a -> Precision.of(a.dataType())).orElse(Precision.FP32);
    }

    /**
     * Every tensor in precision {@code p} (fp16/bf16 round to nearest even; the same arrays when already
     * there). Graphs widen half-precision weights to fp32 as they read them, so computation stays fp32.
     */
    protected Map<String, INDArray> tensorsIn(Precision p) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        tensors.forEach((k, a) -> t.put(k, a.dataType() == p.dataType() ? a : a.castTo(p.dataType())));
        return t;
    }
}
