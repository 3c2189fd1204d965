package painters.model.family;

import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TextTokenizer;
import painters.model.weights.Precision;

/**
 * A causal language model, whatever its family: the capability that language-model scoring, decoder
 * fine-tuning, routing and generation use ({@link Readout#NEXT_TOKEN}).
 */
public interface CausalLm extends LoadedModel {

    TextTokenizer tokenizer();

    /** The most tokens a sequence may hold (the model's positions). */
    int contextLength();

    /** The sliding attention window in tokens (0: every block attends to the whole prefix). */
    int slidingWindow();

    /** Whether the output head is the input embedding matrix. */
    boolean tiedHead();

    /** The frozen graph under {@code plan}. */
    LmGraph graph(LayerPlan plan);

    /** A graph under {@code plan} that trains what {@code how} says with the next-token loss. */
    LmTrainingGraph trainingGraph(LayerPlan plan, Unfreezing how);

    @Override
    CausalLm withPrecision(Precision p);
}
