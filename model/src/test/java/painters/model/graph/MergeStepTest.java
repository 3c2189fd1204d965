package painters.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.decoder.DecoderBatch;
import painters.model.decoder.DecoderGraph;
import painters.model.decoder.DecoderModel;
import painters.model.decoder.DecoderWeights;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.Part;
import painters.model.weights.TensorSpec;
import painters.model.weights.Weights;

/**
 * The merge step {@code M(a-b)} (one block whose every tensor is the mean of blocks a..b's), against blocks built by
 * hand: the tensors averaged here in float64 from the checkpoint and written over block a's, then block a run as
 * usual. On the real BGE-small and on every decoder family's tiny random checkpoint. Negative control: the same hand
 * merge with the block's norms left unaveraged must differ (the merge covers every tensor of the block).
 */
class MergeStepTest {

    /** Absolute tolerance: float32 means in the graph vs float64 means rounded once to float32. */
    static final double TOL = 1e-5;

    static double maxDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /**
     * {@code weights} with every tensor of block {@code layers.get(0)} (those {@code which} accepts) replaced by its
     * float64 mean over {@code layers}; tensors are matched by their place in the family's layout.
     */
    static Map<String, INDArray> handMerged(Weights weights, List<Integer> layers, Predicate<TensorSpec> which) {
        List<List<TensorSpec>> blocks = new ArrayList<>();
        for (int l : layers) {
            blocks.add(weights.layout().all().stream().filter(t -> t.block() == l).toList());
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int k = 0; k < blocks.get(0).size(); k++) {
            TensorSpec first = blocks.get(0).get(k);
            if (!which.test(first)) {
                continue;
            }
            INDArray sum = null;
            for (List<TensorSpec> b : blocks) {
                TensorSpec t = b.get(k);
                assertEquals(first.part(), t.part(), "layouts align: " + first.name() + " ~ " + t.name());
                INDArray a = weights.get(t.name()).castTo(DataType.DOUBLE);
                sum = sum == null ? a : sum.add(a);
            }
            out.put(first.name(), sum.div(layers.size()).castTo(weights.get(first.name()).dataType()));
        }
        assertTrue(out.size() >= 2, "block " + layers.get(0) + " has tensors to merge: " + out.keySet());
        return out;
    }

    static boolean isNorm(TensorSpec t) {
        return t.part() == Part.NORM;
    }

    // ------------------------------------------------------------------ the plan's arithmetic

    @Test
    void aMergeIsOneBlockApplicationAndPrintsAsItParses() {
        LayerPlan p = LayerPlan.parse("0-4,M(5-7),8-11", 12);
        assertEquals(10, p.depth());
        assertEquals(10, p.applications());
        assertEquals("0-4,M(5-7),8-11", p.print());
        LayerPlan looped = LayerPlan.parse("0-4,M(5-7)x3,8-11", 12);
        assertEquals(12, looped.depth());
        assertEquals(12, looped.applications());
        assertEquals(looped, LayerPlan.parse(looped.print(), 12));
        assertEquals(LayerPlan.parse("0-11", 12).computationKey(), LayerPlan.parse("0-4,M(5),6-11", 12).computationKey(),
                "a merge of one block is that block");
        assertEquals(LayerPlan.parse("0-4,M(5-7),8-11", 12), Variant.MERGE.plan(new Split(12, 4)));
        assertEquals(List.of(5, 6, 7), LayerPlan.parse("M(5-7)", 12).steps().get(0).blocks());
        assertThrows(UserInputException.class, () -> LayerPlan.parse("0,M(),11", 12));
        assertThrows(UserInputException.class, () -> LayerPlan.parse("0,M(5,5),11", 12));
        assertThrows(UserInputException.class, () -> LayerPlan.parse("0,M(5-12),11", 12));
    }

    // ------------------------------------------------------------------ BGE-small

