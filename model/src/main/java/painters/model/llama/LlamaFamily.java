package painters.model.llama;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.HfDecoderFamily;
import painters.model.family.Architecture;
import painters.model.family.LoadedModel;
import painters.model.hf.HfJson;

/** Llama-family decoders (Llama 1-3, Mistral): HF directories and llama2.c checkpoints. */
public final class LlamaFamily extends HfDecoderFamily {

    @Override
    public String name() {
        return "llama";
    }

    @Override
    protected Set<String> modelTypes() {
        return LlamaHfConfig.MODEL_TYPES;
    }

    @Override
    protected DecoderConfig config(HfJson json) {
        return LlamaHfConfig.of(json);
    }

    @Override
    public String accepts() {
        return super.accepts() + ", or a llama2.c .bin file with its tokenizer beside it";
    }

    @Override
    public boolean recognises(String model) {
        if (model != null && Files.isRegularFile(Path.of(model))) {
            return model.endsWith(".bin");
        }
        return super.recognises(model);
    }

    @Override
    public LoadedModel load(String model) {
        return LlamaLoader.load(model);
    }

    @Override
    public Architecture architecture(String model) {
        Path p = Path.of(model);
        if (Files.isRegularFile(p) && p.toString().endsWith(".bin")) {
            return architecture(Llama2cCheckpoint.readConfig(p), p.toString(), "float32");
        }
        return super.architecture(model);
    }
}
