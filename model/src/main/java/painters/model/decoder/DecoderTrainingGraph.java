package painters.model.decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;
import painters.model.family.LmTrainingGraph;
import painters.model.graph.GraphWeights;
import painters.model.graph.LoraAdapters;
import painters.model.graph.PlanGraph;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;

/**
 * A trainable Llama-family decoder run as a layer plan (over its own copy of the weights) with the
 * causal language-modelling loss: mean cross-entropy of every next token over the real positions.
 * Only the weights named trainable (and LoRA adapters, untied copies of trainable blocks) are
 * variables; everything else is a constant.
 *
 * <p>Targets are fed one-hot ({@code [B*S, vocab]}) with a per-position weight (0 at padding and at
 * the last position), which costs {@code B*S*vocab} floats: fine for small vocabularies and batches,
 * not for a 32k-vocabulary 7B model at long contexts.
 */
public final class DecoderTrainingGraph extends LmTrainingGraph {

    private final DecoderConfig config;
    private final int vocab;

    private DecoderTrainingGraph(SameDiff sd, Predicate<String> trains, int steps, Segments segments,
                               DecoderConfig c) {
        super(sd, trains, steps, segments);
        this.config = c;
        this.vocab = c.vocabSize();
    }

    public DecoderConfig config() {
        return config;
    }

