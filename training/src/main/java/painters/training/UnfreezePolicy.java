package painters.training;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import painters.model.UserInputException;
import painters.model.family.Unfreezing;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Step;
import painters.model.weights.Part;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/**
 * Which pretrained weights a fine-tuning run may change, as data, resolved over a model's
 * {@link TensorLayout} (each tensor's block and part are data there; no name is parsed). A task head,
 * where the objective has one, always trains. Embeddings train only under {@code every} (decoders, which then look
 * tables up by a one-hot product: SameDiff M2.1's gather gradient is wrong, see STACK.md; pre-training), and tensors
 * after the blocks (final norm, LM head) only under {@code all} and {@code every} (and the LM head under {@code head}).
 *
 * <p>Text forms: {@code head} (the frozen protocol: only the head), {@code all} (every block and the
 * final norm), {@code every} (all that and the embedding tables: every tensor of the model, as pre-training trains), {@code middle} (the blocks of the split's middle region M, the modified ones),
 * {@code adjacent} (the blocks next to M: the last of F and the first of L), {@code first:N},
 * {@code last:N}, {@code blocks:3-5,8}, and {@code lora:R[:TARGETS][:alpha=A]}: LoRA adapters of rank R
 * on the named projections of every block (q, k, v, o, gate, up, down; default q,v), base weights
 * frozen: {@code W + (alpha/R) B A} with alpha = R unless given, A uniform in +-1/sqrt(in), B zero (so
 * step 0 is unchanged).
 *
 * @param kind    head, all, every, middle, adjacent, first, last, blocks, lora
 * @param n       N of first/last, R of lora
 * @param blocks  the blocks of {@code blocks:}
 * @param targets lora's projections (q, k, v, o, gate, up, down)
 * @param alpha   lora's alpha (the update is scaled by alpha / R); NaN for other kinds
 */
