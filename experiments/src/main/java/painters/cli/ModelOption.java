package painters.cli;

import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by commands. */
final class ModelOption {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" (BGE-small-en-v1.5 from Maven), a HF directory (config.json, "
                    + "*.safetensors, tokenizer.json), or an ONNX export (.onnx with tokenizer.json beside it); "
                    + "for decoders (eval, analyze, study, generate): a HF Llama/Mistral directory or a llama2.c .bin "
                    + "file with its tokenizer beside it. "
                    + "Default: ${DEFAULT-VALUE}.")
    String model;

    BertModel load() {
        return BertLoader.load(model);
    }
}
