package painters.subject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;

/**
 * What a router study asks a subject for ({@link Subject#routing}): every plan's per-input costs and outcomes on
 * a target, and the router's features.
 *
 * @param plans   the plans a router chooses among (each starts with blocks 0..prefix-1)
 * @param prefix  blocks run before the router decides; its features are the state after them
 * @param folds   encoders: folds of the out-of-fold head losses the router trains on
 * @param context decoders: the first {@code context} tokens of a window are read before the decision (the router
 *                sees only them; every plan is scored on the tokens after them)
 * @param corpus  decoders: the text the router trains and is scored on (a text or .jsonl file, or an LM task with
 *                a train split); its last {@code heldOut} share of windows is scored
 * @param heldOut decoders: the scored share of the corpus's windows
 * @param seed    seed of the heads and folds
 */
public record RouteRequest(List<LayerPlan> plans, int prefix, int folds, int context, String corpus, double heldOut,
                           long seed) {

    public RouteRequest {
        plans = List.copyOf(plans);
        if (plans.size() < 2) {
            throw new UserInputException("a router needs at least 2 plans to choose among, got " + plans.size());
        }
        if (prefix < 1) {
            throw new UserInputException("a router reads the state after at least one block (prefix >= 1), got "
                    + prefix);
        }
        Set<String> seen = new HashSet<>();
        for (LayerPlan p : plans) {
            if (!seen.add(p.computationKey())) {
                throw new UserInputException("plan " + p.print() + " is given twice among the router's plans");
            }
            if (p.identityPrefix() < prefix) {
                throw new UserInputException("plan " + p.print() + " does not start with blocks 0.." + (prefix - 1)
                        + ", the state the router reads");
            }
        }
    }

    /** Blocks 0..prefix-1: the plan whose final state the router reads. */
    public LayerPlan prefixPlan() {
        return LayerPlan.sequence(plans.get(0).numLayers(), IntStream.range(0, prefix).boxed().toList());
    }
}
