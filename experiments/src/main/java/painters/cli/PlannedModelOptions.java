package painters.cli;

import painters.model.family.LoadedModel;
import painters.model.family.SentenceEncoder;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import picocli.CommandLine.Mixin;

/**
 * The model, its sentence-encoder prompt and its layer plan, chosen the same way by every command that runs texts
 * through a model under a plan (eval, analyze, embed, finetune).
 */
final class PlannedModelOptions {

    @Mixin
    ModelOption model;

    @Mixin
    PromptOption prompt;

    @Mixin
    PlanOption plan;

    /** Loads the model with the chosen prompt. */
    LoadedModel load() {
        return prompt.into(model).load();
    }

    /** Loads the model as a sentence encoder (with the chosen prompt); another readout is a clear error. */
    SentenceEncoder loadSentenceEncoder(String command) {
        return prompt.into(model).loadSentenceEncoder(command);
    }

    /** The chosen plan for a model of T blocks, its size checked. */
    LayerPlan plan(int numLayers) {
        return plan.resolve(numLayers);
    }

    /** The split of a {@code --variant} plan, or null. */
    Split split(int numLayers) {
        return plan.split(numLayers);
    }
}
