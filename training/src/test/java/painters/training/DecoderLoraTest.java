package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.decoder.DecoderBatch;
import painters.model.decoder.DecoderGraph;
import painters.model.decoder.DecoderModel;
import painters.model.decoder.DecoderTrainingGraph;
import painters.model.graph.LoraAdapters;
import painters.model.graph.TrainingGraph;
import painters.model.llama.LlamaLoader;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.weights.Precision;

/** LoRA on a real decoder (stories260K): every projection, base weights untouched, B leaves zero, counts by hand. */
class DecoderLoraTest {

    static DecoderModel m;
    static List<int[]> batch;

    @BeforeAll
    static void load() throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("models/stories260K")), "skipped: ../shared/data absent");
        m = LlamaLoader.load(data.resolve("models/stories260K/stories260K.bin").toString());
        String text = Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 4000);
        batch = new LmCorpus("t", "0", List.of(text)).windows(m.tokenizer(), 48).subList(0, 4);
    }

    static float[] values(INDArray a) {
        return a.dup().data().asFloat();
    }

    @Test
    void loraOnEveryProjectionTrainsAdaptersOnlyAndStartsAtTheFrozenModel() {
        UnfreezePolicy p = UnfreezePolicy.parse("lora:4:q,k,v,o,gate,up,down:alpha=8");
        LayerPlan plan = Variant.LOOPED_PARALLEL.plan(new Split(5, 1), 0, 2);      // a repeated block: adapters are tied
        Set<String> adapted = p.adapted(m.weights().layout(), 5);
        assertEquals(5 * 7, adapted.size());
        DecoderTrainingGraph g = DecoderTrainingGraph.build(m.weights(), plan, p.trainable(m.weights().layout(), 5, null),
                false, adapted, p.n(), p.loraScale());
        // by hand: r (in + out) per adapter; d 64, q/o 64x64, k/v 32x64, gate/up 172x64, down 64x172
        long perBlock = 4L * ((64 + 64) + (64 + 32) + (64 + 32) + (64 + 64) + (64 + 172) + (64 + 172) + (172 + 64));
        assertEquals(5 * perBlock, g.trainableCount(), "adapters only: " + g.trainable());
        assertEquals(5 * perBlock, p.adapterParameters(m.weights().layout(), 5), "the count from the layout alone");
        assertTrue(g.trainable().stream().allMatch(LoraAdapters::isAdapter));

        // step 0 equals the frozen model under the same plan (B = 0)
        INDArray frozen = DecoderGraph.of(m.weights(), plan).logits(DecoderBatch.rightPadded(batch, 0));
        assertEquals(0.0, frozen.sub(g.logits(batch)).amaxNumber().doubleValue(), 1e-6);

        List<float[]> before = new ArrayList<>();
        for (String w : adapted) {
            before.add(values(g.array(w)));
        }
        AdamW opt = AdamW.withDefaults(0.0, g.decayed());
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 5; step++) {
            TrainingGraph.LossAndGrads lg = g.lossAndGradients(g.feed(batch));
            first = step == 0 ? lg.loss() : first;
            last = lg.loss();
            opt.step(g.parameters(), lg.grads(), 1e-2);
        }
        assertTrue(last < first, "the loss falls: " + first + " -> " + last);
        int i = 0;
        for (String w : adapted) {
            assertArrayEquals(before.get(i++), values(g.array(w)), "base weight " + w + " is bit-identical");
            assertArrayEquals(values(m.weights().get(w)), values(g.array(w)), "and equal to the pretrained " + w);
            assertTrue(g.array(LoraAdapters.B + w).norm2Number().doubleValue() > 0, "B of " + w + " moved from zero");
        }
        assertTrue(Arrays.equals(values(m.weights().get("model.layers.2.self_attn.q_proj.weight")),
                values(g.array("model.layers.2.self_attn.q_proj.weight"))));
    }

    /**
     * Mixed precision: frozen weights held in bf16, trainable ones (full blocks, LoRA adapters) fp32, with
     * fp32 gradients and optimizer state; the loss falls over a few steps as it does in fp32.
     */
    @Test
    void halfPrecisionFrozenWeightsTrainFp32Parameters() {
        DecoderModel half = m.withPrecision(Precision.BF16);
        LayerPlan plan = LayerPlan.identity(5);
        for (String policy : new String[] {"last:2", "lora:4:q,v"}) {
            UnfreezePolicy p = UnfreezePolicy.parse(policy);
            DecoderTrainingGraph g = DecoderTrainingGraph.build(half.weights(), plan,
                    p.isLora() ? Set.of() : p.trainable(half.weights().layout(), 5, null), false,
                    p.adapted(half.weights().layout(), 5), p.isLora() ? p.n() : 0, p.isLora() ? p.loraScale() : 1);
            assertTrue(g.parameters().values().stream().allMatch(a -> a.dataType() == DataType.FLOAT),
                    policy + ": trainable weights are fp32");
            AdamW opt = AdamW.withDefaults(0.0, g.decayed());
            Map<String, INDArray> feed = g.feed(batch);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 5; step++) {
                var lg = g.lossAndGradients(feed);
                assertTrue(lg.grads().values().stream().allMatch(a -> a.dataType() == DataType.FLOAT));
                opt.step(g.parameters(), lg.grads(), 1e-2);
                first = step == 0 ? lg.loss() : first;
                last = lg.loss();
            }
            assertTrue(Double.isFinite(last) && last < first, policy + ": loss " + first + " -> " + last);
        }
    }
}
