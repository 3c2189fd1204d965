package painters.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.ModelFormatException;
import painters.model.weights.TensorMap;

/** Checkpoints that disagree with their config fail with the tensor's checkpoint name. */
class BertWeightsTest {

    static final BertConfig TINY = new BertConfig("bert", 50, 16, 2, 4, 32, 20, 2, 1e-12, "gelu", "absolute", 0);

    /** Random weights with the exact shapes a config asks for. */
    static Map<String, INDArray> randomWeights(BertConfig c, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> m = new LinkedHashMap<>();
        Nd4j.getRandom().setSeed(12345);                     // the draws below are the same every run
        BertTensors.layout(c).shapes().forEach((k, s) -> m.put(k, Nd4j.randn(DataType.FLOAT, s).muli(0.2)));
        return m;
    }

    @Test
    void acceptsACompleteCheckpointWithPrefixesAndExtras() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        randomWeights(TINY, 1).forEach((k, v) -> m.put("bert." + k, v));
        m.put("bert.embeddings.position_ids", Nd4j.arange(20).castTo(DataType.INT64));
        m.put("cls.predictions.bias", Nd4j.zeros(50));
        BertWeights w = BertWeights.from(TINY, new TensorMap("tiny.safetensors", m));
        assertEquals(TINY.parameterCount(), w.parameterCount());
    }

    @Test
    void missingTensorIsNamedWithItsExpectedShape() {
        Map<String, INDArray> m = randomWeights(TINY, 2);
        m.remove("encoder.layer.1.attention.self.key.bias");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BertWeights.from(TINY, new TensorMap("ckpt.safetensors", m)));
        assertTrue(e.getMessage().contains("ckpt.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.layer.1.attention.self.key.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("[16]"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithTheConfigIsNamed() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        randomWeights(TINY, 3).forEach((k, v) -> m.put("bert." + k, v));
        m.put("bert.encoder.layer.0.intermediate.dense.weight", Nd4j.zeros(DataType.FLOAT, 16, 32)); // transposed
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BertWeights.from(TINY, new TensorMap("ckpt.safetensors", m)));
        assertTrue(e.getMessage().contains("bert.encoder.layer.0.intermediate.dense.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[16, 32]") && e.getMessage().contains("[32, 16]"), e.getMessage());
    }

    @Test
    void twoNamesForOneTensorIsAnError() {
        Map<String, INDArray> m = randomWeights(TINY, 4);
        m.put("bert.embeddings.LayerNorm.gamma", Nd4j.ones(16));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BertWeights.from(TINY, new TensorMap("ckpt", m)));
        assertTrue(e.getMessage().contains("embeddings.LayerNorm.weight"), e.getMessage());
    }
}
