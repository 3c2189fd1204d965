package painters.cli;

import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by commands: any checkpoint a registered model family reads. */
final class ModelOption {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" (BGE-small-en-v1.5 from Maven), a BERT-family HF directory (config.json, "
                    + "*.safetensors, tokenizer.json) or ONNX export (.onnx with tokenizer.json beside it), a Llama/Mistral "
                    + "HF directory, or a llama2.c .bin file with its tokenizer beside it. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--prompt", paramLabel = "NAME|TEXT", description = "Put a prompt before every text: a name from "
            + "the checkpoint's config_sentence_transformers.json (e5: query, passage), \"none\", or the text itself. "
            + "Default: the checkpoint's default prompt, if any.")
    String prompt;

    /**
     * The model as a sentence encoder, for commands about sentence embeddings and BERT checkpoints
     * (embed, convert); a model with another readout is a clear error.
     */
    painters.model.bert.BertModel loadSentenceEncoder(String command) {
        LoadedModel m = load();
        if (m.readout() != painters.model.family.Readout.SENTENCE_FEATURES
                || !(m instanceof painters.model.bert.BertModel b)) {
            throw new IllegalArgumentException(command + " needs a sentence encoder (BERT family); " + m.id() + " reads out "
                    + m.readout());
        }
        return b;
    }

    /** Loads the model with the family that recognises it. */
    LoadedModel load() {
        LoadedModel m = ModelFamilies.load(model);
        return prompt == null ? m : m.withPrompt(prompt);
    }
}
