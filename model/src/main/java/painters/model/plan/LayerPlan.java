package painters.model.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import painters.model.UserInputException;

/**
 * Which pretrained blocks run, in which order and combination: a pure value over blocks 0..T-1.
 *
 * <p>Text form (see {@link PlanText}): {@code 0-5,P(6-11)x3} runs blocks 0..5, then the parallel
 * average of 6..11 three times; {@code 11-6} runs 11 down to 6; {@code 6x6} runs block 6 six times;
 * {@code (6,8)x2} loops a sub-plan; {@code M(6-8)} runs one block whose tensors are the mean of blocks 6..8's; a trailing {@code ;seed=N} records the seed a random order was
 * drawn with. {@code parse(print(p), T).equals(p)} holds for every plan.
 *
 * @param numLayers T, the number of pretrained blocks the plan draws from
 * @param steps     what runs, in order (non-empty)
 * @param seed      the seed a random plan was drawn with (part of the plan's identity)
 */
public record LayerPlan(int numLayers, List<Step> steps, OptionalLong seed) implements Serializable {

    /** The serialized form ({@code OptionalLong} is not serializable): the same fields, the seed unboxed. */
    private record Serial(int numLayers, List<Step> steps, boolean seeded, long seed) implements Serializable {
        private Object readResolve() {
            return new LayerPlan(numLayers, steps, seeded ? OptionalLong.of(seed) : OptionalLong.empty());
        }
    }

    private Object writeReplace() {
        return new Serial(numLayers, steps, seed.isPresent(), seed.orElse(0));
    }

    public LayerPlan {
        if (numLayers < 1) {
            throw new UserInputException("a plan needs at least one block to draw from, got T=" + numLayers);
        }
        if (steps == null || steps.isEmpty()) {
            throw new UserInputException("a plan needs at least one step");
        }
        steps = List.copyOf(steps);
        for (Step s : steps) {
            if (s.maxLayer() >= numLayers) {
                throw new UserInputException("block " + s.maxLayer() + " in step " + PlanText.print(s)
                        + " is outside 0.." + (numLayers - 1));
            }
        }
        seed = seed == null ? OptionalLong.empty() : seed;
    }

    public LayerPlan(int numLayers, List<Step> steps) {
        this(numLayers, steps, OptionalLong.empty());
    }

    /** The unmodified model: 0, 1, ..., T-1. */
    public static LayerPlan identity(int numLayers) {
        return new LayerPlan(numLayers, runs(range(0, numLayers - 1)));
    }

    /** Runs the given blocks in sequence. */
    public static LayerPlan sequence(int numLayers, List<Integer> layers) {
        return new LayerPlan(numLayers, runs(layers));
    }

    /** Parses the text form against T blocks; errors point at the offending part. */
    public static LayerPlan parse(String text, int numLayers) {
        return PlanText.parse(text, numLayers);
    }

    /** The canonical text form. */
    public String print() {
        return PlanText.print(this);
    }