public record UnfreezePolicy(String kind, int n, List<Integer> blocks, List<String> targets, double alpha)
        implements Serializable {

    public UnfreezePolicy(String kind, int n, List<Integer> blocks) {
        this(kind, n, blocks, null, Double.NaN);
    }

    public UnfreezePolicy {
        switch (kind) {
            case "head", "all", "every", "middle", "adjacent" -> { }
            case "first", "last" -> {
                if (n < 1) {
                    throw new UserInputException(kind + ":N needs N >= 1, got " + n);
                }
            }
            case "blocks" -> {
                if (blocks == null || blocks.isEmpty()) {
                    throw new UserInputException("blocks: needs at least one block");
                }
            }
            case "lora" -> {
                if (n < 1) {
                    throw new UserInputException("lora:R needs a rank R >= 1, got " + n);
                }
                targets = targets == null || targets.isEmpty() ? List.of("q", "v") : targets;
                targets.forEach(Part::ofAdapterName);
                if (new TreeSet<>(targets).size() != targets.size()) {
                    throw new UserInputException("lora targets listed twice: " + targets);
                }
                alpha = Double.isNaN(alpha) ? n : alpha;
                if (!(alpha > 0) || Double.isInfinite(alpha)) {
                    throw new UserInputException("lora alpha must be a positive number, got " + alpha);
                }
            }
            default -> throw new UserInputException("unknown unfreeze policy \"" + kind
                    + "\" (known: head, all, every, middle, adjacent, first:N, last:N, blocks:LIST, lora:R[:TARGETS][:alpha=A])");
        }
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        targets = targets == null ? List.of() : List.copyOf(targets);
        alpha = kind.equals("lora") ? alpha : Double.NaN;
    }

    public static UnfreezePolicy parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        String arg = colon < 0 ? "" : t.substring(colon + 1);
        try {
            return switch (kind) {
                case "first", "last" -> new UnfreezePolicy(kind, Integer.parseInt(arg), null);
                case "blocks" -> new UnfreezePolicy(kind, 0, ranges(arg));
                case "lora" -> lora(arg);
                default -> {
                    if (!arg.isEmpty()) {
                        throw new UserInputException("policy \"" + kind + "\" takes no argument");
                    }
                    yield new UnfreezePolicy(kind, 0, null);
                }
            };
        } catch (NumberFormatException e) {
            throw new UserInputException("bad unfreeze policy \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** {@code R[:TARGETS][:alpha=A]}. */
    private static UnfreezePolicy lora(String arg) {
        String[] parts = arg.split(":");
        if (parts.length > 3) {
            throw new UserInputException("lora takes lora:R[:TARGETS][:alpha=A], got lora:" + arg);
        }
        List<String> targets = null;
        double alpha = Double.NaN;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("alpha=")) {
                alpha = Double.parseDouble(parts[i].substring("alpha=".length()));
            } else if (targets == null && i == 1) {
                targets = List.of(parts[i].split(",")).stream().map(String::strip).toList();
            } else {
                throw new UserInputException("lora takes lora:R[:TARGETS][:alpha=A], got lora:" + arg);
            }
        }
        return new UnfreezePolicy("lora", Integer.parseInt(parts[0].strip()), null, targets, alpha);
    }

    private static List<Integer> ranges(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String[] ab = part.strip().split("-");
            int a = Integer.parseInt(ab[0].strip());
            int b = ab.length > 1 ? Integer.parseInt(ab[1].strip()) : a;
            for (int i = Math.min(a, b); i <= Math.max(a, b); i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** The text form; {@code parse(print())} gives this policy back. */
    public String print() {
        return switch (kind) {
            case "first", "last" -> kind + ":" + n;
            case "blocks" -> kind + ":" + String.join(",", blocks.stream().map(String::valueOf).toList());
            case "lora" -> kind + ":" + n + ":" + String.join(",", targets)
                    + (alpha == n ? "" : ":alpha=" + (alpha == Math.rint(alpha) ? Long.toString((long) alpha)
                            : Double.toString(alpha)));
            default -> kind;
        };
    }

    /** Whether this is a LoRA policy (adapters train, every pretrained weight stays frozen). */
    public boolean isLora() {
        return kind.equals("lora");
    }

    /** LoRA's scale of {@code B A}: alpha / R. */
    public double loraScale() {
        return alpha / n;
    }

    /** Whether the policy needs the split of the plan (middle, adjacent). */
    public boolean needsSplit() {
        return kind.equals("middle") || kind.equals("adjacent");
    }

    /** The pretrained blocks this policy unfreezes in a model of {@code numLayers} blocks. */
    public Set<Integer> blocks(int numLayers, Split split) {
        Set<Integer> b = new TreeSet<>();
        switch (kind) {
            case "all", "every" -> {
                for (int i = 0; i < numLayers; i++) {
                    b.add(i);
                }
            }
            case "middle", "adjacent" -> {
                if (split == null) {
                    throw new UserInputException("policy \"" + kind + "\" needs the plan's split (a variant at a "
                            + "split s); hand-written plans have none");
                }
                if (kind.equals("middle")) {
                    for (int i = split.s() + 1; i <= numLayers - split.s() - 1; i++) {
                        b.add(i);
                    }
                } else {
                    b.add(split.s());
                    if (numLayers - split.s() < numLayers) {
                        b.add(numLayers - split.s());
                    }
                }
            }
            case "first" -> {
                for (int i = 0; i < Math.min(n, numLayers); i++) {
                    b.add(i);
                }
            }
            case "last" -> {
                for (int i = Math.max(0, numLayers - n); i < numLayers; i++) {
                    b.add(i);
                }
            }
            case "blocks" -> {
                for (int i : blocks) {
                    if (i < 0 || i >= numLayers) {
                        throw new UserInputException("block " + i + " outside 0.." + (numLayers - 1));
                    }
                    b.add(i);
                }
            }
            default -> { }
        }
        return b;
    }

    /**
     * The pretrained weights to train, in layout order: the chosen blocks' tensors; under {@code all}
     * also the final norm and the LM head; under {@code every} also the embedding tables; under {@code head} the LM
     * head alone.
     */
    public Set<String> trainable(TensorLayout layout, int numLayers, Split split) {
        Set<Integer> b = blocks(numLayers, split);
        Set<String> out = new LinkedHashSet<>();
        for (TensorSpec t : layout.all()) {
            boolean whole = kind.equals("all") || kind.equals("every");
            boolean train = t.inBlock() ? b.contains(t.block())
                    : t.part() == Part.LM_HEAD ? whole || kind.equals("head")
                    : t.part() == Part.EMBEDDING ? kind.equals("every")
                    : t.part() == Part.FINAL_NORM && whole;
            if (train) {
                out.add(t.name());
            }
        }
        return out;
    }

    /**
     * What this policy trains in a model under {@code plan} (at {@code split} where the plan has one), as a family's
     * trainable graph takes it. A block the policy names explicitly ({@code blocks:LIST}) must run under the plan, and
     * a policy of blocks must name at least one that runs: else the run would train the head alone under the
     * policy's name.
     */
    public Unfreezing unfreezing(TensorLayout layout, LayerPlan plan,
                                                       Split split, boolean untie) {
        int numLayers = plan.numLayers();
        if (!isLora() && !kind.equals("head")) {
            Set<Integer> runs = new TreeSet<>();
            for (Step st : plan.flattened().steps()) {
                runs.addAll(st.blocks());
            }
            Set<Integer> named = blocks(numLayers, split);
            Set<Integer> idle = new TreeSet<>(named);
            idle.removeAll(runs);
            if (kind.equals("blocks") && !idle.isEmpty()) {
                throw new UserInputException("policy " + print() + " trains block" + (idle.size() > 1 ? "s " : " ") + idle
                        + ", which plan " + plan.print() + " never runs (it runs " + runs + ")");
            }
            if (!named.isEmpty() && idle.size() == named.size()) {
                throw new UserInputException("policy " + print() + " trains blocks " + named + ", none of which plan "
                        + plan.print() + " runs (it runs " + runs + ")");
            }
        }
        return new Unfreezing(trainable(layout, numLayers, split), untie, adapted(layout, numLayers),
                n, isLora() ? loraScale() : 1);
    }

    /** Parameters of this policy's LoRA adapters in a model: r (in + out) summed over the adapted weights. */
    public long adapterParameters(TensorLayout layout, int numLayers) {
        long total = 0;
        for (String name : adapted(layout, numLayers)) {
            long[] shape = layout.get(name).shape();
            total += (long) n * (shape[0] + shape[1]);
        }
        return total;
    }

    /**
     * The weights LoRA adapters wrap: the target projections' matrices in every block. A target the
     * model does not have (a gate in a BERT block) is an error naming it.
     */
    public Set<String> adapted(TensorLayout layout, int numLayers) {
        if (!isLora()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int l = 0; l < numLayers; l++) {
            for (String target : targets) {
                TensorSpec t = layout.matrix(l, Part.ofAdapterName(target));
                if (t == null) {
                    throw new UserInputException("LoRA target \"" + target + "\": this model's blocks have no "
                            + target + " projection");
                }
                out.add(t.name());
            }
        }
        return out;
    }
}
