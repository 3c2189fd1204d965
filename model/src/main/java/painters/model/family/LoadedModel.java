package painters.model.family;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.weights.Precision;
import painters.model.weights.Weights;

/**
 * A loaded checkpoint as every caller sees it, whatever its family: identity and checksum for
 * provenance, the pretrained weights with their layout (block index and part of each tensor as data),
 * how its output is read, and its hidden states under any plan. Family-specific parts (the block,
 * the trainable graph, the tokenizer) come from the family's own type.
 */
public interface LoadedModel {

    /** A short name for results (the default model's HF id, or the path it came from). */
    String id();

    /** The family that loaded it ({@link ModelFamily#name()}). */
    String family();

    /** Checksum of the weight file(s). */
    String sha256();

    /** T, the number of pretrained blocks. */
    int numLayers();

    /** The width of the residual stream. */
    int hiddenSize();

    /** The pretrained tensors; {@code weights().layout()} says what each is. */
    Weights weights();

    /** How the output is read (and so scored and fine-tuned). */
    Readout readout();

    /** Wall time of loading, for the log. */
    double loadSeconds();

    /** Lines for {@code painters describe}: family, sizes, tokenizer, checksum. */
    List<String> describe();

    /** Hidden states of texts under a plan, for the analyses. */
    HiddenStates hiddenStates(LayerPlan plan);

    /**
     * This model with a prompt put before every input text (sentence-transformers prompts: a name from the
     * checkpoint's {@code config_sentence_transformers.json}, "none", or the text itself). A family without
     * prompts refuses.
     */
    default LoadedModel withPrompt(String nameOrText) {
        throw new UserInputException(id() + ": --prompt applies to sentence encoders with "
                + "sentence-transformers prompts, not to " + family() + " models");
    }

    /**
     * This model's configuration as the {@code config.json} of its family's HF format, for the tensors of
     * {@link #hfTensors()} ({@code painters convert}); {@code torch_dtype} says the precision the weights are held in.
     * A model that has none to give (read from a format with no HF configuration) refuses.
     */
    default String hfConfigJson() {
        throw new UserInputException(id() + ": this " + family() + " checkpoint has no HF configuration to write");
    }

    /** The pretrained tensors under the names and in the layout of the family's HF checkpoints. */
    default Map<String, INDArray> hfTensors() {
        return weights().tensors();
    }

    /**
     * This model with its pretrained weights held in precision {@code p} (fp16/bf16 halve their memory;
     * graphs widen each weight to fp32 as they read it, so computation, trainable weights and optimizer
     * state stay fp32). fp32 is the checkpoint widened, as loaded.
     */
    LoadedModel withPrecision(Precision p);
}
