package painters.model.llama;

import java.nio.file.Files;
import java.nio.file.Path;
import painters.model.family.ActivationCounts;
import painters.model.family.Architecture;
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

    @Override
    public boolean recognisesConfig(String model) {
        if (recognises(model)) {
            return true;
        }
        Path config = HfJson.configOf(model);
        return config != null && LlamaHfConfig.MODEL_TYPES.contains(HfJson.modelType(config));
    }

    @Override
    public Architecture architecture(String model) {
        Path p = Path.of(model);
        if (Files.isRegularFile(p) && p.toString().endsWith(".bin")) {
            LlamaConfig c = Llama2cCheckpoint.readConfig(p);
            return architecture(c, p.toString(), "float32");
        }
        HfJson json = HfJson.read(HfJson.configOf(model));
        return architecture(LlamaHfConfig.of(json), json.source(), json.torchDtype());
    }

    private Architecture architecture(LlamaConfig c, String source, String dtype) {
        return new Architecture(name(), source, c.modelType(), c.numLayers(), LlamaTensors.layout(c), dtype,
                activations(c), 0);
    }

    /**
     * The op outputs of one block application in {@link LlamaBlocks}' graph, per token: per query width q,
     * projection, head reshape and permute, rotary embedding (reshape, rotate, reshape, two products, sum),
     * grouping reshape and the context's four reshapes/permutes (14 q); per key/value width kv, k as q
     * without the grouping and context (9 kv) and v (3 kv); per hidden width d, the reshapes in and out,
     * two RMSNorms (square, divide, scale), output projection, MLP down and two residual sums (12 d); MLP
     * gate, sigmoid, product, up and gated product (5 ff). Attention: scores, scaled, reshaped, masked,
     * probabilities and reshaped, 6 x heads per key position. The KV cache holds k and v (2 kv) per token.
     */
    static ActivationCounts activations(LlamaConfig c) {
        long d = c.hiddenSize();
        return new ActivationCounts(12 * d + 14L * c.qDim() + 12L * c.kvDim() + 5L * c.intermediateSize(),
                6L * c.numHeads(), 2L * c.kvDim(), c.vocabSize(), d);
    }
}
