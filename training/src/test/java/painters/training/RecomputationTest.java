package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.bert.BertTrainingGraph;
import painters.model.decoder.DecoderModel;
import painters.model.decoder.DecoderTrainingGraph;
import painters.model.graph.TrainingGraph;
import painters.model.llama.LlamaLoader;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.Precision;

/**
 * Gradients by recomputation (one graph per executed step, fed the upstream gradient) against SameDiff's
 * differentiation of the whole graph at once, on real models: every trainable array, relative to its
 * largest entry, within 1e-4 (float32 sums in another order), and the loss within 1e-6. Plans with a
 * block repeated across steps (tied: its gradients from several step graphs add up; untied: each use's
 * copy in its own step), a parallel group inside a loop, partial unfreezing (the backward stops at the
 * first trainable step) and LoRA adapters.
 */
class RecomputationTest {

    static final Split SPLIT = new Split(12, 4);
    static BertModel bert;

    static BertModel bert() throws Exception {
        if (bert == null) {
            bert = BertLoader.defaultModel();
        }
        return bert;
    }

    static void assertSameGradients(TrainingGraph g, Map<String, INDArray> feed) {
        TrainingGraph.LossAndGrads whole = g.wholeLossAndGradients(feed);
        TrainingGraph.LossAndGrads pieces = g.lossAndGradients(feed);
        assertEquals(whole.loss(), pieces.loss(), 1e-6 * Math.max(1, Math.abs(whole.loss())), "loss");
        assertEquals(whole.grads().keySet(), pieces.grads().keySet(), "the same trainable arrays");
        assertFalse(whole.grads().isEmpty());
        for (String n : whole.grads().keySet()) {
            INDArray a = whole.grads().get(n);
            INDArray b = pieces.grads().get(n);
            assertArrayEquals(a.shape(), b.shape(), n);
            double scale = a.amaxNumber().doubleValue();
            assertTrue(scale > 0, n + ": a gradient that is all zero tests nothing");
            double diff = a.sub(b).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-4 * scale, n + ": max |whole - recomputed| = " + diff + ", max |whole| = " + scale);
        }
    }

    static Map<String, INDArray> bertFeed(BertTrainingGraph g, BertModel m) {
        TokenBatch tb = m.tokenizer().withMaxLength(16).encode(List.of("a small dog barked at the mailman",
                "green beans and rice", "the oak tree", "a carpenter builds tables"));
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1f);
        }
        return g.feed(tb, labels);
    }

    static BertTrainingGraph bertGraph(BertModel m, LayerPlan plan, String policy, boolean untie) {
        UnfreezePolicy p = UnfreezePolicy.parse(policy);
        Nd4j.getRandom().setSeed(12345);                     // the draws below are the same every run
        INDArray headW = Nd4j.rand(DataType.FLOAT, 384, 3).subi(0.5).muli(0.2);
        return BertTrainingGraph.build(m.weights(), plan, m.pooling(), p.trainable(m.weights().layout(), 12, SPLIT),
                untie, true, Nd4j.zeros(DataType.FLOAT, 384), Nd4j.ones(DataType.FLOAT, 384).muli(0.3), headW,
                Nd4j.zeros(DataType.FLOAT, 1, 3), p.adapted(m.weights().layout(), 12), p.isLora() ? p.n() : 0,
                p.isLora() ? p.loraScale() : 1);
    }

    @Test
    void everyWeightOfAPlanWithALoopedParallelGroup() throws Exception {
        BertModel m = bert();
        LayerPlan plan = Variant.LOOPED_PARALLEL.plan(SPLIT, 0, 2);     // 0..4, P(5-7) twice, 8..11
        BertTrainingGraph g = bertGraph(m, plan, "all", false);
        assertSameGradients(g, bertFeed(g, m));
    }

    @Test
    void untiedCopiesOfARepeatedBlockAndTheBackwardStoppingAtTheFirstTrainableStep() throws Exception {
        BertModel m = bert();
        LayerPlan plan = Variant.MIDDLE_REPEAT.plan(SPLIT, 0, 3);       // block 6 three times
        BertTrainingGraph g = bertGraph(m, plan, "middle", true);
        assertTrue(g.trainable().stream().anyMatch(n -> n.startsWith("use3/")), g.trainable().toString());
        assertSameGradients(g, bertFeed(g, m));
    }

    @Test
    void loraAdaptersOnATiedRepeat() throws Exception {
        BertModel m = bert();
        BertTrainingGraph g = bertGraph(m, Variant.MIDDLE_REPEAT.plan(SPLIT, 0, 3), "lora:4", false);
        Map<String, INDArray> feed = bertFeed(g, m);
        // B starts at zero, so A's gradient is zero: one optimizer step first, then compare
        TrainingGraph.LossAndGrads lg = g.wholeLossAndGradients(feed);
        AdamW.withDefaults(0.0, g.decayed()).step(g.parameters(), lg.grads(), 1e-2);
        assertSameGradients(g, feed);
    }

    static DecoderModel stories;
    static List<int[]> text;

    static DecoderModel stories() throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("models/stories260K")), "skipped: ../shared/data absent");
        if (stories == null) {
            stories = LlamaLoader.load(data.resolve("models/stories260K/stories260K.bin").toString());
            String t = Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 4000);
            text = new LmCorpus("t", "0", List.of(t)).windows(stories.tokenizer(), 32).subList(0, 3);
        }
        return stories;
    }

    @Test
    void aDecoderWithTheLanguageModellingLoss() throws Exception {
        DecoderModel m = stories();
        LayerPlan plan = Variant.LOOPED_PARALLEL.plan(new Split(5, 1), 0, 2);
        Set<String> unfrozen = UnfreezePolicy.parse("all").trainable(m.weights().layout(), 5, null);
        DecoderTrainingGraph g = DecoderTrainingGraph.build(m.weights(), plan, unfrozen, false, Set.of(), 0, 1);
        assertSameGradients(g, g.feed(text));
    }

    /** Frozen weights held in bf16: the step graphs read the fp32 trainable arrays, not half-precision copies. */
    @Test
    void halfPrecisionFrozenWeightsAfterAnUpdate() throws Exception {
        DecoderModel half = stories().withPrecision(Precision.BF16);
        Set<String> unfrozen = UnfreezePolicy.parse("last:2").trainable(half.weights().layout(), 5, null);
        DecoderTrainingGraph g = DecoderTrainingGraph.build(half.weights(), LayerPlan.identity(5), unfrozen, false, Set.of(),
                0, 1);
        Map<String, INDArray> feed = g.feed(text);
        TrainingGraph.LossAndGrads lg = g.lossAndGradients(feed);     // step graphs built before the update
        AdamW.withDefaults(0.0, g.decayed()).step(g.parameters(), lg.grads(), 1e-2);
        assertSameGradients(g, feed);
    }
}
