package painters.study.finetune;

import painters.results.ResultRow;
import painters.training.CurvePoint;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;

/** The training part of the result rows of a fine-tuning curve, as recovery studies and sweeps store them. */
public final class CurveRows {

    private CurveRows() {}

    /**
     * The run's policy, trainable parameters and settings, and this point's step, data seen, training FLOPs (tokens x
     * {@code flopsPerToken}, the model's estimate for the run's plan: {@code LoadedModel.trainingFlopsPerToken}), loss
     * and time.
     */
    public static ResultRow.Training training(UnfreezePolicy policy, TrainingLoop.Result res, CurvePoint pt, String settings,
                                              double flopsPerToken) {
        return new ResultRow.Training(policy.print(), res.trainableParameters(), pt.step(), pt.examples(), pt.tokens(),
                pt.loss(), pt.seconds(), res.stoppedEarly(), settings, pt.tokens() * flopsPerToken);
    }
}
