package painters.model.llama;

import java.nio.file.Files;
import java.nio.file.Path;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamily;
import painters.model.hf.HfJson;

/** Llama-family decoders (Llama 1-3, Mistral): HF directories and llama2.c checkpoints. */
public final class LlamaFamily implements ModelFamily {

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public String accepts() {
        return "a HF directory (config.json with model_type " + String.join("/", new java.util.TreeSet<>(
                LlamaHfConfig.MODEL_TYPES)) + ", safetensors, tokenizer.json or tokenizer.model), or a llama2.c "
                + ".bin file with its tokenizer beside it";
    }

    @Override
    public boolean recognises(String model) {
        if (model == null) {
            return false;
        }
        Path p = Path.of(model);
        if (Files.isRegularFile(p)) {
            return p.toString().endsWith(".bin");
        }
        Path config = p.resolve("config.json");
        return Files.isDirectory(p) && Files.isRegularFile(config)
                && LlamaHfConfig.MODEL_TYPES.contains(HfJson.modelType(config));
    }

    @Override
    public LoadedModel load(String model) {
        return LlamaLoader.load(model);
    }
}
