package painters.study;

import java.io.IOException;
import java.nio.file.Path;
import painters.eval.head.TaskScore;
import painters.model.plan.LayerPlan;

/**
 * The model a study evaluates, as the runner sees it: the same cells, store, normalisation and report
 * work for every model family. {@link EncoderSubject}: frozen-feature heads and zero-shot STS;
 * {@link DecoderSubject}: language-model tasks.
 */
interface StudySubject {

    String id();

    String sha256();

    int numLayers();

    /** The plans about to be evaluated (one per group of cells, in evaluation order), before any worker starts. */
    default void prepare(java.util.List<LayerPlan> plans) {
    }

    /** Per-thread state (e.g. a tokenizer instance) for one worker; closed when the worker ends. */
    Worker worker();

    /** Draws the cos-sim heatmap (and the other state analyses) of the full model into {@code out}. */
    void cossim(StudySpec spec, Path out) throws IOException;

    interface Worker extends AutoCloseable {
        /** A scorer of cells for one plan, its graph built once. */
        PlanScorer plan(LayerPlan plan);

        @Override
        void close();
    }

    interface PlanScorer {
        TaskScore score(Cell cell);

        /** Every cell of this plan has been scored. */
        default void done() {
        }
    }
}
