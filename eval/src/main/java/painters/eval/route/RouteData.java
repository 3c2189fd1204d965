package painters.eval.route;

import java.util.List;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;

/**
 * What a router over {@code plans} is trained and scored on, for one target (an encoder's task, a decoder's
 * corpus): per training input its router features (the state after the plans' shared prefix) and its cost under
 * each plan (a loss the plan's scores do not see: out-of-fold for heads trained on the same inputs); per scored
 * input its router features and every plan's outcome.
 *
 * @param target        task or corpus name
 * @param version       task version (-1: none)
 * @param dataChecksum  checksum of its data
 * @param metric        primary metric id of the scored outcomes
 * @param chance        its chance level (NaN where none)
 * @param plans         the plans chosen among, in cost order of the router's columns
 * @param prefix        blocks 0..prefix-1 every plan starts with: the router reads the state after them
 * @param trainFeatures {@code [n][d]}
 * @param trainCosts    {@code [n][K]}, nats (the penalty is added by the caller)
 * @param testFeatures  {@code [m][d]}
 * @param test          outcomes of the scored inputs
 * @param protocol      how costs and outcomes were measured, in words
 */
public record RouteData(String target, int version, String dataChecksum, String metric, double chance,
                        List<LayerPlan> plans, int prefix, double[][] trainFeatures, double[][] trainCosts,
                        double[][] testFeatures, PlanOutcomes test, String protocol) {

    public RouteData {
        plans = List.copyOf(plans);
        if (trainFeatures.length != trainCosts.length || testFeatures.length != test.inputs()) {
            throw new UserInputException(target + ": router data disagree on the number of inputs");
        }
        if (test.plans() != plans.size() || trainCosts.length > 0 && trainCosts[0].length != plans.size()) {
            throw new UserInputException(target + ": router data disagree on the number of plans");
        }
    }
}
