package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.family.CausalLm;
import painters.model.family.LmTrainingGraph;
import painters.model.family.ModelFamilies;
import painters.model.graph.Gradients;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.weights.TensorSpec;

/**
 * LayerDrop: each step is dropped at the configured rate (counted over many micro-batches) and reproducibly; a
 * dropped step is the plan without it (loss and gradients of the rest equal, its own weights without gradient); the
 * evaluation never drops (the step-0 score equals the undropped run's) while training does (the curves differ).
 */
class LayerDropTest {

    static final Path QWEN2 = Path.of("../model/src/test/resources/families/qwen2");
    static final List<int[]> SEQS = List.of(new int[] {1, 5, 9, 17, 33, 40, 7}, new int[] {1, 7, 7, 60, 2, 11, 3});

    @Test
    void eachStepIsDroppedAtTheRateAndReproducibly() {
        int n = 4000;
        int[] count = new int[6];
        for (long i = 0; i < n; i++) {
            for (int k : DecoderFineTuner.dropped(3, i, 6, 0.2)) {
                count[k]++;
            }
        }
        double sd = Math.sqrt(n * 0.2 * 0.8);
        for (int k = 0; k < 6; k++) {
            assertTrue(Math.abs(count[k] - 0.2 * n) < 4 * sd, "step " + k + " dropped " + count[k] + " of " + n);
        }
        assertEquals(DecoderFineTuner.dropped(3, 77, 6, 0.2), DecoderFineTuner.dropped(3, 77, 6, 0.2));
        assertTrue(DecoderFineTuner.dropped(3, 77, 6, 0).isEmpty(), "p = 0 drops nothing");
        int differ = 0;
        for (long i = 0; i < 50; i++) {
            differ += DecoderFineTuner.dropped(3, i, 6, 0.2).equals(DecoderFineTuner.dropped(4, i, 6, 0.2)) ? 0 : 1;
        }
        assertTrue(differ > 10, "another seed drops other steps: " + differ + " of 50 differ");
    }

    @Test
    void aDroppedStepIsThePlanWithoutIt() {
        CausalLm m = (CausalLm) ModelFamilies.load(QWEN2.toString());
        LayerPlan whole = LayerPlan.identity(4);
        LayerPlan without = LayerPlan.parse("0,2,3", 4);
        UnfreezePolicy all = UnfreezePolicy.parse("all");
        LmTrainingGraph g = m.trainingGraph(whole, all.unfreezing(m.weights().layout(), whole, null, false));
        LmTrainingGraph h = m.trainingGraph(without, all.unfreezing(m.weights().layout(), without, null, false));
        Map<String, INDArray> feed = g.feed(SEQS);
        TrainingGraph.LossAndGrads dropped = g.lossAndGradients(feed, Set.of(1));
        TrainingGraph.LossAndGrads plan = h.lossAndGradients(h.feed(SEQS));
        assertEquals(plan.loss(), dropped.loss(), 1e-5, "the loss of the plan without step 1");
        double worst = 0;
        for (TensorSpec t : m.weights().layout().all()) {
            if (t.block() == 1) {
                assertFalse(dropped.grads().containsKey(t.name()), "the dropped block gets no gradient: " + t.name());
            } else if (plan.grads().containsKey(t.name())) {
                INDArray a = dropped.grads().get(t.name());
                INDArray b = plan.grads().get(t.name());
                worst = Math.max(worst, Transforms.abs(a.sub(b)).maxNumber().doubleValue()
                        / Math.max(1e-12, Transforms.abs(b).maxNumber().doubleValue()));
            }
        }
        System.out.printf("[layerdrop] step 1 dropped vs plan 0,2,3: loss %.6f vs %.6f, gradients %.2e relative%n",
                dropped.loss(), plan.loss(), worst);
        assertTrue(worst < 1e-4, "the other blocks' gradients are the plan's: " + worst);
        assertNotEquals(g.lossAndGradients(feed).loss(), dropped.loss(), "negative control: dropping changes the loss");
    }

    @Test
    void evaluationNeverDropsAndTrainingDoes() throws Exception {
        CausalLm m = (CausalLm) ModelFamilies.load(QWEN2.toString());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("cat sat on the mat ").append(i % 5 == 0 ? "\n" : "");
        }
        LmCorpus corpus = new LmCorpus("t.txt", "test", List.of(sb.toString()));
        FineTuneConfig cfg = new FineTuneConfig(1e-2, 0, "constant", 4, 4, 1, 1.0, 0.0, 5, 2, Double.NaN, 0, false,
                UnfreezePolicy.parse("all"), 0, 16, Gradients.RECOMPUTED);
        LayerPlan whole = LayerPlan.identity(4);
        List<CurvePoint> plain = new DecoderFineTuner(m, corpus, 0.2, whole, null, cfg).run(null).curve();
        List<CurvePoint> dropping = new DecoderFineTuner(m, corpus, 0.2, whole, null, cfg).layerDrop(0.5).run(null)
                .curve();
        assertEquals(plain.get(0).primary(), dropping.get(0).primary(), 0.0, "step 0: the same model, undropped");
        assertNotEquals(plain.get(1).loss(), dropping.get(1).loss(), "training with LayerDrop differs");
        assertNotEquals(new DecoderFineTuner(m, corpus, 0.2, whole, null, cfg).fingerprint(),
                new DecoderFineTuner(m, corpus, 0.2, whole, null, cfg).layerDrop(0.5).fingerprint(), "part of the identity");
    }
}
