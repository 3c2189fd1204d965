package painters.model.decoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.ActivationCounts;
import painters.model.family.Architecture;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamily;
import painters.model.family.Residual;
import painters.model.hf.HfJson;
import painters.model.weights.DType;
import painters.model.weights.SafetensorsWriter;

/**
 * A decoder family whose checkpoints are HF directories ({@code config.json} with one of its model types,
 * safetensors, {@code tokenizer.json} or a sentencepiece {@code tokenizer.model}): a family supplies its name, its
 * model types and the one mapping of its {@code config.json} onto a {@link DecoderConfig} (HF key names live there);
 * recognising, loading, {@code generation_config.json} and memory plans are shared.
 */
public abstract class HfDecoderFamily implements ModelFamily {

    /** The HF model types this family reads. */
    protected abstract Set<String> modelTypes();

    /** The family's config mapping; bad values are {@link painters.model.ModelFormatException}s naming the key. */
    protected abstract DecoderConfig config(HfJson json);

    @Override
    public String accepts() {
        return "a HF directory (config.json with model_type " + String.join("/", new TreeSet<>(modelTypes()))
                + ", safetensors, tokenizer.json or tokenizer.model)";
    }

    @Override
    public boolean recognises(String model) {
        if (model == null) {
            return false;
        }
        Path p = Path.of(model);
        Path config = p.resolve("config.json");
        return Files.isDirectory(p) && Files.isRegularFile(config) && modelTypes().contains(HfJson.modelType(config));
    }

    @Override
    public LoadedModel load(String model) {
        return HfDecoderLoader.load(Path.of(model), readDirectory(Path.of(model)), name());
    }

    @Override
    public boolean recognisesConfig(String model) {
        if (recognises(model)) {
            return true;
        }
        Path config = HfJson.configOf(model);
        return config != null && modelTypes().contains(HfJson.modelType(config));
    }

    @Override
    public Architecture architecture(String model) {
        HfJson json = HfJson.read(HfJson.configOf(model));
        return architecture(config(json), json.source(), json.torchDtype());
    }

    @Override
    public List<String> surgeryNotes(String model) {
        Path config = HfJson.configOf(model);
        return config == null ? List.of() : surgeryNotes(read(config));
    }

