package painters.model.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;

/**
 * Named tensors read from one checkpoint, in file order, with the checkpoint's own names.
 *
 * @param source  where they came from (a path or a classpath resource), named in every error
 * @param tensors name to array; float dtypes are read as FLOAT, integer dtypes as INT/LONG
 */
public record TensorMap(String source, Map<String, INDArray> tensors) {

    public TensorMap {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The tensor called {@code name}; a missing tensor is an error naming the checkpoint. */
    public INDArray get(String name) {
        INDArray a = tensors.get(name);
        if (a == null) {
            throw new ModelFormatException(source + ": missing tensor \"" + name + "\"");
        }
        return a;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public int size() {
        return tensors.size();
    }
}
