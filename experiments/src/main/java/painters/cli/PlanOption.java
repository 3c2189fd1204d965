package painters.cli;

import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import picocli.CommandLine.Option;

/**
 * How a command chooses its layer plan: a hand-written {@code --plan}, a paper variant at a split, a
 * single-layer skip or switch, or (default) the unmodified model.
 */
final class PlanOption {

    @Option(names = "--plan", paramLabel = "PLAN",
            description = "A layer plan, e.g. \"0-5,P(6-11)x3\", \"0-3,7-4,8-11\" or \"0-4,M(5-7),8-11\" (see README).")
    String plan;

    @Option(names = "--variant", paramLabel = "NAME", description = "skip, middle-repeat, reverse, random, parallel, "
            + "looped-parallel, repeat-in-place or merge (needs --split).")
    String variant;

    @Option(names = "--split", paramLabel = "S", description = "The split s: F=[0..s], M=[s+1..T-s-1], L=[T-s..T-1].")
    Integer split;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random variant (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--loops", paramLabel = "K", description = "R for looped-parallel (default 3), k for "
            + "repeat-in-place (default 2).")
    Integer loops;

    @Option(names = "--skip-layer", paramLabel = "N", description = "Drop block N only.")
    Integer skipLayer;

    @Option(names = "--switch", paramLabel = "N", description = "Run block N+1 before block N.")
    Integer switchLayer;

    /** The plan these options describe for a model of T blocks (its size checked: {@link LayerPlan#checkSize}). */
    LayerPlan resolve(int numLayers) {
        return choose(numLayers).checkSize();
    }

    /** The split of a {@code --variant} plan (what the middle and adjacent policies need), or null. */
    Split split(int numLayers) {
        return variant != null && split != null ? new Split(numLayers, split) : null;
    }

    private LayerPlan choose(int numLayers) {
        int chosen = (plan != null ? 1 : 0) + (variant != null ? 1 : 0) + (skipLayer != null ? 1 : 0)
                + (switchLayer != null ? 1 : 0);
        if (chosen > 1) {
            throw new UserInputException("choose one of --plan, --variant, --skip-layer, --switch");
        }
        if (split != null && variant == null) {
            throw new UserInputException("--split needs --variant");
        }
        if (plan != null) {
            return LayerPlan.parse(plan, numLayers);
        }
        if (skipLayer != null) {
            return Variant.skipLayer(numLayers, skipLayer);
        }
        if (switchLayer != null) {
            return Variant.switchNeighbours(numLayers, switchLayer);
        }
        if (variant != null) {
            if (split == null) {
                throw new UserInputException("--variant needs --split (0.." + Split.maxS(numLayers) + ")");
            }
            Variant v = Variant.parse(variant);
            int k = loops != null ? loops : v == Variant.REPEAT_IN_PLACE ? 2 : Variant.DEFAULT_LOOPS;
            return v.plan(new Split(numLayers, split), seed, k);
        }
        return LayerPlan.identity(numLayers);
    }
}