    /**
     * The per-layer attributes of {@code c} under surgery: where blocks differ in attention window, which are
     * windowed, and the rule that a block keeps its own window wherever a plan runs it (repeated, moved, in a
     * parallel step).
     */
    public static List<String> surgeryNotes(DecoderConfig c) {
        List<String> notes = new ArrayList<>();
        if (c.spec().residualScale() != 1) {
            notes.add("Trained here with residual connections " + Residual.name(c.spec().residualScale())
                    + " (config key " + Residual.KEY + "): each residual add x + f(x) is " + c.spec().residualScale()
                    + " x + f(x).");
        }
        if (!c.mixedWindows()) {
            return notes;
        }
        List<Integer> local = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            if (c.window(i) > 0) {
                local.add(i);
            }
        }
        notes.add("Per-layer attributes: blocks " + local + " attend within a sliding window of "
                + c.slidingWindow() + " tokens, the others globally. A block keeps its own window wherever a plan "
                + "runs it (repeated, moved or in a parallel step), as its pretrained weights expect.");
        return notes;
    }

    /**
     * An untrained checkpoint ({@link DecoderInit}): deviation {@code initializer_range} (default 0.02), the residual
     * stream's projections at {@link #streamStd}; {@code config.json} copied as given.
     */
    @Override
    public void writeInitialised(Path configJson, Path dir, long seed) {
        HfJson json = HfJson.read(configJson);
        DecoderConfig c = read(configJson);
        double std = json.number("initializer_range", 0.02);
        Map<String, INDArray> canonical = DecoderInit.tensors(c, std, streamStd(c, std), seed);
        Set<String> transposed = c.spec().names().transposedNames(c.numLayers());
        Map<String, INDArray> hf = new LinkedHashMap<>();
        canonical.forEach((n, a) -> hf.put(n, transposed.contains(n) ? a.transpose().dup('c') : a));
        try {
            Files.createDirectories(dir);
            Files.copy(configJson, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
            SafetensorsWriter.write(dir.resolve("model.safetensors"), hf, DType.F32, Map.of("format", "pt"));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The deviation of the projections into the residual stream (attention output, MLP down) at initialisation:
     * {@code std} unless the family's HF code scales it (GPT-2).
     */
    protected double streamStd(DecoderConfig c, double std) {
        return std;
    }

    /** The config read from {@code configJson}, with the residual regime of a model trained here ({@link Residual}). */
    public DecoderConfig read(Path configJson) {
        HfJson json = HfJson.read(configJson);
        DecoderConfig c = config(json);
        if (!json.has(Residual.KEY)) {
            return c;
        }
        try {
            return c.withSpec(c.spec().withResidualScale(Residual.scale(json.str(Residual.KEY, "standard"))),
                    c.hiddenAct());
        } catch (UserInputException e) {
            throw json.error(Residual.KEY + ": " + e.getMessage(), e);
        }
    }

    /**
     * The config of a HF checkpoint folder: {@code config.json}, with the BOS/EOS ids of
     * {@code generation_config.json} when it has them (what {@code generate()} uses; the first of a list of
     * EOS ids, e.g. Llama-3.1's [128001, 128008, 128009]).
     */
    public DecoderConfig readDirectory(Path dir) {
        DecoderConfig c = read(dir.resolve("config.json"));
        Path gen = dir.resolve("generation_config.json");
        if (!Files.isRegularFile(gen)) {
            return c;
        }
        HfJson g = HfJson.read(gen);
        int bos = g.has("bos_token_id") ? g.firstInteger("bos_token_id") : c.bosTokenId();
        int eos = g.has("eos_token_id") ? g.firstInteger("eos_token_id") : c.eosTokenId();
        try {
            return c.withSpecialTokens(bos, eos);
        } catch (IllegalArgumentException e) {
            throw g.error(e.getMessage(), e);
        }
    }

    /** The architecture of a decoder config, for memory plans. */
    protected Architecture architecture(DecoderConfig c, String source, String dtype) {
        return new Architecture(name(), source, c.modelType(), c.numLayers(), DecoderTensors.layout(c), dtype,
                activations(c), 0, c.maxPositions());
    }

    /**
     * The op outputs of one block application in {@link DecoderBlocks}' graph, per token, counted for the Llama
     * block and adjusted for the switches: per query width q, projection, head reshape and permute, rotary embedding
     * (reshape, rotate, reshape, two products, sum), grouping reshape and the context's four reshapes/permutes (14 q);
     * per key/value width kv, k as q without the grouping and context (9 kv) and v (3 kv); per hidden width d, the
     * reshapes in and out, two norms (square, divide, scale), output projection, MLP down and two residual sums
     * (12 d); MLP gate, activation, product, up and gated product (5 ff; a plain MLP: up, bias and 3 activation
     * steps, 5 ff). Attention: scores, scaled, reshaped, masked, probabilities and reshaped, 6 x heads per key
     * position (8 with a soft-cap). Biases, post-norms and q/k norms add their outputs (q + 2 kv, 4 d, 4 (q + kv)).
     * The KV cache holds k and v (2 kv) per token.
     */
    public static ActivationCounts activations(DecoderConfig c) {
        TensorNames n = c.spec().names();
        long d = c.hiddenSize();
        long saved = 12 * d + 14L * c.qDim() + 12L * c.kvDim() + 5L * c.intermediateSize();
        if (n.has(TensorRole.Q_BIAS) || n.has(TensorRole.QKV_BIAS)) {
            saved += c.qDim() + 2L * c.kvDim();
        }
        if (n.has(TensorRole.ATTN_POST_NORM)) {
            saved += 4 * d;
        }
        if (n.has(TensorRole.Q_NORM)) {
            saved += 4L * (c.qDim() + c.kvDim());
        }
        long perPosition = (c.spec().attnSoftcap() > 0 ? 8L : 6L) * c.numHeads();
        return new ActivationCounts(saved, perPosition, 2L * c.kvDim(), c.vocabSize(), d);
    }

    /** A value or a default, with the key's name in a bad value's error (used by the config mappings). */
    protected static DecoderConfig checked(HfJson c, Supplier<DecoderConfig> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }
}
