package painters.eval.head;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.data.WordNet;
import painters.eval.task.Example;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;
import painters.model.tokenizer.HfTokenizer;

/** Prefix-cached features are the same numbers as features computed from scratch, for every kind of plan. */
class PrefixCacheTest {

    @Test
    void cachedPrefixesGiveIdenticalFeatures() {
        BertModel m = BertLoader.defaultModel();
        List<Example> ex = new ArrayList<>();
        for (String t : WordNet.exampleSentences(WordNet.load(), 40, 5, 3)) {
            ex.add(new Example("wn", List.of(t), 0, Double.NaN));
        }
        PrefixCache cache = new PrefixCache(m.weights(), Set.of(4, 6));
        List<LayerPlan> plans = new ArrayList<>();
        plans.add(LayerPlan.identity(12));
        for (Variant v : new Variant[] {Variant.SKIP, Variant.REVERSE, Variant.MIDDLE_REPEAT, Variant.LOOPED_PARALLEL,
                Variant.RANDOM}) {
            for (int s : new int[] {3, 5, 0}) {
                plans.add(v.plan(new Split(12, s), 1, 3));
            }
        }
        try (HfTokenizer tok = m.tokenizer().withMaxLength(64)) {
            for (LayerPlan p : plans) {
                INDArray scratch = new Featurizer(painters.model.bert.BertEncoder.of(m.weights(), p), tok, m.pooling(), 16)
                        .pooled(ex);
                Featurizer cached = Featurizer.of(m.weights(), p, tok, m.pooling(), 16, cache);
                INDArray fromCache = cached.pooled(ex);
                double diff = scratch.sub(fromCache).amaxNumber().doubleValue();
                assertEquals(0.0, diff, 1e-6, p.print());
                assertEquals(Math.min(p.identityPrefix(), p.steps().size() - 1), cached.encoder().skipped(), p.print());
            }
        }
        assertEquals(3, cache.size(), "40 texts in batches of 16: three batches, each computed once");
    }
}
