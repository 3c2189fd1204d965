package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.plan.Split;

/** AdamW, the schedule, clipping and unfreeze policies on hand-computed cases. */
class OptimizerTest {

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

    @Test
    void policiesSelectBlocksByName() {
        List<String> names = List.of("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight",
                "encoder.layer.3.output.dense.bias", "encoder.layer.4.output.dense.bias", "encoder.layer.8.output.dense.bias",
                "encoder.layer.9.output.dense.bias", "encoder.layer.11.output.dense.bias");
        Split s = new Split(12, 3);                 // F = 0..3, M = 4..8, L = 9..11
        java.util.function.Predicate<String> emb = n -> n.startsWith("embeddings.");
        assertEquals(Set.of("encoder.layer.4.output.dense.bias", "encoder.layer.8.output.dense.bias"),
                UnfreezePolicy.parse("middle").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12, s));
        assertEquals(Set.of("encoder.layer.3.output.dense.bias", "encoder.layer.9.output.dense.bias"),
                UnfreezePolicy.parse("adjacent").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12, s));
        assertEquals(Set.of("encoder.layer.9.output.dense.bias", "encoder.layer.11.output.dense.bias"),
                UnfreezePolicy.parse("last:3").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12, s));
        assertEquals(6, UnfreezePolicy.parse("all").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12,
                s).size(), "all blocks, never the word embeddings");
        assertTrue(UnfreezePolicy.parse("head").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12, s)
                .isEmpty());
        assertEquals(List.of(3, 4, 5, 8), UnfreezePolicy.parse("blocks:3-5,8").blocks());
        assertEquals("first:2", UnfreezePolicy.parse("FIRST:2").print());
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("lora:0"));
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("lora:8:q,x"));
        assertEquals("lora:8:q,v", UnfreezePolicy.parse("lora:8").print());
        assertEquals(List.of("q", "k", "up"), UnfreezePolicy.parse("lora:4:q,k,up").targets());
        assertTrue(UnfreezePolicy.parse("lora:4").trainable(names, painters.model.hf.BertTensorNames::blockOf, emb, 12, s)
                .isEmpty(), "LoRA freezes every pretrained weight");
        assertThrows(IllegalArgumentException.class, () -> UnfreezePolicy.parse("middle").blocks(12, null));
    }
}
