package painters.model.decoder;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.plan.Step;
import painters.model.weights.Safetensors;
import painters.model.weights.TensorMap;

/**
 * Every decoder family against an independent reference: a tiny random-weight checkpoint per family variant in
 * the family's exact HF format, with golden outputs from a float64 numpy implementation written from the
 * transformers modeling code, not from this code ({@code src/test/resources/families/<variant>/README.md} says
 * which file and commit; the scripts are in {@code src/test/python/families}). Per variant and per plan (the
 * identity, a skipped block, a repeated block, the middle reversed, a parallel step) and sequence: the residual
 * stream entering the first block and after every executed step, and the last position's logits, within
 * {@link #TOL}; the greedy continuation with the KV cache, exact ids. A negative control per variant (the
 * family's distinguishing switch set wrongly) must move the logits by more than {@code 10 x TOL}.
 */
class FamilyGoldenTest {

    /** Absolute tolerance on residuals and logits (the references are float64, the graph float32). */
    static final double TOL = 1e-4;

    static final Path ROOT = Path.of("src/test/resources/families");

    static List<String> variants() {
        return List.of("qwen2", "qwen2_window", "qwen3", "phi3", "phi3_longrope", "gemma", "gemma2", "olmo2", "gpt_neox",
                "gpt_neox_sequential", "gpt2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matchesTheIndependentReference(String variant) throws Exception {
        Path dir = ROOT.resolve(variant);
        JsonObject golden = JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
        LoadedModel loaded = ModelFamilies.load(dir.toString());
        DecoderModel m = assertInstanceOf(DecoderModel.class, loaded);
        assertEquals(golden.get("model_type").getAsString(), m.config().modelType());
        List<int[]> seqs = new ArrayList<>();
        for (JsonElement s : golden.getAsJsonArray("sequences")) {
            seqs.add(ints(s.getAsJsonArray()));
        }
        Map<String, LayerPlan> plans = new LinkedHashMap<>();
        for (JsonElement p : golden.getAsJsonArray("plans")) {
            plans.put(p.getAsJsonObject().get("name").getAsString(),
                    plan(p.getAsJsonObject().getAsJsonArray("steps"), m.numLayers()));
        }
        double worstState = 0;
        double worstLogit = 0;
        int greedy = 0;
        Map<String, DecoderGraph> graphs = new LinkedHashMap<>();
        for (JsonElement e : golden.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            String name = r.get("plan").getAsString();
            DecoderGraph g = graphs.computeIfAbsent(name, n -> DecoderGraph.of(m.weights(), plans.get(n)));
            int[] ids = seqs.get(r.get("sequence").getAsInt());
            DecoderBatch b = DecoderBatch.rightPadded(List.of(ids), m.config());
            List<INDArray> states = g.hiddenStates(b);
            JsonArray residuals = r.getAsJsonArray("residuals");
            assertEquals(residuals.size() + 1, states.size(), variant + " " + name + ": executed steps");
            String where = variant + " plan " + name + " sequence " + r.get("sequence");
            worstState = Math.max(worstState, maxDiff(doubles(r.getAsJsonArray("embedding")), states.get(0), where + " embedding"));
            for (int k = 0; k < residuals.size(); k++) {
                worstState = Math.max(worstState, maxDiff(doubles(residuals.get(k).getAsJsonArray()), states.get(k + 1),
                        where + " after step " + k));
            }
            worstLogit = Math.max(worstLogit, maxDiff(doubles(r.getAsJsonArray("last_logits")),
                    lastLogits(g, ids, m.config()), where + " last logits"));
            if (r.has("greedy_cached")) {
                // LongRoPE: each call's factors follow its positions and cached keys keep their rotation, so plain
                // cached decoding (greedy_cached) differs from full recomputation (greedy) once the sequence passes
                // the original context; transformers' generate() drops the cache there (greedy_generate == greedy)
                int[] want = ints(r.getAsJsonArray("greedy_generate"));
                int[] got = GreedyGenerator.generate(g, List.of(ids), want.length, -1, (row, x) -> false).get(0);
                assertArrayEquals(want, got, where + ": greedy continuation with the KV cache, as generate() does");
                assertArrayEquals(ints(r.getAsJsonArray("greedy")), recomputedGreedy(g, ids, want.length, m.config()),
                        where + ": greedy continuation recomputing the whole sequence");
                assertArrayEquals(ints(r.getAsJsonArray("greedy_cached")), plainCachedGreedy(g, ids, want.length,
                        m.config()), where + ": cached decoding that never drops the cache");
                greedy++;
            } else if (r.has("greedy")) {
                int[] want = ints(r.getAsJsonArray("greedy"));
                int[] got = GreedyGenerator.generate(g, List.of(ids), want.length, -1, (row, x) -> false).get(0);
                assertArrayEquals(want, got, where + ": greedy continuation with the KV cache");
                greedy++;
            }
        }
        assertTrue(greedy >= 4, variant + ": greedy runs checked " + greedy);
        System.out.printf("[parity] %s: max |diff| residual stream %.2e, last logits %.2e (tol %.0e); %d greedy runs "
                + "exact%n", variant, worstState, worstLogit, TOL, greedy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aWrongSwitchIsDetected(String variant) throws Exception {
        Path dir = ROOT.resolve(variant);
        JsonObject golden = JsonParser.parseString(Files.readString(dir.resolve("golden.json"))).getAsJsonObject();
        DecoderModel m = (DecoderModel) ModelFamilies.load(dir.toString());
        DecoderConfig c = m.config();
        DecoderSpec s = c.spec();
        TensorNames n = s.names();
        String what;
        DecoderConfig wrong;
        UnaryOperator<Map<String, INDArray>> tensors = t -> t;
        switch (variant) {
            case "qwen2" -> {
                what = "q/k/v biases left out";
                wrong = c.withSpec(spec(s, without(n, TensorRole.Q_BIAS, TensorRole.K_BIAS, TensorRole.V_BIAS)), c.hiddenAct());
            }
            case "qwen3" -> {
                what = "q/k norms left out";
                wrong = c.withSpec(spec(s, without(n, TensorRole.Q_NORM, TensorRole.K_NORM)), c.hiddenAct());
            }
            case "phi3" -> {
                what = "fused qkv split as q|v|k instead of q|k|v";
                wrong = c;
                int q = c.qDim();
                int kv = c.kvDim();
                tensors = t -> {
                    Map<String, INDArray> out = new LinkedHashMap<>(t);
                    for (int l = 0; l < c.numLayers(); l++) {
                        INDArray a = out.get(n.name(TensorRole.QKV, l));
                        out.put(n.name(TensorRole.QKV, l), Nd4j.concat(0,
                                a.get(NDArrayIndex.interval(0, q), NDArrayIndex.all()),
                                a.get(NDArrayIndex.interval(q + kv, q + 2 * kv), NDArrayIndex.all()),
                                a.get(NDArrayIndex.interval(q, q + kv), NDArrayIndex.all())));
                    }
                    return out;
                };
            }
            case "phi3_longrope" -> {
                what = "LongRoPE's short factors past the original context instead of the long ones";
                Rope r = c.rope();
                Rope.LongRope lr = r.longRope();
                Rope shortOnly = new Rope(r.theta(), r.scaling(), r.factor(), r.lowFreqFactor(), r.highFreqFactor(),
                        r.originalMaxPositions(), new Rope.LongRope(lr.shortFactor(), lr.shortFactor(),
                        lr.attentionFactor(), lr.originalMaxPositions()));
                wrong = new DecoderConfig(c.modelType(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numLayers(),
                        c.numHeads(), c.numKvHeads(), c.headDim(), c.maxPositions(), c.normEps(), shortOnly,
                        c.tieWordEmbeddings(), c.hiddenAct(), c.slidingWindow(), c.bosTokenId(), c.eosTokenId(), s,
                        c.localLayers());
            }
            case "gemma" -> {
                what = "RMSNorm scale w instead of 1 + w";
                wrong = c.withSpec(new DecoderSpec(n, s.norm(), 0, s.parallelResidual(), s.qkNormPerHead(),
                        s.qkvPerHead(), s.rotaryFraction(), s.attnSoftcap(), s.finalSoftcap(), s.attnScale(), s.embedScale()), c.hiddenAct());
            }
            case "gemma2", "qwen2_window" -> {
                boolean gemma = variant.equals("gemma2");
                what = gemma ? "sliding window on the odd layers instead of the even"
                        : "sliding window on layers 0-1 instead of from max_window_layers (2) on";
                List<Boolean> odd = new ArrayList<>();
                for (int i = 0; i < c.numLayers(); i++) {
                    odd.add(gemma ? i % 2 == 1 : i < 2);
                }
                wrong = new DecoderConfig(c.modelType(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numLayers(),
                        c.numHeads(), c.numKvHeads(), c.headDim(), c.maxPositions(), c.normEps(), c.rope(),
                        c.tieWordEmbeddings(), c.hiddenAct(), c.slidingWindow(), c.bosTokenId(), c.eosTokenId(), s, odd);
            }
            case "olmo2" -> {
                what = "norms before attention and the MLP instead of after";
                wrong = c.withSpec(spec(s, renamed(n, Map.of(TensorRole.ATTN_POST_NORM, TensorRole.ATTN_NORM,
                        TensorRole.MLP_POST_NORM, TensorRole.MLP_NORM))), c.hiddenAct());
            }
            case "gpt_neox" , "gpt_neox_sequential" -> {
                what = "fused qkv split as q|k|v instead of per head";
                wrong = c.withSpec(new DecoderSpec(n, s.norm(), s.normOffset(), s.parallelResidual(), s.qkNormPerHead(),
                        false, s.rotaryFraction(), s.attnSoftcap(), s.finalSoftcap(), s.attnScale(), s.embedScale()), c.hiddenAct());
            }
            case "gpt2" -> {
                what = "exact (erf) GELU instead of gelu_new";
                wrong = c.withSpec(s, "gelu");
            }
            default -> throw new IllegalArgumentException(variant);
        }
        TensorMap read = Safetensors.read(dir);
        DecoderWeights w = DecoderWeights.from(wrong, new TensorMap(read.source(),
                tensors.apply(read.tensors())));
        JsonObject first = golden.getAsJsonArray("results").get(2).getAsJsonObject();      // identity, longest sequence
        assertEquals("identity", first.get("plan").getAsString());
        int[] ids = ints(golden.getAsJsonArray("sequences").get(first.get("sequence").getAsInt()).getAsJsonArray());
        DecoderGraph g = DecoderGraph.of(w, LayerPlan.identity(wrong.numLayers()));
        double[] want = doubles(first.getAsJsonArray("last_logits"));
        INDArray got = lastLogits(g, ids, wrong);
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - got.getDouble(i)));
        }
        System.out.printf("[control] %s, %s: max |logit diff| %.3e (must exceed %.0e)%n", variant, what, max, 10 * TOL);
        assertTrue(max > 10 * TOL, variant + ": " + what + " must be detected, max |diff| " + max);
    }

    @Test
    void reportsStateTheWindowRuleWhereBlocksDifferInWindow() {
        List<String> notes = ModelFamilies.surgeryNotes(ROOT.resolve("gemma2").toString());
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("blocks [0, 2]") && notes.get(0).contains("window of 4")
                && notes.get(0).contains("keeps its own window"), notes.get(0));
        assertTrue(((DecoderModel) ModelFamilies.load(ROOT.resolve("gemma2").toString())).describe().contains(notes.get(0)));
        assertEquals(List.of(), ModelFamilies.surgeryNotes(ROOT.resolve("qwen2").toString()));
        assertEquals(List.of(), ModelFamilies.surgeryNotes("default"));
    }

    private static DecoderSpec spec(DecoderSpec s, TensorNames n) {
        return new DecoderSpec(n, s.norm(), s.normOffset(), s.parallelResidual(), s.qkNormPerHead(), s.qkvPerHead(),
                s.rotaryFraction(), s.attnSoftcap(), s.finalSoftcap(), s.attnScale(), s.embedScale());
    }

    private static TensorNames without(TensorNames n, TensorRole... roles) {
        Map<TensorRole, String> t = new LinkedHashMap<>(n.templates());
        for (TensorRole r : roles) {
            t.remove(r);
        }
        return new TensorNames(t, n.prefix(), n.ignored(), n.transposed());
    }

    private static TensorNames renamed(TensorNames n, Map<TensorRole, TensorRole> moves) {
        Map<TensorRole, String> t = new LinkedHashMap<>(n.templates());
        moves.forEach((from, to) -> t.put(to, t.remove(from)));
        return new TensorNames(t, n.prefix(), n.ignored(), n.transposed());
    }

    /** Greedy ids by prefill and one cached call per token, never dropping the cache. */
    static int[] plainCachedGreedy(DecoderGraph g, int[] prompt, int n, DecoderConfig c) {
        DecoderGraph.Step step = g.prefill(DecoderBatch.leftPadded(List.of(prompt), c));
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = step.lastLogits().getRow(0).argMax().getInt(0);
            if (k + 1 < n) {
                step = g.next(step, new int[] {out[k]});
            }
        }
        return out;
    }

