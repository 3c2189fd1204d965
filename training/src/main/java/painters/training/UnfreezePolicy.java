package painters.training;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import painters.model.plan.Split;

/**
 * Which pretrained weights a fine-tuning run may change, as data, resolved by weight name. The task
 * head always trains. Word embeddings never do (SameDiff M2.1's gather gradient is wrong, see STACK.md),
 * and neither do tensors outside the blocks except under {@code all}.
 *
 * <p>Text forms: {@code head} (the frozen protocol: only the head), {@code all} (every block and the
 * final norm), {@code middle} (the blocks of the split's middle region M, the modified ones),
 * {@code adjacent} (the blocks next to M: the last of F and the first of L), {@code first:N},
 * {@code last:N}, {@code blocks:3-5,8}, and {@code lora:R[:q,k,v,o,up,down]}: LoRA adapters of rank R on
 * the named projections of every block (default q,v), base weights frozen: {@code W + (alpha/R) B A}
 * with alpha = R, A uniform in +-1/sqrt(in), B zero (so step 0 is unchanged).
 *
 * @param kind    head, all, middle, adjacent, first, last, blocks, lora
 * @param n       N of first/last, R of lora
 * @param blocks  the blocks of {@code blocks:}
 * @param targets lora's projections (q, k, v, o, up, down)
 */
public record UnfreezePolicy(String kind, int n, List<Integer> blocks, List<String> targets) {

    /** LoRA target name to the canonical BERT weight suffix. */
    public static final java.util.Map<String, String> LORA_TARGETS = java.util.Map.of(
            "q", "attention.self.query.weight", "k", "attention.self.key.weight", "v", "attention.self.value.weight",
            "o", "attention.output.dense.weight", "up", "intermediate.dense.weight", "down", "output.dense.weight");

    public UnfreezePolicy(String kind, int n, List<Integer> blocks) {
        this(kind, n, blocks, null);
    }

    public UnfreezePolicy {
        switch (kind) {
            case "head", "all", "middle", "adjacent" -> { }
            case "first", "last" -> {
                if (n < 1) {
                    throw new IllegalArgumentException(kind + ":N needs N >= 1, got " + n);
                }
            }
            case "blocks" -> {
                if (blocks == null || blocks.isEmpty()) {
                    throw new IllegalArgumentException("blocks: needs at least one block");
                }
            }
            case "lora" -> {
                if (n < 1) {
                    throw new IllegalArgumentException("lora:R needs a rank R >= 1, got " + n);
                }
                targets = targets == null || targets.isEmpty() ? List.of("q", "v") : targets;
                for (String t : targets) {
                    if (!LORA_TARGETS.containsKey(t)) {
                        throw new IllegalArgumentException("unknown LoRA target \"" + t + "\" (known: q, k, v, o, up, down)");
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown unfreeze policy \"" + kind
                    + "\" (known: head, all, middle, adjacent, first:N, last:N, blocks:LIST, lora:R[:TARGETS])");
        }
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        targets = targets == null ? List.of() : List.copyOf(targets);
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
                case "lora" -> {
                    String[] parts = arg.split(":", 2);
                    yield new UnfreezePolicy(kind, Integer.parseInt(parts[0]), null,
                            parts.length > 1 ? List.of(parts[1].split(",")).stream().map(String::strip).toList() : null);
                }
                default -> {
                    if (!arg.isEmpty()) {
                        throw new IllegalArgumentException("policy \"" + kind + "\" takes no argument");
                    }
                    yield new UnfreezePolicy(kind, 0, null);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad unfreeze policy \"" + text + "\": " + e.getMessage(), e);
        }
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

    public String print() {
        return switch (kind) {
            case "first", "last" -> kind + ":" + n;
            case "blocks" -> kind + ":" + String.join(",", blocks.stream().map(String::valueOf).toList());
            case "lora" -> kind + ":" + n + ":" + String.join(",", targets);
            default -> kind;
        };
    }

    /** Whether this is a LoRA policy (adapters train, every pretrained weight stays frozen). */
    public boolean isLora() {
        return kind.equals("lora");
    }

    /** Whether the policy needs the split of the plan (middle, adjacent). */
    public boolean needsSplit() {
        return kind.equals("middle") || kind.equals("adjacent");
    }

    /** The pretrained blocks this policy unfreezes in a model of {@code numLayers} blocks. */
    public Set<Integer> blocks(int numLayers, Split split) {
        Set<Integer> b = new TreeSet<>();
        switch (kind) {
            case "all" -> {
                for (int i = 0; i < numLayers; i++) {
                    b.add(i);
                }
            }
            case "middle", "adjacent" -> {
                if (split == null) {
                    throw new IllegalArgumentException("policy \"" + kind + "\" needs the plan's split (a variant at a "
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
                        throw new IllegalArgumentException("block " + i + " outside 0.." + (numLayers - 1));
                    }
                    b.add(i);
                }
            }
            default -> { }
        }
        return b;
    }

    /**
     * The pretrained weights to train, from all weight names of a model.
     *
     * @param blockOf   weight name to its block, or -1 outside the blocks
     * @param embedding whether a weight is an embedding table (never trained)
     */
    public Set<String> trainable(Iterable<String> weightNames, ToIntFunction<String> blockOf,
                                 java.util.function.Predicate<String> embedding, int numLayers, Split split) {
        Set<Integer> b = blocks(numLayers, split);
        Set<String> out = new LinkedHashSet<>();
        for (String w : weightNames) {
            int blk = blockOf.applyAsInt(w);
            if (blk >= 0 ? b.contains(blk) : kind.equals("all") && !embedding.test(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