    /**
     * How many leading top-level steps run the pretrained blocks 0, 1, ..., p-1 in order: those steps
     * compute the same state as the unmodified model, so plans can share it (prefix caching).
     */
    public int identityPrefix() {
        int p = 0;
        for (Step s : steps) {
            if (s instanceof Step.Run r && r.layer() == p) {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /** Block applications on the critical path: the plan's sequential depth (latency in blocks). */
    public int depth() {
        return (int) Math.min(Integer.MAX_VALUE, steps.stream().mapToLong(Step::depth).sum());
    }

    /** Total block applications (compute in blocks); saturates at Integer.MAX_VALUE. */
    public int applications() {
        return (int) Math.min(Integer.MAX_VALUE, steps.stream().mapToLong(Step::applications).sum());
    }

    /**
     * The most block applications a plan may have before a graph is built from it (each application is
     * part of the graph): {@value #DEFAULT_MAX_APPLICATIONS}, or the system property
     * {@code painters.maxApplications} (e.g. {@code PAINTERS_JAVA_OPTS=-Dpainters.maxApplications=50000}).
     * The paper's largest plans have a few dozen; a typo such as {@code 0-11x1000000} would build a
     * graph of millions of blocks.
     */
    public static final int DEFAULT_MAX_APPLICATIONS = 10_000;

    /** This plan, or an error naming its size and the limit when it has more block applications than allowed. */
    public LayerPlan checkSize() {
        int limit = Integer.getInteger("painters.maxApplications", DEFAULT_MAX_APPLICATIONS);
        if (applications() > limit) {
            throw new UserInputException("plan " + PlanText.abbreviate(print()) + " runs " + (applications()
                    == Integer.MAX_VALUE ? "more than 2^31" : String.format("%,d", applications()))
                    + " block applications, more than the limit of " + String.format("%,d", limit)
                    + " (raise it with -Dpainters.maxApplications=N in PAINTERS_JAVA_OPTS)");
        }
        return this;
    }

    /**
     * The plan run back to front: step order reversed, loop bodies reversed recursively, parallel sets
     * unchanged. {@code p.reversed().reversed().equals(p)}.
     */
    public LayerPlan reversed() {
        return new LayerPlan(numLayers, reverse(steps), seed);
    }

    private static List<Step> reverse(List<Step> steps) {
        List<Step> r = new ArrayList<>(steps.size());
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            r.add(s instanceof Step.Loop l ? new Step.Loop(reverse(l.body()), l.times()) : s);
        }
        return r;
    }

    /**
     * A key equal for plans that compute the same function: steps canonicalised (a loop run once is its
     * body, a parallel step or a merge of one block is that block; proven bit-for-bit equal on the real model)
     * and the seed left out. Used to score equal plans once.
     */
    public String computationKey() {
        return PlanText.printSeq(canonical(steps));
    }

    private static List<Step> canonical(List<Step> steps) {
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Step.Loop l) {
                List<Step> body = canonical(l.body());
                if (l.times() == 1) {
                    out.addAll(body);
                } else {
                    out.add(new Step.Loop(body, l.times()));
                }
            } else if (s instanceof Step.Parallel p && p.layers().size() == 1) {
                out.add(new Step.Run(p.layers().get(0)));
            } else if (s instanceof Step.Merge m && m.layers().size() == 1) {
                out.add(new Step.Run(m.layers().get(0)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The executed steps as a plan of their own: loops unrolled, every step a Run or a Parallel, seed
     * kept. It builds the same graph operations in the same order, so it computes the same numbers;
     * step k of the flattened plan is executed step k ({@code resid_pre.k}) of this one.
     */
    public LayerPlan flattened() {
        checkSize();                // unrolling a huge loop would build millions of steps
        List<Step> out = new ArrayList<>();
        unroll(steps, out);
        return new LayerPlan(numLayers, out, seed);
    }

    private static void unroll(List<Step> steps, List<Step> out) {
        for (Step s : steps) {
            if (s instanceof Step.Loop l) {
                for (int i = 0; i < l.times(); i++) {
                    unroll(l.body(), out);
                }
            } else {
                out.add(s);
            }
        }
    }

    /** This plan with the given seed recorded. */
    public LayerPlan withSeed(long s) {
        return new LayerPlan(numLayers, steps, OptionalLong.of(s));
    }

    /** The blocks a plain sequence of runs executes, or empty if the plan has parallel steps, merges or loops. */
    public Optional<List<Integer>> asSequence() {
        List<Integer> out = new ArrayList<>();
        for (Step s : steps) {
            if (!(s instanceof Step.Run r)) {
                return Optional.empty();
            }
            out.add(r.layer());
        }
        return Optional.of(out);
    }

    @Override
    public String toString() {
        return print();
    }

    /** {@code from..to} inclusive, ascending or descending. */
    static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        int step = to >= from ? 1 : -1;
        for (int i = from; i != to + step; i += step) {
            l.add(i);
        }
        return l;
    }

    static List<Step> runs(List<Integer> layers) {
        List<Step> s = new ArrayList<>(layers.size());
        for (int l : layers) {
            s.add(new Step.Run(l));
        }
        return s;
    }
}
