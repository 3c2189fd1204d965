package painters.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.bert.BertBlocks;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.family.Pooling;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.TokenBatch;

/**
 * Plans executed on the real default model (BGE-small, T = 12) against the same composition done
 * by hand, one single-block graph call at a time.
 */
class PlanExecutionTest {

    static BertModel model;
    static TokenBatch batch;
    static int t;
    static BertEncoder identity;
    static INDArray identityOut;

    @BeforeAll
    static void load() {
        model = BertLoader.defaultModel();
        t = model.config().numLayers();
        batch = model.tokenizer().encode(List.of(
                "Layers in the middle of a transformer share a representation space.",
                "Reverse them and see.",
                "Or run them all at once, in parallel, and average what they paint."));
        identity = BertEncoder.of(model.weights());
        identityOut = identity.forward(batch);
    }

    static double maxDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }

    INDArray run(String plan) {
        return BertEncoder.of(model.weights(), LayerPlan.parse(plan, t)).forward(batch);
    }

    /** One block applied to a given hidden state, in its own graph. */
    static final class SingleBlocks {
        final SameDiff sd = SameDiff.create();
        final Map<String, INDArray> feed = BertEncoder.feed(batch);
        final String[] outs = new String[t];

        SingleBlocks() {
            BertBlocks blocks = new BertBlocks(sd, model.weights());
            BertBlocks.Inputs in = blocks.placeholders();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, model.config().hiddenSize());
            for (int i = 0; i < t; i++) {
                outs[i] = blocks.block(i, x, in).name();
            }
        }

        INDArray apply(int layer, INDArray h) {
            feed.put("x", h);
            return sd.output(feed, outs[layer]).get(outs[layer]);
        }
    }

    @Test
    void identityPlanEqualsAHandBuiltChainBitForBit() {
        SameDiff sd = SameDiff.create();
        BertBlocks blocks = new BertBlocks(sd, model.weights());
        BertBlocks.Inputs in = blocks.placeholders();
        SDVariable x = blocks.embeddings(in);
        for (int i = 0; i < t; i++) {
            x = blocks.block(i, x, in);
        }
        INDArray chain = sd.output(BertEncoder.feed(batch), x.name()).get(x.name());
        assertEquals(0.0, maxDiff(identityOut, chain));
        assertEquals("0-11", identity.plan().print());
    }

    @Test
    void parallelOfOneBlockEqualsRunningIt() {
        assertEquals(0.0, maxDiff(identityOut, run("0-5,P(6),7-11")));
    }

    @Test
    void loopOnceEqualsTheBody() {
        assertEquals(0.0, maxDiff(identityOut, run("0-5,(6-8)x1,9-11")));
        assertEquals(0.0, maxDiff(identityOut, run("(0-11)x1")));
    }

    @Test
    void skippingAnEmptyRangeIsTheIdentity() {
        INDArray out = BertEncoder.of(model.weights(), Variant.skipRange(t, 4, 4)).forward(batch);
        assertEquals(0.0, maxDiff(identityOut, out));
    }

    @Test
    void reversedMiddleEqualsSingleBlockCallsInThatOrder() {
        SingleBlocks single = new SingleBlocks();
        INDArray h = identity.capture(batch, List.of(PlanGraph.residPre(0))).get(PlanGraph.residPre(0));
        for (int i : List.of(0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11)) {
            h = single.apply(i, h);
        }
        double d = maxDiff(run("0-3,7-4,8-11"), h);
        System.out.printf("[plan] reversed middle vs single-block calls: max|diff| = %.2e%n", d);
        assertTrue(d <= 1e-5, "reverse plan differs from hand composition by " + d);
        assertTrue(maxDiff(identityOut, h) > 1e-2, "reversing the middle must change the output");
    }

    @Test
    void parallelAverageEqualsTheMeanOfSingleBlockOutputs() {
        SingleBlocks single = new SingleBlocks();
        INDArray h = identity.capture(batch, List.of(PlanGraph.residPre(4))).get(PlanGraph.residPre(4));
        for (int iteration = 0; iteration < 2; iteration++) {      // P(4-7)x2
            INDArray sum = null;
            for (int i = 4; i <= 7; i++) {
                INDArray o = single.apply(i, h);
                sum = sum == null ? o.dup() : sum.addi(o);
            }
            h = sum.divi(4);
        }
        for (int i = 8; i < t; i++) {
            h = single.apply(i, h);
        }
        double d = maxDiff(run("0-3,P(4-7)x2,8-11"), h);
        System.out.printf("[plan] looped parallel vs hand-averaged single-block outputs: max|diff| = %.2e%n", d);
        assertTrue(d <= 1e-5, "looped parallel differs from hand composition by " + d);
    }

    @Test
    void repeatedBlocksShareOneSetOfWeights() {
        BertEncoder repeat = BertEncoder.of(model.weights(), Variant.MIDDLE_REPEAT.plan(new Split(t, 0)));
        long vars = repeat.graph().variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).count();
        assertEquals(model.weights().tensors().size(), vars, "block 6 run 11 times must not copy its weights");
        assertEquals(12, repeat.executedSteps().size());
        assertEquals("6 [iteration 11/11]", repeat.executedSteps().get(11).description());
    }

    @Test
    void captureReturnsStatesWithoutChangingTheOutput() {
        BertEncoder e = BertEncoder.of(model.weights(), LayerPlan.parse("0-5,P(6-11)x3", t));
        assertEquals(9, e.executedSteps().size());
        List<String> names = new ArrayList<>(e.stateNames());
        assertEquals(List.of("resid_pre.0", "resid_pre.1", "resid_pre.2", "resid_pre.3", "resid_pre.4", "resid_pre.5",
                "resid_pre.6", "resid_pre.7", "resid_pre.8", "resid_final"), names);
        Map<String, INDArray> got = e.capture(batch, names);
        assertEquals(0.0, maxDiff(got.get("resid_final"), e.forward(batch)));
        // the state entering the first parallel step is the output of block 5 of the unmodified model
        assertEquals(0.0, maxDiff(got.get("resid_pre.6"), identity.capture(batch, List.of("resid_pre.6"))
                .get("resid_pre.6")));
        assertThrows(IllegalArgumentException.class, () -> e.capture(batch, List.of("resid_pre.9")));
    }

    @Test
    void firstTokenEncoderEqualsTheFirstPositionOfTheWholeState() {
        // the batch is padded (rows of different lengths): the first position attends over real keys only
        for (String text : List.of("0-11", "0-3,P(4-7)x2,8-11", "0-5,P(6-11)", "0-2,9-3,10-11", "0,6x11")) {
            LayerPlan plan = LayerPlan.parse(text, t);
            INDArray whole = BertEncoder.of(model.weights(), plan).forward(batch);
            BertEncoder first = BertEncoder.forPooling(model.weights(), plan, 0, Pooling.CLS);
            assertTrue(first.firstTokenOnly());
            INDArray got = first.forward(batch);
            assertEquals(List.of((long) batch.batchSize(), 1L, (long) model.config().hiddenSize()),
                    Arrays.stream(got.shape()).boxed().toList(), text);
            INDArray want = whole.get(NDArrayIndex.all(),
                    NDArrayIndex.interval(0, 1), NDArrayIndex.all());
            double d = maxDiff(got, want);
            System.out.printf("[plan] %s: first-token last step vs position 0 of the whole state: max|diff| = %.2e%n",
                    text, d);
            assertTrue(d <= 1e-5, text + ": first-token output differs by " + d);
            assertTrue(want.amaxNumber().doubleValue() > 0.1, "the comparison must not be vacuous");
            // from a cached state: the same encoder skipping its first 4 steps, fed resid_pre.4
            INDArray h4 = identity.capture(batch, List.of(PlanGraph.residPre(4))).get(PlanGraph.residPre(4));
            if (plan.flattened().steps().subList(0, 4).equals(LayerPlan.identity(t).steps().subList(0, 4))) {
                INDArray fromState = BertEncoder.forPooling(model.weights(), plan.flattened(), 4,
                        Pooling.CLS).forwardFrom(batch, h4);
                assertEquals(0.0, maxDiff(fromState, got), text + ": the skipped steps are the cached state's");
            }
        }
        INDArray mean = BertEncoder.forPooling(model.weights(), LayerPlan.identity(t), 0, Pooling.MEAN)
                .forward(batch);
        assertEquals(0.0, maxDiff(mean, identityOut), "mean pooling reads every position: the whole state");
    }
}
