package painters.model.decoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import painters.model.UserInputException;

/**
 * A decoder family's checkpoint tensor names, as data (mergekit keeps its architectures the same way): a name
 * template per {@link TensorRole} the family has ({@code {i}} stands for the block index), the prefix some exports
 * add or drop, buffers old files carry that a decoder never reads, and the roles stored transposed
 * ({@code [in, out]}: GPT-2's Conv1D), which are transposed once on load so every graph reads {@code [out, in]}.
 *
 * @param templates  role to name, e.g. {@code Q -> "model.layers.{i}.self_attn.q_proj.weight"}
 * @param prefix     a prefix checkpoints may carry or lack (e.g. {@code "model."}, {@code "transformer."}): a
 *                   checkpoint name that is not canonical is tried with the prefix added, then removed
 * @param ignored    suffixes of checkpoint tensors that are buffers, not weights (dropped on load)
 * @param transposed roles stored {@code [in, out]}
 */
public record TensorNames(Map<TensorRole, String> templates, String prefix, List<String> ignored,
                          Set<TensorRole> transposed) {

    public TensorNames {
        for (Map.Entry<TensorRole, String> e : templates.entrySet()) {
            if (e.getKey().perLayer() != e.getValue().contains("{i}")) {
                throw new UserInputException("template of " + e.getKey() + " must " + (e.getKey().perLayer()
                        ? "" : "not ") + "contain {i}: " + e.getValue());
            }
        }
        templates = Collections.unmodifiableMap(new EnumMap<>(templates));
        ignored = List.copyOf(ignored);
        transposed = Set.copyOf(transposed);
    }

    /** Whether the family's checkpoints have a tensor of this role. */
    public boolean has(TensorRole r) {
        return templates.containsKey(r);
    }

    /** The canonical name of a role's tensor in block {@code layer} (ignored for roles outside the blocks). */
    public String name(TensorRole r, int layer) {
        String t = templates.get(r);
        if (t == null) {
            throw new UserInputException("this family's checkpoints have no " + r + " tensor");
        }
        return r.perLayer() ? t.replace("{i}", Integer.toString(layer)) : t;
    }

    /** The canonical name of a tensor outside the blocks. */
    public String name(TensorRole r) {
        return name(r, -1);
    }

    /**
     * A checkpoint name as a canonical one: empty for an ignored buffer; the name as it is when {@code known}
     * accepts it, else with the prefix added or removed when that is known; else the name (reported unused).
     */
    public Optional<String> canonical(String checkpointName, Predicate<String> known) {
        for (String s : ignored) {
            if (checkpointName.endsWith(s)) {
                return Optional.empty();
            }
        }
        if (known.test(checkpointName) || prefix.isEmpty()) {
            return Optional.of(checkpointName);
        }
        if (known.test(prefix + checkpointName)) {
            return Optional.of(prefix + checkpointName);
        }
        if (checkpointName.startsWith(prefix) && known.test(checkpointName.substring(prefix.length()))) {
            return Optional.of(checkpointName.substring(prefix.length()));
        }
        return Optional.of(checkpointName);
    }

    /** The canonical names of the tensors stored {@code [in, out]} in a model of {@code numLayers} blocks. */
    public Set<String> transposedNames(int numLayers) {
        Set<String> out = new HashSet<>();
        for (TensorRole r : transposed) {
            for (int i = 0; i < (r.perLayer() ? numLayers : 1); i++) {
                out.add(name(r, i));
            }
        }
        return out;
    }

    /** Roles in template order, for messages. */
    public List<TensorRole> roles() {
        return new ArrayList<>(templates.keySet());
    }

    /** A builder: {@code TensorNames.with("model.", ...).role(Q, "...")...build()}. */
    public static Builder builder(String prefix) {
        return new Builder(prefix);
    }

    /** Collects templates. */
    public static final class Builder {
        private final String prefix;
        private final Map<TensorRole, String> templates = new EnumMap<>(TensorRole.class);
        private final List<String> ignored = new ArrayList<>();
        private final EnumSet<TensorRole> transposed = EnumSet.noneOf(TensorRole.class);

        private Builder(String prefix) {
            this.prefix = prefix;
        }

        public Builder role(TensorRole r, String template) {
            if (templates.put(r, template) != null) {
                throw new UserInputException(r + " named twice");
            }
            return this;
        }

        /** Several block roles under one block prefix, e.g. {@code block("model.layers.{i}.", Q, "self_attn.q_proj.weight", ...)}. */
        public Builder block(String blockPrefix, Object... roleAndSuffix) {
            for (int i = 0; i < roleAndSuffix.length; i += 2) {
                role((TensorRole) roleAndSuffix[i], blockPrefix + roleAndSuffix[i + 1]);
            }
            return this;
        }

        public Builder ignore(String... suffixes) {
            ignored.addAll(List.of(suffixes));
            return this;
        }

        public Builder transposed(TensorRole... roles) {
            transposed.addAll(List.of(roles));
            return this;
        }

        public TensorNames build() {
            return new TensorNames(templates, prefix, ignored, transposed);
        }
    }
}
