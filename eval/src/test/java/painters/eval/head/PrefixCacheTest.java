package painters.eval.head;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.data.WordNet;
import painters.eval.task.Example;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.model.plan.Split;
import painters.model.plan.Step;
import painters.model.plan.Variant;
import painters.model.tokenizer.HfTokenizer;

/** Prefix-shared features are the same numbers as features computed from scratch, for every kind of plan. */
class PrefixCacheTest {

    @Test
    void sharedPrefixesGiveIdenticalFeatures() {
        BertModel m = BertLoader.defaultModel();
        List<Example> ex = new ArrayList<>();
        for (String t : WordNet.exampleSentences(WordNet.load(), 40, 5, 3)) {
            ex.add(new Example("wn", List.of(t), 0, Double.NaN));
        }
        List<LayerPlan> plans = new ArrayList<>();
        plans.add(LayerPlan.identity(12));
        for (Variant v : new Variant[] {Variant.SKIP, Variant.REVERSE, Variant.MIDDLE_REPEAT, Variant.PARALLEL,
                Variant.LOOPED_PARALLEL, Variant.RANDOM}) {
            for (int s : new int[] {3, 5, 0}) {
                plans.add(v.plan(new Split(12, s), 1, 3));
            }
        }
        plans.add(Variant.RANDOM.plan(new Split(12, 3), 2, 3));
        plans.sort(PlanPrefixes.TRIE_ORDER);
        PrefixCache cache = new PrefixCache(m, plans);
        LayerPlan looped = Variant.LOOPED_PARALLEL.plan(new Split(12, 3), 1, 3);
        try (HfTokenizer tok = m.tokenizer().withMaxLength(64)) {
            for (LayerPlan p : plans) {
                INDArray scratch = Featurizer.of(m, p, tok, 16, null).pooled(ex);
                Featurizer shared = Featurizer.of(m, p, tok, 16, cache);
                INDArray fromCache = shared.pooled(ex);
                cache.release(p);
                double diff = scratch.sub(fromCache).amaxNumber().doubleValue();
                assertEquals(0.0, diff, p.print() + ": the same operations on the same numbers");
                int start = cache.prefixes().start(p.flattened().steps());
                assertEquals(start, shared.encoder().skipped(), p.print());
                if (!p.flattened().steps().equals(LayerPlan.identity(12).steps())) {
                    // the identity plan is in the grid: whatever unmodified blocks a plan starts with are shared
                    assertTrue(start >= Math.min(p.identityPrefix(), p.flattened().steps().size() - 1),
                            p.print() + ": the unmodified blocks it starts with are shared (start " + start + ")");
                }
            }
        }
        int unmodified = Variant.PARALLEL.plan(new Split(12, 3), 1, 3).identityPrefix();
        assertEquals(unmodified + 1, cache.prefixes().start(looped.flattened().steps()),
                "looped parallel starts after the unmodified blocks and the parallel step it shares with parallel");
        LayerPlan reverse = Variant.REVERSE.plan(new Split(12, 3), 1, 3);
        assertEquals(reverse.identityPrefix() + 1, cache.prefixes().start(reverse.flattened().steps()),
                "reverse starts after its first middle block, which the parallel step at the same split computes");
        List<Step> parallelStep = Variant.PARALLEL.plan(new Split(12, 3), 1, 3).flattened().steps()
                .subList(0, unmodified + 1);
        assertEquals(5, cache.prefixes().members(parallelStep).size(),
                "the parallel step of split 3 (blocks 4-8) is the mean of its five blocks' states");
        assertEquals(3, cache.size(), "40 texts in batches of 16: three batches");
        assertEquals(0, cache.statesHeld(), "every plan released: no state is kept");
    }
}
