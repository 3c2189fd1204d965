package painters.model.bert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import painters.model.family.ActivationCounts;
import painters.model.family.Architecture;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamily;
import painters.model.family.OnnxExports;
import painters.model.family.SentenceEncoder;
import painters.model.hf.HfJson;
import painters.model.weights.Checksums;
import painters.model.weights.Safetensors;

/** BERT-family encoders: the embedded default model, ONNX exports and HF safetensors directories. */
public final class BertFamily implements ModelFamily, OnnxExports {

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

    @Override
    public boolean recognisesConfig(String model) {
        if (recognises(model)) {
            return true;
        }
        Path config = HfJson.configOf(model);
        if (config == null) {
            return false;
        }
        String type = HfJson.modelType(config);
        return type == null || MODEL_TYPES.contains(type);
    }

    @Override
    public Architecture architecture(String model) {
        HfJson json;
        if (model == null || model.equals("default") || model.equals("bge-small-en-v1.5")) {
            json = BertLoader.defaultConfig();
        } else {
            Path config = HfJson.configOf(model);
            if (config == null && model.endsWith(".onnx")) {
                config = HfJson.configOf(Path.of(model).toAbsolutePath().getParent().toString());
            }
            if (config == null) {
                BertConfig c = BertLoader.load(model).config();     // an ONNX export without config.json
                return architecture(c, model, "float32");
            }
            json = HfJson.read(config);
        }
        return architecture(BertHfConfig.of(json), json.source(), json.torchDtype());
    }

    private Architecture architecture(BertConfig c, String source, String dtype) {
        return new Architecture(name(), source, c.modelType(), c.numLayers(), BertTensors.layout(c), dtype,
                activations(c), c.hiddenSize(), c.maxPositions());
    }

    /**
     * The op outputs of one block application in {@link BertBlocks}' graph, per token: q, k, v (projection,
     * bias, head reshape and permute: 4 x 3 x d), context (3 d), output projection and bias (2 d), two
     * residual sums and two LayerNorms (centred, squared, divided, scaled, shifted: 2 x 6 d), the reshapes
     * in and out (2 d), MLP up and bias (2 ff), erf-GELU (5 ff), MLP down and bias (2 d): 33 d + 7 ff;
     * attention scores, masked scores and probabilities: 3 x heads per key position.
     */
    static ActivationCounts activations(BertConfig c) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        return new ActivationCounts(33 * d + 7 * ff, 3L * c.numHeads(), 0, d, d);
    }

    @Override
    public SentenceEncoder fromOnnx(Path onnx, Path tokenizer, Path config) {
        return BertLoader.fromOnnx(onnx, tokenizer, config);
    }

    @Override
    public SentenceEncoder withWeightsFrom(SentenceEncoder like, Path hf) {
        BertModel m = (BertModel) like;
        BertConfig c = Files.isRegularFile(hf.resolve("config.json")) ? BertHfConfig.read(hf.resolve("config.json"))
                : m.config();
        return new BertModel(hf.toString(), BertWeights.from(c, Safetensors.read(hf)), m.tokenizer(), m.pooling(),
                m.normalize(), m.conventions(), Checksums.ofSafetensors(hf), 0);
    }

    @Override
    public onnx.Onnx.ModelProto defaultExport() {
        return BertLoader.defaultOnnx();
    }

    @Override
    public List<String> stateNames(onnx.Onnx.ModelProto export, int numLayers, String source) {
        return OnnxBertStates.stateNames(export, numLayers, source);
    }

    @Override
    public onnx.Onnx.ModelProto withOutputs(onnx.Onnx.ModelProto export, List<String> names) {
        return OnnxBertStates.withOutputs(export, names);
    }
}
