package painters.model.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.EncoderTrainingGraph;
import painters.model.family.HiddenStates;
import painters.model.family.Pooling;
import painters.model.family.Readout;
import painters.model.family.SentenceEncoder;
import painters.model.family.TaskHead;
import painters.model.family.Unfreezing;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.HfTokenizer;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.BlockOrder;
import painters.model.weights.Part;
import painters.model.weights.Precision;
import painters.model.weights.TensorSpec;

/**
 * A loaded BERT-family checkpoint: everything an experiment needs to run it.
 *
 * @param id          a short name for results ("BAAI/bge-small-en-v1.5", or the path it came from)
 * @param weights     the pretrained tensors, validated against the config
 * @param tokenizer   its tokenizer
 * @param pooling     how sentence embeddings are read off the last hidden state
 * @param normalize   whether sentence embeddings are L2-normalised (the model card says so)
 * @param conventions its sentence-transformers conventions (pooling, Normalize, named prompts)
 * @param sha256      checksum of the weight file(s), for provenance
 * @param loadSeconds wall time of loading, for the log
 */
public record BertModel(String id, BertWeights weights, HfTokenizer tokenizer, Pooling pooling, boolean normalize,
                        SentenceTransformers conventions, String sha256, double loadSeconds) implements SentenceEncoder {

    /**
     * This model with another prompt before every text: one of its named prompts (e.g. "query"), "none", or
     * the prompt text itself.
     */
    @Override
    public boolean biEncoder() {
        return conventions.biEncoder();
    }

    @Override
    public BertModel withPrecision(Precision p) {
        return new BertModel(id, weights.in(p), tokenizer, pooling, normalize, conventions, sha256, loadSeconds);
    }

    @Override
    public BertModel withPrompt(String nameOrText) {
        String p = conventions.resolvePrompt(nameOrText);
        return new BertModel(id, weights, tokenizer.withPrompt(p), pooling, normalize, conventions, sha256, loadSeconds);
    }

    /** The BERT config of these weights (canonical names are BertModel's HF names). */
    @Override
    public String hfConfigJson() {
        return BertHfConfig.toJson(config());
    }

    public BertConfig config() {
        return weights.config();
    }

    @Override
    public BertModel withTensors(Map<String, INDArray> replaced, String what) {
        return new BertModel(id + " + " + what, weights.with(replaced), tokenizer, pooling, normalize, conventions, sha256,
                loadSeconds);
    }

    /** A BERT block ends with its output LayerNorm (post-norm). */
    @Override
    public List<String> outputNorm(int block) {
        return List.of(BertTensors.layer(block, BertTensors.MLP_LN_W), BertTensors.layer(block, BertTensors.MLP_LN_B));
    }

    @Override
    public BertModel plainModel(LayerPlan plan) {
        BertConfig c = config().withLayers(plan.flattened().steps().size());
        BertWeights w = BertWeights.of(c, weights.source(), BlockOrder.of(weights, BertTensors.layout(c), plan));
        return new BertModel(id + " + as plan " + plan.print(), w, tokenizer, pooling, normalize, conventions, sha256,
                loadSeconds);
    }

    /** The pretrained encoder graph (blocks 0..T-1). */
    public BertEncoder encoder() {
        return BertEncoder.of(weights);
    }

    @Override
    public BertEncoder graph(LayerPlan plan) {
        return BertEncoder.of(weights, plan);
    }

    @Override
    public BertEncoder pooledGraph(LayerPlan plan, int skip) {
        return BertEncoder.forPooling(weights, plan, skip, pooling);
    }

    @Override
    public BertEncoder segment(LayerPlan plan, int skip) {
        return BertEncoder.from(weights, plan, skip);
    }

    @Override
    public EncoderTrainingGraph trainingGraph(LayerPlan plan, Unfreezing how, TaskHead head) {
        for (TensorSpec t : weights.layout().all()) {
            if (t.part() == Part.EMBEDDING && how.unfrozen().contains(t.name())) {
                throw new UserInputException(id + ": BERT's embedding tables cannot train here (" + t.name() + "; SameDiff "
                        + "M2.1's gather gradient is wrong, STACK.md); policy every is for decoders");
            }
        }
        return BertTrainingGraph.build(weights, plan, pooling, how.unfrozen(), how.untie(), head.classification(),
                head.mean(), head.std(), head.weights(), head.bias(), how.loraTargets(), how.loraRank(), how.loraScale());
    }

    @Override
    public String family() {
        return "bert";
    }

    @Override
    public int numLayers() {
        return config().numLayers();
    }

    @Override
    public int hiddenSize() {
        return config().hiddenSize();
    }

    /** Sentence features, pooled as the checkpoint says. */
    @Override
    public Readout readout() {
        return Readout.SENTENCE_FEATURES;
    }

    @Override
    public List<String> describe() {
        BertConfig c = config();
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "%s encoder, %d layers, hidden %d, %d heads x %d, MLP %d, vocab %d, max length %d",
                c.modelType(), c.numLayers(), c.hiddenSize(), c.numHeads(), c.headSize(), c.intermediateSize(),
                c.vocabSize(), c.maxPositions()));
        l.add(String.format(Locale.ROOT, "%,d parameters (%.1f MB as %s)", weights.parameterCount(),
                weights.parameterCount() * weights.precision().bytes() / 1e6, weights.precision().label()));
        l.add(pooling + " pooling" + (normalize ? ", L2-normalised" : "")
                + (tokenizer.prompt().isEmpty() ? "" : ", prompt \"" + tokenizer.prompt() + "\"")
                + (conventions.prompts().isEmpty() ? "" : ", named prompts " + conventions.prompts().keySet()));
        l.add("tokenizer " + tokenizer.source());
        return l;
    }

    /** States of the encoder under {@code plan}; texts are tokenized as the tokenizer does (CLS ... SEP). */
    @Override
    public HiddenStates hiddenStates(LayerPlan plan) {
        BertEncoder encoder = BertEncoder.of(weights, plan);
        return new HiddenStates() {
            @Override
            public List<PlanGraph.ExecutedStep> steps() {
                return encoder.executedSteps();
            }

            @Override
            public List<TokenBatch> batches(List<String> texts, int batchSize, int maxLength) {
                try (HfTokenizer tok = tokenizer.withMaxLength(maxLength)) {
                    return tok.encodeInBatches(texts, batchSize);
                }
            }

            @Override
            public List<INDArray> states(TokenBatch batch) {
                return encoder.hiddenStates(batch);
            }

            @Override
            public INDArray forward(TokenBatch batch) {
                return encoder.forward(batch);
            }
        };
    }
}