    /**
     * @param pretrained  the model's weights (copied, never changed)
     * @param unfrozen    canonical names of the pretrained weights to train (untied copies of their blocks train too;
     *                    the embedding tables too, looked up by a one-hot product then)
     * @param untie       give each further use of a repeated block its own copy
     * @param loraTargets canonical names of the weights LoRA adapters wrap (empty: none); their base weights stay frozen
     * @param loraRank    r of the adapters
     * @param loraScale   alpha / r
     */
    public static DecoderTrainingGraph build(DecoderWeights pretrained, LayerPlan plan, Set<String> unfrozen, boolean untie,
                                           Set<String> loraTargets, int loraRank, double loraScale) {
        if (!loraTargets.isEmpty() && untie) {
            throw new UserInputException("LoRA adapters and untied repeats together are not supported");
        }
        LayerPlan flat = plan.flattened();
        int n = flat.steps().size();
        int v = pretrained.config().vocabSize();
        TensorNames names = pretrained.config().spec().names();
        boolean tables = unfrozen.contains(names.name(TensorRole.EMBED))
                || names.has(TensorRole.POS_EMBED) && unfrozen.contains(names.name(TensorRole.POS_EMBED));
        Piece piece = (sd, weights, from, to) -> {
            DecoderBlocks blocks = new DecoderBlocks(sd, weights);
            if (tables) {
                blocks.trainableTables();
            }
            LoraAdapters.install(blocks.weights(), loraTargets, loraRank, loraScale);
            DecoderBlocks.Inputs in = blocks.placeholders(false);
            SDVariable x = from == 0 ? blocks.embeddings(in)
                    : TrainingGraph.segmentInput(sd, weights.config().hiddenSize());
            SDVariable out = PlanGraph.segment(sd, flat, blocks.stack(in, untie, flat.steps().subList(0, from)), x,
                    from, to);
            if (to < n) {
                TrainingGraph.segmentOutput(sd, out);
                return;
            }
            SDVariable logits = sd.identity(DecoderGraph.LOGITS, blocks.logits(out, in));
            SDVariable flatLogits = sd.reshape(logits, -1, v);
            SDVariable targets = sd.placeHolder("targets", DataType.FLOAT, -1, v);
            SDVariable weights2 = sd.placeHolder("target_weights", DataType.FLOAT, -1);
            // mean over weighted positions of -log softmax(logits)[target], written out: in M2.1 the weighted
            // softmax cross-entropy gradient fails validation and logSoftmax(x, dim) cannot be differentiated
            SDVariable max = flatLogits.max(true, 1);
            SDVariable shifted = flatLogits.sub(max);
            SDVariable logp = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));     // [B*S, V]
            SDVariable nll = logp.mul(targets).sum(1).neg();                                      // [B*S]
            sd.identity(LOSS, nll.mul(weights2).sum().div(weights2.sum()));
            sd.setLossVariables(LOSS);
        };
        SameDiff sd = SameDiff.create();
        piece.build(sd, pretrained.copy(unfrozen), 0, n);
        return new DecoderTrainingGraph(sd, n2 -> LoraAdapters.isAdapter(n2) || unfrozen.contains(GraphWeights.baseName(n2)),
                n, (g, from, to, live) -> piece.build(g, pretrained.with(TrainingGraph.pretrainedOnly(live, pretrained.tensors())), from, to), pretrained.config());
    }

    /** Steps {@code from .. to-1} of the flattened plan over {@code weights} ({@link TrainingGraph.Segments}). */
    private interface Piece {
        void build(SameDiff sd, DecoderWeights weights, int from, int to);
    }

    /**
     * Placeholders for sequences trained to predict each next token: position i's target is token
     * i+1 of its row; the last position and padding carry weight 0.
     */
    @Override
    public Map<String, INDArray> feed(List<int[]> seqs) {
        DecoderBatch b = DecoderBatch.rightPadded(seqs, config);
        int rows = seqs.size();
        int s = b.length();
        float[] onehot = new float[rows * s * vocab];
        float[] w = new float[rows * s];
        for (int r = 0; r < rows; r++) {
            int[] q = seqs.get(r);
            for (int i = 0; i + 1 < q.length; i++) {
                onehot[(r * s + i) * vocab + q[i + 1]] = 1f;
                w[r * s + i] = 1f;
            }
        }
        Map<String, INDArray> f = new LinkedHashMap<>(b.feed());
        f.put("targets", Nd4j.create(onehot, new long[] {(long) rows * s, vocab}, 'c'));
        f.put("target_weights", Nd4j.create(w, new long[] {(long) rows * s}, 'c'));
        return f;
    }

    @Override
    public int contextLength() {
        return config.maxPositions();
    }

    /** Logits {@code [B, S, vocab]} of a right-padded batch of sequences, with the current weights. */
    @Override
    public INDArray logits(List<int[]> seqs) {
        return output(DecoderBatch.rightPadded(seqs, config).feed(), DecoderGraph.LOGITS);
    }

    /** Logits {@code [B, S, vocab]} of a batch, with the current weights. */
    public INDArray logits(DecoderBatch batch) {
        return output(batch.feed(), DecoderGraph.LOGITS);
    }

    /**
     * Greedy generation with the current weights, recomputing the whole prefix for every new token
     * (the training graph keeps no KV cache): slower than the frozen decoder's, the same tokens.
     */
    @Override
    public List<int[]> generate(List<int[]> prompts, int maxNewTokens, int eos,
                                BiPredicate<Integer, int[]> stop) {
        int b = prompts.size();
        int limit = config.maxPositions();
        List<int[]> cur = new ArrayList<>(prompts);
        // no row outlives the model's positions, however many tokens are asked for
        int room = limit - prompts.stream().mapToInt(p -> p.length).min().orElse(0);
        maxNewTokens = Math.max(0, Math.min(maxNewTokens, room));
        int[][] out = new int[b][maxNewTokens];
        int[] len = new int[b];
        boolean[] done = new boolean[b];
        for (int t = 0; t < maxNewTokens; t++) {
            List<Integer> live = new ArrayList<>();
            for (int r = 0; r < b; r++) {
                if (!done[r] && cur.get(r).length < limit) {
                    live.add(r);
                }
            }
            if (live.isEmpty()) {
                break;
            }
            INDArray l = logits(live.stream().map(cur::get).toList());
            for (int i = 0; i < live.size(); i++) {
                int r = live.get(i);
                int[] c = cur.get(r);
                float[] row = l.get(NDArrayIndex.point(i),
                        NDArrayIndex.point(c.length - 1),
                        NDArrayIndex.all()).toFloatVector();
                int next = 0;
                for (int j = 1; j < row.length; j++) {
                    if (row[j] > row[next]) {
                        next = j;
                    }
                }
                if (next == eos) {
                    done[r] = true;
                    continue;
                }
                out[r][len[r]++] = next;
                int[] n = Arrays.copyOf(c, c.length + 1);
                n[c.length] = next;
                cur.set(r, n);
                if (len[r] == maxNewTokens || stop.test(r, Arrays.copyOf(out[r], len[r]))) {
                    done[r] = true;
                }
            }
        }
        List<int[]> res = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            res.add(Arrays.copyOf(out[r], len[r]));
        }
        return res;
    }
}