    /** Greedy ids recomputing the whole sequence at every step (no cache). */
    static int[] recomputedGreedy(DecoderGraph g, int[] prompt, int n, DecoderConfig c) {
        int[] seq = prompt.clone();
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = lastLogits(g, seq, c).argMax().getInt(0);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = out[k];
        }
        return out;
    }

    static INDArray lastLogits(DecoderGraph g, int[] ids, DecoderConfig c) {
        INDArray l = g.logits(DecoderBatch.rightPadded(List.of(ids), c));
        return l.get(NDArrayIndex.point(0), NDArrayIndex.point(ids.length - 1), NDArrayIndex.all());
    }

    static LayerPlan plan(JsonArray steps, int numLayers) {
        List<Step> out = new ArrayList<>();
        for (JsonElement s : steps) {
            int[] layers = ints(s.getAsJsonArray());
            if (layers.length == 1) {
                out.add(new Step.Run(layers[0]));
            } else {
                List<Integer> l = new ArrayList<>();
                for (int x : layers) {
                    l.add(x);
                }
                out.add(new Step.Parallel(l));
            }
        }
        return new LayerPlan(numLayers, out);
    }

    private static double maxDiff(double[] want, INDArray got, String where) {
        double[] g = got.dup().data().asDouble();
        assertEquals(want.length, g.length, where + ": size");
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - g[i]));
        }
        assertTrue(max <= TOL, where + ": max |diff| " + max + " > " + TOL);
        return max;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }
}
