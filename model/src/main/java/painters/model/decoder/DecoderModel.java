package painters.model.decoder;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.HiddenStates;
import painters.model.family.Readout;
import painters.model.family.Unfreezing;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TextTokenizer;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.BlockOrder;
import painters.model.weights.Precision;

/**
 * A loaded decoder checkpoint, whatever its family: everything an experiment needs to run it.
 *
 * @param id          a short name for results (the path it came from)
 * @param family      the family that loaded it ("llama", "qwen", ...)
 * @param weights     the pretrained tensors, validated against the config
 * @param tokenizer   its tokenizer
 * @param sha256      checksum of the weight file(s), for provenance
 * @param loadSeconds wall time of loading, for the log
 */
public record DecoderModel(String id, String family, DecoderWeights weights, TextTokenizer tokenizer, String sha256, double loadSeconds)
        implements CausalLm {

    public DecoderConfig config() {
        return weights.config();
    }

    /** The pretrained decoder graph (blocks 0..T-1). */
    public DecoderGraph decoder() {
        return DecoderGraph.of(weights);
    }

    @Override
    public DecoderGraph graph(LayerPlan plan) {
        return DecoderGraph.of(weights, plan);
    }

    @Override
    public DecoderTrainingGraph trainingGraph(LayerPlan plan, Unfreezing how) {
        return DecoderTrainingGraph.build(weights, plan, how.unfrozen(), how.untie(), how.loraTargets(), how.loraRank(),
                how.loraScale());
    }

    /**
     * The {@code config.json} of the HF directory this model was read from, {@code torch_dtype} set to the precision
     * the weights are held in; a llama2.c checkpoint has none.
     */
    @Override
    public String hfConfigJson() {
        Path config = Path.of(id.contains(" + ") ? id.substring(0, id.indexOf(" + ")) : id).resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UserInputException(id + ": not read from a HF directory (no config.json beside it), so there is "
                    + "no HF configuration to write");
        }
        try {
            JsonObject o = JsonParser.parseString(
                    Files.readString(config)).getAsJsonObject();
            int n = config().numLayers();
            if (o.has("num_hidden_layers") && o.get("num_hidden_layers").getAsInt() != n) {   // a plan's plain model
                o.addProperty("num_hidden_layers", n);
                if (o.has("max_window_layers")) {           // Qwen2: blocks from this index on are windowed
                    o.addProperty("max_window_layers", config().window(0) > 0 ? 0 : n);
                }
                o.remove("layer_types");
            }
            o.addProperty("torch_dtype", switch (weights.precision()) {
                case FP32 -> "float32";
                case BF16 -> "bfloat16";
                case FP16 -> "float16";
            });
            return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(config + ": " + e.getMessage(), e);
        }
    }

    /** The tensors under the checkpoint's names, the roles the family stores {@code [in, out]} transposed back. */
    @Override
    public Map<String, INDArray> hfTensors() {
        Set<String> transposed = config().spec().names().transposedNames(config().numLayers());
        Map<String, INDArray> out = new LinkedHashMap<>();
        weights.tensors().forEach((n, a) -> out.put(n, transposed.contains(n) && a.rank() == 2 ? a.transpose().dup('c') : a));
        return out;
    }

    @Override
    public int contextLength() {
        return config().maxPositions();
    }

    @Override
    public int slidingWindow() {
        return config().slidingWindow();
    }

    @Override
    public boolean tiedHead() {
        return config().tieWordEmbeddings();
    }

    @Override
    public int numLayers() {
        return config().numLayers();
    }

    @Override
    public int hiddenSize() {
        return config().hiddenSize();
    }

    /** Next-token logits from the LM head. */
    @Override
    public Readout readout() {
        return Readout.NEXT_TOKEN;
    }

    @Override
    public DecoderModel withPrecision(Precision p) {
        return new DecoderModel(id, family, weights.in(p), tokenizer, sha256, loadSeconds);
    }

    @Override
    public DecoderModel plainModel(LayerPlan plan) {
        DecoderConfig c = config().withLayers(plan.flattened().steps().size());
        DecoderWeights w = DecoderWeights.of(c, weights.source(), BlockOrder.of(weights, DecoderTensors.layout(c), plan));
        return new DecoderModel(id + " + as plan " + plan.print(), family, w, tokenizer, sha256, loadSeconds);
    }

    @Override
    public DecoderModel withTensors(Map<String, INDArray> replaced, String what) {
        return new DecoderModel(id + " + " + what, family, weights.with(replaced), tokenizer, sha256, loadSeconds);
    }

    /** Pre-norm blocks add the MLP output to the stream, unless the family normalises it first (Gemma-2, OLMo-2). */
    @Override
    public boolean mlpOutputAddsToStream() {
        return !config().spec().names().has(TensorRole.MLP_POST_NORM);
    }

    @Override
    public List<String> describe() {
        DecoderConfig c = config();
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "%s decoder, %d layers, hidden %d, %d heads x %d (%d key/value heads), MLP %d, "
                + "vocab %d, max length %d", c.modelType(), c.numLayers(), c.hiddenSize(), c.numHeads(), c.headDim(),
                c.numKvHeads(), c.intermediateSize(), c.vocabSize(), c.maxPositions()));
        l.add(String.format(Locale.ROOT, "rope theta %s, scaling %s; norm eps %s; %s embeddings%s", c.rope().theta(),
                c.rope().scaling(), c.normEps(), c.tieWordEmbeddings() ? "tied" : "separate input/output",
                c.slidingWindow() > 0 ? "; sliding window " + c.slidingWindow() : ""));
        l.add(String.format(Locale.ROOT, "%,d parameters (%.1f MB as %s)", weights.parameterCount(),
                weights.parameterCount() * weights.precision().bytes() / 1e6, weights.precision().label()));
        l.addAll(HfDecoderFamily.surgeryNotes(c));
        l.add(String.format(Locale.ROOT, "tokenizer %s (%d pieces, BOS %d, EOS %d)", tokenizer.source(),
                tokenizer.vocabSize(), tokenizer.bos(), tokenizer.eos()));
        return l;
    }

    /** States of the decoder under {@code plan}; each text is BOS, then at most {@code maxLength - 1} tokens. */
    @Override
    public HiddenStates hiddenStates(LayerPlan plan) {
        DecoderGraph decoder = DecoderGraph.of(weights, plan);
        return new HiddenStates() {
            @Override
            public List<PlanGraph.ExecutedStep> steps() {
                return decoder.executedSteps();
            }

            @Override
            public List<TokenBatch> batches(List<String> texts, int batchSize, int maxLength) {
                return bosBatches(tokenizer, texts, batchSize, maxLength);
            }

            @Override
            public List<INDArray> states(TokenBatch b) {
                return decoder.hiddenStates(decoderBatch(b));
            }

            @Override
            public INDArray forward(TokenBatch b) {
                return decoder.logits(decoderBatch(b));
            }
        };
    }

    /** A right-padded token batch as the decoder's batch (each row its real tokens). */
    private DecoderBatch decoderBatch(TokenBatch b) {
        List<int[]> seqs = new ArrayList<>();
        for (int r = 0; r < b.batchSize(); r++) {
            int[] s = new int[b.length(r)];
            for (int i = 0; i < s.length; i++) {
                s[i] = (int) b.ids()[r][i];
            }
            seqs.add(s);
        }
        return DecoderBatch.rightPadded(seqs, config());
    }

    /** Texts as right-padded token batches: BOS, then at most {@code maxLength - 1} tokens; the mask marks real ones. */
    static List<TokenBatch> bosBatches(TextTokenizer tok, List<String> texts, int batchSize, int maxLength) {
        List<TokenBatch> out = new ArrayList<>();
        for (int s = 0; s < texts.size(); s += batchSize) {
            List<String> part = texts.subList(s, Math.min(texts.size(), s + batchSize));
            long[][] ids = new long[part.size()][];
            int len = 0;
            for (int i = 0; i < part.size(); i++) {
                int[] t = tok.encode(part.get(i));
                t = Arrays.copyOf(t, Math.min(t.length, maxLength - 1));
                ids[i] = new long[t.length + 1];
                ids[i][0] = tok.bos();
                for (int k = 0; k < t.length; k++) {
                    ids[i][k + 1] = t[k];
                }
                len = Math.max(len, ids[i].length);
            }
            long[][] padded = new long[part.size()][len];
            long[][] mask = new long[part.size()][len];
            for (int i = 0; i < part.size(); i++) {
                System.arraycopy(ids[i], 0, padded[i], 0, ids[i].length);
                Arrays.fill(mask[i], 0, ids[i].length, 1);
            }
            out.add(new TokenBatch(padded, new long[part.size()][len], mask));
        }
        return out;
    }
}
