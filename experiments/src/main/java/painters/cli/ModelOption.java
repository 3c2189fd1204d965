package painters.cli;

import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.family.SentenceEncoder;
import painters.model.weights.Precision;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by commands: any checkpoint a registered model family reads. */
final class ModelOption {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" (BGE-small-en-v1.5 from Maven), a BERT-family HF directory (config.json, "
                    + "*.safetensors, tokenizer.json) or ONNX export (.onnx with tokenizer.json beside it), a decoder HF "
                    + "directory (model_type llama, mistral, qwen2, qwen3, gemma, gemma2, phi3, gpt_neox, gpt2, olmo2), "
                    + "or a llama2.c .bin file with its tokenizer beside it. Default: ${DEFAULT-VALUE}.")
    String model;

    /** A sentence-transformers prompt to apply ({@link PromptOption}), or null for the checkpoint's default. */
    String prompt;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "fp32", description = "Precision the pretrained "
            + "weights are held in: fp32, bf16 or fp16 (half the memory; each weight is widened to fp32 as the graph "
            + "reads it, trainable weights and optimizer state stay fp32). Default: ${DEFAULT-VALUE}.")
    String dtype;

    /**
     * The model as a sentence encoder, for commands about sentence embeddings (embed); a model with another
     * readout is a clear error.
     */
    SentenceEncoder loadSentenceEncoder(String command) {
        LoadedModel m = load();
        if (!(m instanceof SentenceEncoder e)) {
            throw new UserInputException(command + " needs a sentence encoder; " + m.id() + " (" + m.family()
                    + ") reads out " + m.readout());
        }
        return e;
    }

    /** Loads the model with the family that recognises it. */
    LoadedModel load() {
        Precision p = Precision.parse(dtype);
        LoadedModel m = ModelFamilies.load(model).withPrecision(p);
        return prompt == null ? m : m.withPrompt(prompt);
    }
}
