package painters.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.plan.LayerPlan;

/**
 * Inference graphs hold the pretrained arrays themselves and never change them; graphs on one thread
 * share an array cache without overwriting what a call returned.
 */
class FrozenGraphsTest {

    @Test
    void encoderGraphsShareThePretrainedArraysAndNeverChangeThem() {
        BertModel m = BertLoader.defaultModel();
        Map<String, INDArray> tensors = m.weights().tensors();
        Map<String, Double> before = new HashMap<>();
        tensors.forEach((k, v) -> before.put(k, v.sumNumber().doubleValue()));
        BertEncoder a = BertEncoder.of(m.weights(), LayerPlan.parse("0-3,P(4-7)x2,8-11", 12));
        BertEncoder b = BertEncoder.of(m.weights(), LayerPlan.parse("0-11", 12));
        String q = "encoder.layer.5.attention.self.query.weight";
        assertSame(tensors.get(q).data(), a.graph().getVariable(q).getArr().data(), "no per-graph copy of " + q);
        assertSame(a.graph().getVariable(q).getArr().data(), b.graph().getVariable(q).getArr().data());
        var batch = m.tokenizer().encode(List.of("Frozen weights stay frozen.", "Even when two graphs share them."));
        INDArray first = b.forward(batch);
        INDArray kept = first.dup();
        // other graphs on this thread recycle intermediate arrays through one cache: returned arrays stay valid
        INDArray other = a.forward(batch);
        INDArray fromState = BertEncoder.from(m.weights(), LayerPlan.parse("0-11", 12), 6).forwardFrom(batch,
                b.capture(batch, List.of("resid_pre.6")).get("resid_pre.6"));
        assertEquals(0.0, b.forward(batch).sub(kept).amaxNumber().doubleValue(), "the same input, the same output");
        assertEquals(0.0, first.sub(kept).amaxNumber().doubleValue(), "an array a call returned was overwritten");
        assertEquals(0.0, fromState.sub(kept).amaxNumber().doubleValue(), "blocks 6-11 from the state after 0-5");
        assertEquals(false, other.equalsWithEps(kept, 1e-3), "different plans, different outputs");
        tensors.forEach((k, v) -> assertEquals(before.get(k), v.sumNumber().doubleValue(), 0.0, k + " changed"));
    }
}
