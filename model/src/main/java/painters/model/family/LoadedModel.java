package painters.model.family;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.plan.Step;
import painters.model.weights.Part;
import painters.model.weights.Precision;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;
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

    /**
     * This model with some pretrained tensors replaced by derived ones (canonical names; each the shape and dtype of
     * the one it replaces): a repaired or exported model. {@code what} names the derivation for its id. The replaced
     * arrays are new; the pretrained ones never change.
     */
    default LoadedModel withTensors(Map<String, INDArray> replaced, String what) {
        throw new UserInputException(id() + ": " + family() + " models cannot take derived tensors (" + what + ")");
    }

    /**
     * This model run as {@code plan}, as a plain model of the same family: block k holds what executed step k runs (a
     * repeat's tensors again, a merge's means), the configuration at the plan's depth. A plan without such a form (a
     * parallel step) or a family that cannot take it is a one-line error.
     */
    default LoadedModel plainModel(LayerPlan plan) {
        throw new UserInputException(id() + ": " + family() + " models cannot be written as a plan's plain model");
    }

    /**
     * Whether each block adds its MLP output to the residual stream unchanged (pre-norm blocks without a norm after
     * the MLP), so a linear map on that output folds exactly into the block's down projection (a linear repair).
     */
    default boolean mlpOutputAddsToStream() {
        return false;
    }

    /**
     * The scale and shift tensors (canonical names, in that order) of the norm that produces block {@code block}'s
     * output, for post-norm blocks whose last operation is a norm with a shift (BERT's output LayerNorm): a linear
     * repair folds a per-channel affine map there. Empty where a block ends with the residual add.
     */
    default List<String> outputNorm(int block) {
        return List.of();
    }

    /**
     * Training FLOPs per token of this model run as {@code plan} over sequences of {@code context} tokens, the dense
     * estimate of Kaplan et al. (2020, section 2.1) with the backward pass at twice the forward: 6 x (parameters
     * applied per token) + 6 x (block applications) x context x hidden (attention scores and their weighted sum).
     * The parameters applied are every block application's tensors (a merge: one block's) and, for a next-token
     * readout, the LM head's matrix (the embedding where it is tied); embedding lookups and a task head's few
     * parameters are left out. An upper bound for policies that train only the top of the model (the backward pass
     * below the lowest trained block is not needed there).
     */
    default double trainingFlopsPerToken(LayerPlan plan, int context) {
        TensorLayout layout = weights().layout();
        long[] perBlock = new long[numLayers()];
        long head = 0;
        long embedding = 0;
        for (TensorSpec t : layout.all()) {
            long n = Architecture.elements(t);
            if (t.block() >= 0 && t.block() < perBlock.length) {
                perBlock[t.block()] += n;
            } else if (t.part() == Part.LM_HEAD) {
                head = Math.max(head, n);
            } else if (t.part() == Part.EMBEDDING && t.shape().length == 2) {
                embedding = Math.max(embedding, n);
            }
        }
        double applied = 0;
        int applications = 0;
        for (Step s : plan.flattened().steps()) {
            List<Integer> blocks = s instanceof Step.Merge m ? List.of(m.layers().get(0)) : s.blocks();
            for (int b : blocks) {
                applied += perBlock[b];
                applications++;
            }
        }
        if (readout() == Readout.NEXT_TOKEN) {
            applied += head > 0 ? head : embedding;
        }
        return 6.0 * applied + 6.0 * applications * (double) context * hiddenSize();
    }
}
