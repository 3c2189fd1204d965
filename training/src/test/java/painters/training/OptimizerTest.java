package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;
import painters.model.decoder.DecoderConfig;
import painters.model.decoder.DecoderTensors;
import painters.model.llama.LlamaHfConfig;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.weights.Part;
import painters.model.weights.TensorLayout;
import painters.model.weights.TensorSpec;

/** AdamW, the schedule, clipping and unfreeze policies on hand-computed cases. */
class OptimizerTest {

    /**
     * The in-place update (one scratch buffer for all parameters) gives bit for bit what the textbook form
     * with fresh temporaries gives, over parameters of several shapes, decayed and not, for 4 steps.
     */
    @Test
    void inPlaceAdamWEqualsTheTextbookFormBitForBit() {
        Nd4j.getRandom().setSeed(7);
        Map<String, INDArray> p = new LinkedHashMap<>();
        Nd4j.getRandom().setSeed(12345);                     // the draws below are the same every run
        p.put("w", Nd4j.randn(DataType.FLOAT, 6, 5));
        p.put("b", Nd4j.randn(DataType.FLOAT, 5));
        p.put("big", Nd4j.randn(DataType.FLOAT, 40, 3));
        Map<String, INDArray> ref = new LinkedHashMap<>();
        p.forEach((k, a) -> ref.put(k, a.dup()));
        Map<String, INDArray> m = new HashMap<>();
        Map<String, INDArray> v = new HashMap<>();
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.01, Set.of("w", "big"));
        double lr = 3e-3;
        for (int t = 1; t <= 4; t++) {
            Map<String, INDArray> g = new HashMap<>();
            p.forEach((k, a) -> g.put(k, Nd4j.randn(DataType.FLOAT, a.shape())));
            opt.step(p, g, lr);
            double bc1 = 1 - Math.pow(0.9, t);
            double bc2 = Math.sqrt(1 - Math.pow(0.999, t));
            for (String k : ref.keySet()) {
                INDArray r = ref.get(k);
                INDArray gi = g.get(k);
                INDArray mi = m.computeIfAbsent(k, x -> r.like());
                INDArray vi = v.computeIfAbsent(k, x -> r.like());
                if (!k.equals("b")) {
                    r.muli(1 - lr * 0.01);
                }
                mi.muli(0.9).addi(gi.mul(1 - 0.9));
                vi.muli(0.999).addi(gi.mul(gi).muli(1 - 0.999));
                INDArray denom = Transforms.sqrt(vi, true).divi(bc2).addi(1e-8);
                r.subi(mi.div(denom).muli(lr / bc1));
            }
        }
        for (String k : ref.keySet()) {
            assertArrayEquals(ref.get(k).data().asFloat(), p.get(k).data().asFloat(), 0f, k);
        }
    }

    @Test
    void adamWMatchesHandComputedSteps() {
        // p = 1, g = 0.5 then -0.25, lr 0.1, wd 0.01 (decayed), betas 0.9/0.999, eps 1e-8
        INDArray p = Nd4j.createFromArray(new float[] {1f});
        INDArray q = Nd4j.createFromArray(new float[] {1f});
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.01, Set.of("p"));
        opt.step(Map.of("p", p, "q", q), Map.of("p", Nd4j.createFromArray(new float[] {0.5f}),
                "q", Nd4j.createFromArray(new float[] {0.5f})), 0.1);
        // step 1: p = 1*(1-0.001) = 0.999; m = 0.05, v = 0.00025; mhat = 0.5, sqrt(vhat) = 0.5 -> update 0.1*1
        assertEquals(0.899, p.getDouble(0), 1e-6);
        assertEquals(0.9, q.getDouble(0), 1e-6, "no decay on q");
        opt.step(Map.of("p", p, "q", q), Map.of("p", Nd4j.createFromArray(new float[] {-0.25f}),
                "q", Nd4j.createFromArray(new float[] {-0.25f})), 0.1);
        // step 2: m = 0.9*0.05 - 0.025 = 0.02; v = 0.999*0.00025 + 0.001*0.0625 = 0.00031225
        // mhat = 0.02/0.19 = 0.105263; vhat = 0.00031225/0.001999 = 0.156203; sqrt = 0.395225
        double update = 0.1 * 0.105263157 / (0.395225 + 1e-8);
        assertEquals(0.899 * (1 - 0.001) - update, p.getDouble(0), 1e-5);
        assertEquals(0.9 - update, q.getDouble(0), 1e-5);
        assertEquals(2, opt.steps());
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        LrSchedule s = new LrSchedule(1.0, 10, 110, "linear");
        assertEquals(0.0, s.at(0));
        assertEquals(0.5, s.at(5), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.5, s.at(60), 1e-12);
        assertEquals(0.0, s.at(110), 1e-12);
        assertEquals(0.5, new LrSchedule(1.0, 0, 100, "cosine").at(50), 1e-12);
        assertEquals(1.0, new LrSchedule(1.0, 0, 100, "constant").at(99));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1.0, 0, 10, "step"));
    }

    @Test
    void clippingScalesToTheMaximumGlobalNorm() {
        Map<String, INDArray> g = new HashMap<>();
        g.put("a", Nd4j.createFromArray(new float[] {3f}));
        g.put("b", Nd4j.createFromArray(new float[] {4f}));
        assertEquals(5.0, Gradients.clip(g, 1.0), 1e-6);
        assertEquals(0.6, g.get("a").getDouble(0), 1e-5);
        assertEquals(0.8, g.get("b").getDouble(0), 1e-5);
        assertEquals(1.0, Gradients.clip(g, 2.0), 1e-5, "below the limit: unchanged");
        g.put("c", Nd4j.createFromArray(new float[] {Float.NaN}));
        assertEquals("c", Gradients.firstNonFinite(g));
    }

    /**
     * Against a published count: PEFT prints "trainable params: 4,194,304" for Llama-2-7B with LoRA r=8 on
     * q_proj and v_proj (32 blocks x 8 x (4096 + 4096) x 2), from the config alone.
     */
    @Test
    void loraOnLlama2SevenBHasPeftsPublishedParameterCount() {
        DecoderConfig c = LlamaHfConfig.read(new StringReader(
                "{\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":11008,\"num_hidden_layers\":32,"
                        + "\"num_attention_heads\":32,\"num_key_value_heads\":32,\"vocab_size\":32000}"), "config.json");
        TensorLayout l = DecoderTensors.layout(c);
        assertEquals(4_194_304L, UnfreezePolicy.parse("lora:8:q,v").adapterParameters(l, 32));
        // and every projection at r=16 (QLoRA's setting): 32 x 16 x (4 x 8192 + 3 x (4096 + 11008))
        assertEquals(39_976_960L, UnfreezePolicy.parse("lora:16:q,k,v,o,gate,up,down").adapterParameters(l, 32));
    }

    /**
     * A policy that names blocks a plan never runs is refused (it would train the head alone under the policy's
     * name); a policy some of whose blocks run trains those.
     */
    @Test
    void aPolicyOfBlocksThePlanSkipsIsRefused() {
        LayerPlan skip = Variant.SKIP.plan(new Split(12, 3));  // runs 0-2, 9-11
        IllegalArgumentException e = assertThrows(UserInputException.class,
                () -> UnfreezePolicy.parse("blocks:5").unfreezing(layout(), skip, null, false));
        assertTrue(e.getMessage().contains("block [5]") && e.getMessage().contains("never runs"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> UnfreezePolicy.parse("blocks:2,5").unfreezing(layout(), skip, null, false));
        assertTrue(e.getMessage().contains("block [5]"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> UnfreezePolicy.parse("middle")
                .unfreezing(layout(), skip, new Split(12, 3), false));
        assertTrue(e.getMessage().contains("none of which"), e.getMessage());
        // negative controls: blocks that run, a policy partly skipped, the head, LoRA
        assertEquals(Set.of("query-c", "query-bias-c", "up-c"),
                UnfreezePolicy.parse("blocks:2").unfreezing(layout(), skip, null, false).unfrozen());
        assertTrue(UnfreezePolicy.parse("all").unfreezing(layout(), skip, null, false).unfrozen().contains("up-a"));
        UnfreezePolicy.parse("head").unfreezing(layout(), skip, null, false);
        UnfreezePolicy.parse("lora:2:q").unfreezing(layout(), skip, null, false);
    }

    /** A layout whose names carry no block number: policies must read the block from the data. */
    static TensorLayout layout() {
        List<TensorSpec> t = new ArrayList<>();
        t.add(new TensorSpec("table", new long[] {10, 4}, -1, Part.EMBEDDING));
        for (int b = 0; b < 12; b++) {
            t.add(new TensorSpec("query-" + (char) ('a' + b), new long[] {4, 4}, b, Part.Q));
            t.add(new TensorSpec("query-bias-" + (char) ('a' + b), new long[] {4}, b, Part.Q));
            t.add(new TensorSpec("up-" + (char) ('a' + b), new long[] {8, 4}, b, Part.UP));
        }
        t.add(new TensorSpec("final", new long[] {4}, -1, Part.FINAL_NORM));
        t.add(new TensorSpec("head", new long[] {10, 4}, -1, Part.LM_HEAD));
        return new TensorLayout(t);
    }

    @Test
    void policiesSelectBlocksFromTheLayoutNotFromNames() {
        TensorLayout l = layout();
        Split s = new Split(12, 3);                 // F = 0..3, M = 4..8, L = 9..11
        assertEquals(Set.of("query-e", "query-bias-e", "up-e", "query-f", "query-bias-f", "up-f", "query-g",
                "query-bias-g", "up-g", "query-h", "query-bias-h", "up-h", "query-i", "query-bias-i", "up-i"),
                UnfreezePolicy.parse("middle").trainable(l, 12, s));
        assertEquals(Set.of("query-d", "query-bias-d", "up-d", "query-j", "query-bias-j", "up-j"),
                UnfreezePolicy.parse("adjacent").trainable(l, 12, s));
        assertEquals(Set.of("query-j", "query-bias-j", "up-j", "query-k", "query-bias-k", "up-k", "query-l",
                "query-bias-l", "up-l"), UnfreezePolicy.parse("last:3").trainable(l, 12, s));
        Set<String> all = UnfreezePolicy.parse("all").trainable(l, 12, s);
        assertEquals(12 * 3 + 2, all.size(), "every block, the final norm and the LM head");
        assertFalse(all.contains("table"), "not the embeddings");
        Set<String> every = UnfreezePolicy.parse("every").trainable(l, 12, s);
        assertTrue(every.containsAll(all) && every.contains("table") && every.size() == all.size() + 1,
                "every: all and the embedding table");
        assertEquals(Set.of("head"), UnfreezePolicy.parse("head").trainable(l, 12, s), "head: the LM head alone");
        assertEquals(List.of(3, 4, 5, 8), UnfreezePolicy.parse("blocks:3-5,8").blocks());
        assertEquals("first:2", UnfreezePolicy.parse("FIRST:2").print());
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("middle").blocks(12, null));
    }

    @Test
    void loraPoliciesNameTheirTargetsRankAndAlpha() {
        TensorLayout l = layout();
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("lora:0"));
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("lora:8:q,x"));
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("lora:8:q:alpha=-1"));
        assertEquals("lora:8:q,v", UnfreezePolicy.parse("lora:8").print());
        UnfreezePolicy p = UnfreezePolicy.parse("lora:4:q,k,up,gate,down,o,v:alpha=16");
        assertEquals(List.of("q", "k", "up", "gate", "down", "o", "v"), p.targets());
        assertEquals(16.0, p.alpha());
        assertEquals(4.0, p.loraScale());
        assertEquals(p, UnfreezePolicy.parse(p.print()), "print and parse round-trip");
        assertEquals(1.0, UnfreezePolicy.parse("lora:8").loraScale(), "alpha defaults to the rank");
        assertTrue(UnfreezePolicy.parse("lora:4").trainable(l, 12, null).isEmpty(), "LoRA freezes every pretrained weight");
        Set<String> adapted = UnfreezePolicy.parse("lora:4:q,up").adapted(l, 12);
        assertEquals(24, adapted.size());
        assertTrue(adapted.contains("query-a") && adapted.contains("up-l") && !adapted.contains("query-bias-a"),
                "the matrices of the target parts, not their biases");
        assertEquals(12L * 4 * ((4 + 4) + (8 + 4)), UnfreezePolicy.parse("lora:4:q,up").adapterParameters(l, 12),
                "r (in + out): 12 blocks x (q 4x4 + up 8x4)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnfreezePolicy.parse("lora:4:gate").adapted(l, 12));
        assertTrue(e.getMessage().contains("no gate projection"), e.getMessage());
    }
}
