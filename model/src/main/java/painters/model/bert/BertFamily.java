package painters.model.bert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamily;
import painters.model.hf.HfJson;
import painters.model.weights.Safetensors;

/** BERT-family encoders: the embedded default model, ONNX exports and HF safetensors directories. */
public final class BertFamily implements ModelFamily {

    /** HF model types read as BERT (a config without model_type counts as bert). */
    static final Set<String> MODEL_TYPES = Set.of("bert");

    @Override
    public String name() {
        return "bert";
    }

    @Override
    public String accepts() {
        return "\"default\", an .onnx file or a directory with model.onnx / onnx/model.onnx and tokenizer.json, "
                + "or a HF directory (config.json with model_type bert, safetensors, tokenizer.json)";
    }

    @Override
    public boolean recognises(String model) {
        if (model == null || model.equals("default") || model.equals("bge-small-en-v1.5")) {
            return true;
        }
        Path p = Path.of(model);
        if (Files.isRegularFile(p)) {
            return p.toString().endsWith(".onnx");
        }
        if (!Files.isDirectory(p)) {
            return false;
        }
        if (Files.isRegularFile(p.resolve("model.onnx")) || Files.isRegularFile(p.resolve("onnx").resolve("model.onnx"))) {
            return true;
        }
        Path config = p.resolve("config.json");
        if (!Safetensors.isCheckpointDir(p) || !Files.isRegularFile(config)) {
            return false;
        }
        String type = HfJson.modelType(config);
        return type == null || MODEL_TYPES.contains(type);
    }

    @Override
    public LoadedModel load(String model) {
        return BertLoader.load(model);
    }
}
