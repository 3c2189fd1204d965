package painters.model.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.model.UserInputException;

/**
 * Every tensor a model expects, in a stable order (embeddings, block 0, 1, ..., after the blocks),
 * each with its block and part as data. Built by the family from its config.
 */
public final class TensorLayout {

    private final Map<String, TensorSpec> byName = new LinkedHashMap<>();

    public TensorLayout(List<TensorSpec> specs) {
        for (TensorSpec s : specs) {
            if (byName.put(s.name(), s) != null) {
                throw new UserInputException("tensor " + s.name() + " listed twice");
            }
        }
    }

    /** Every tensor, in order. */
    public List<TensorSpec> all() {
        return List.copyOf(byName.values());
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public TensorSpec get(String name) {
        TensorSpec s = byName.get(name);
        if (s == null) {
            throw new UserInputException("no tensor named " + name + " in this model");
        }
        return s;
    }

    /** Canonical name to expected shape, in order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        byName.values().forEach(s -> m.put(s.name(), s.shape()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The tensor of {@code part} in {@code block} that is a matrix (the weight a LoRA adapter wraps), or null; where
     * the family fuses projections, the fused matrix that holds {@code part} ({@link Part#holds}).
     */
    public TensorSpec matrix(int block, Part part) {
        for (TensorSpec s : byName.values()) {
            if (s.block() == block && s.part().holds(part) && s.matrix()) {
                return s;
            }
        }
        return null;
    }
}