    @Test
    void mergedBlocksOfTheEncoderEqualABlockOfHandAveragedTensors() {
        BertModel model = BertLoader.defaultModel();
        int t = model.config().numLayers();
        TokenBatch batch = model.tokenizer().encode(List.of(
                "Merge three middle layers into one and run it once.",
                "The element-wise mean of every tensor, norms included."));
        INDArray full = BertEncoder.of(model.weights()).forward(batch);
        INDArray one = BertEncoder.of(model.weights(), LayerPlan.parse("0-4,M(5),6-11", t)).forward(batch);
        assertEquals(0.0, maxDiff(full, one), "M(5) is block 5, bit for bit");

        INDArray merged = BertEncoder.of(model.weights(), LayerPlan.parse("0-4,M(5-7),8-11", t)).forward(batch);
        INDArray byHand = BertEncoder.of(model.weights().with(handMerged(model.weights(), List.of(5, 6, 7), x -> true)),
                LayerPlan.parse("0-4,5,8-11", t)).forward(batch);
        double d = maxDiff(merged, byHand);
        INDArray normsKept = BertEncoder.of(model.weights().with(handMerged(model.weights(), List.of(5, 6, 7),
                x -> !isNorm(x))), LayerPlan.parse("0-4,5,8-11", t)).forward(batch);
        double control = maxDiff(merged, normsKept);
        INDArray skipped = BertEncoder.of(model.weights(), LayerPlan.parse("0-4,8-11", t)).forward(batch);
        System.out.printf("[merge] bge-small M(5-7) vs hand-averaged block: %.2e (tol %.0e); norms unaveraged %.2e; "
                + "vs skip %.2e%n", d, TOL, control, maxDiff(merged, skipped));
        assertTrue(d <= TOL, "M(5-7) vs hand-averaged block: " + d);
        assertTrue(control > 10 * TOL, "negative control (norms unaveraged) must differ: " + control);
        assertTrue(maxDiff(merged, skipped) > 10 * TOL, "a merge is not a skip");
    }

    // ------------------------------------------------------------------ every decoder family

    static List<String> variants() {
        return List.of("qwen2", "qwen2_window", "qwen3", "phi3", "gemma", "gemma2", "olmo2", "gpt_neox", "gpt2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mergedBlocksOfEveryDecoderFamilyEqualABlockOfHandAveragedTensors(String variant) {
        DecoderModel m = assertInstanceOf(DecoderModel.class, ModelFamilies.load(
                Path.of("src/test/resources/families").resolve(variant).toString()));
        int t = m.numLayers();
        DecoderWeights w = m.weights();
        // two blocks with the same attention window (a merge across windows is refused; checked below)
        int[] pair = sameWindow(m);
        int a = pair[0];
        int b = pair[1];
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            if (i != a && i != b) {
                others.add(i);
            }
        }
        String prefix = others.stream().filter(i -> i < a).map(String::valueOf).reduce((x, y) -> x + "," + y)
                .map(s -> s + ",").orElse("");
        String suffix = others.stream().filter(i -> i > a).map(String::valueOf).reduce((x, y) -> x + "," + y)
                .map(s -> "," + s).orElse("");
        DecoderBatch batch = DecoderBatch.rightPadded(List.of(new int[] {1, 5, 9, 2, 7, 3, 11, 4}, new int[] {3, 8, 6}),
                m.config());
        INDArray merged = last(w, LayerPlan.parse(prefix + "M(" + a + "," + b + ")" + suffix, t), batch);
        INDArray byHand = last(w.with(handMerged(w, List.of(a, b), x -> true)),
                LayerPlan.parse(prefix + a + suffix, t), batch);
        INDArray normsKept = last(w.with(handMerged(w, List.of(a, b), x -> !isNorm(x))),
                LayerPlan.parse(prefix + a + suffix, t), batch);
        INDArray one = last(w, LayerPlan.parse(prefix + "M(" + a + ")" + suffix, t), batch);
        INDArray plain = last(w, LayerPlan.parse(prefix + a + suffix, t), batch);
        double d = maxDiff(merged, byHand);
        double control = maxDiff(merged, normsKept);
        System.out.printf("[merge] %s M(%d,%d) vs hand-averaged block: %.2e (tol %.0e); norms unaveraged %.2e%n",
                variant, a, b, d, TOL, control);
        assertEquals(0.0, maxDiff(one, plain), variant + ": M(" + a + ") is block " + a + ", bit for bit");
        assertTrue(d <= TOL, variant + ": M(" + a + "," + b + ") vs hand-averaged block: " + d);
        assertTrue(control > 10 * TOL, variant + ": negative control (norms unaveraged) must differ: " + control);
        for (int j = 0; j < t; j++) {
            if (m.config().window(j) != m.config().window(a)) {
                LayerPlan across = LayerPlan.parse("M(" + a + "," + j + ")", t);
                UserInputException e = assertThrows(UserInputException.class, () -> last(w, across, batch));
                assertTrue(e.getMessage().contains("different attention windows"), e.getMessage());
                break;
            }
        }
    }

    /** The first two blocks with the same attention window. */
    static int[] sameWindow(DecoderModel m) {
        for (int i = 0; i < m.numLayers(); i++) {
            for (int j = i + 1; j < m.numLayers(); j++) {
                if (m.config().window(i) == m.config().window(j)) {
                    return new int[] {i, j};
                }
            }
        }
        throw new AssertionError("no two blocks with the same window");
    }

    /** The residual stream after the plan's last step. */
    static INDArray last(DecoderWeights w, LayerPlan plan, DecoderBatch batch) {
        List<INDArray> states = DecoderGraph.of(w, plan).hiddenStates(batch);
        return states.get(states.size() - 1);
    }
}
