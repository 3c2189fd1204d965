package painters.subject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import painters.eval.lm.LanguageModel;
import painters.eval.route.RouteData;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.repair.LinearRepair;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.TrainingLoop;

/**
 * A loaded model with its protocol, as studies and commands use it: score plans on tasks, fine-tune a
 * plan and say what each point of its curve measured. Chosen by {@link Subjects}.
 */
public interface Subject {

    LoadedModel model();

    /** The tasks it scores (the settings' tasks, or the protocol's default set), validated. */
    List<String> tasks();

    /**
     * What the protocol's numbers depend on beyond the model and the grid (data checksums and versions
     * per task, head or LM settings), for a study's resume identity; seeds that key cells are not in it.
     */
    Map<String, String> identity();

    /** The protocol in words, for command output and reports. */
    String protocol();

    /**
     * The model under {@code plan} as a language model (token log-likelihoods, greedy generation with the
     * KV cache), or empty when its readout is not a next-token distribution.
     */
    Optional<LanguageModel> languageModel(LayerPlan plan);

    /**
     * The same model and protocol scoring a validation view of each task (a seeded {@code share} of its training
     * data held out and scored, the rest trained on): what a search compares candidates on, so the tasks' scored
     * splits stay unseen until the chosen plans are scored once.
     */
    default Subject validation(double share, long seed) {
        throw new UserInputException(model().id() + ": this protocol (" + protocol() + ") has no validation view "
                + "yet; a plan search needs tasks with a training split (an encoder's classification tasks)");
    }

    /** What a router study trains a router for, one at a time: an encoder's tasks, a decoder's corpus. */
    List<String> routeTargets(RouteRequest request);

    /**
     * Every plan of {@code request} on {@code target} per input, and the state the router reads: what a learned
     * router is trained on (training inputs' costs) and scored with (scored inputs' outcomes).
     */
    RouteData routing(String target, RouteRequest request) throws IOException;

    /**
     * Scorers for {@code plans}, about to be scored in this order: the scorers of every thread made from it
     * share the plans' common work (prefix states). An empty list shares nothing.
     */
    Scorers scorers(List<LayerPlan> plans);

    /** Where the scorers of one group of plans come from. */
    interface Scorers {
        /** A scorer for one thread (its own tokenizer and graphs); closed when the thread is done. */
        Scorer scorer();
    }

    interface Scorer extends AutoCloseable {
        /** The scorer of one plan, its graph built once. */
        PlanScorer plan(LayerPlan plan);

        @Override
        void close();
    }

    interface PlanScorer {
        TaskScore score(String task, long headSeed);

        /** Every score of this plan has been taken. */
        default void done() {
        }
    }

    /**
     * What a plan is fine-tuned on, one run each: a sentence-feature model is fine-tuned on each task
     * separately; a next-token model on its fine-tuning corpus (its tasks are scored along the curve).
     */
    /**
     * This subject with its model repaired for {@code plan} without training ({@link LinearRepair}), fitted on the
     * first {@code windows} training windows of its fine-tuning corpus (never the held-out windows or the scored
     * tasks), with the repair; empty where the model or the plan takes none (an encoder, a post-norm block, a plan
     * that is not one cut).
     */
    default Optional<Repaired> repairedFor(LayerPlan plan, int windows, double ridge) {
        return Optional.empty();
    }

    /** A repaired subject and what was fitted. */
    record Repaired(Subject subject, LinearRepair repair) {}

    List<String> fineTuneTargets();

    /**
     * Fine-tunes {@code plan} on {@code target} (one of {@link #fineTuneTargets}); resumes from
     * {@code checkpoints} when it holds a checkpoint of this run.
     *
     * @param validation if > 0, that share of the training data is held out and scored instead of the
     *                   test data (sweeps)
     */
    TrainingLoop.Result fineTune(LayerPlan plan, Split split, String target, FineTuneConfig cfg, double validation,
                                 Path checkpoints) throws IOException;

    /** What step 0 of a fine-tuning curve is and what a run trains on, in a sentence for reports. */
    String fineTuneProtocol();

    /**
     * What a point of a fine-tuning run on {@code target} measured, one entry per (task, metric), the held-out split's
     * first (its task is the one the point's held-out items belong to).
     */
    List<CurveScore> curveScores(String target, CurvePoint point);

    /**
     * One value on a fine-tuning curve.
     *
     * @param task         the task (or the held-out corpus) it was measured on
     * @param version      task version (-1: none)
     * @param dataChecksum checksum of that task's data
     * @param metric       metric id
     * @param value        value
     * @param primary      the task's primary metric
     * @param chance       chance level of the primary metric, NaN where none
     * @param n            items scored
     * @param stderr       standard error of the value over those items, NaN when unknown
     */
    record CurveScore(String task, int version, String dataChecksum, String metric, double value, boolean primary,
                      double chance, int n, double stderr) {}
}
