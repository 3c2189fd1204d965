package painters.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import painters.model.weights.OnnxWeights;
import painters.model.weights.TensorMap;

/** The config recovered from the ONNX graph alone equals BGE-small's published config.json. */
class OnnxBertConfigTest {

    @Test
    void inferredConfigEqualsThePublishedOne() throws Exception {
        Onnx.ModelProto proto;
        try (InputStream in = getClass().getResourceAsStream(BertLoader.DEFAULT_ONNX)) {
            proto = OnnxWeights.parse(in, "classpath");
        }
        TensorMap t = OnnxWeights.read(proto, "classpath");
        // 5 embedding tensors + 16 per block: 125 carry HF names, the 72 Linear weights were named by the walk
        assertEquals(5 + 12 * 16, t.size());
        BertConfig published;
        try (InputStream in = getClass().getResourceAsStream(BertLoader.DEFAULT_CONFIG)) {
            published = BertHfConfig.read(new InputStreamReader(in, StandardCharsets.UTF_8), "config.json");
        }
        BertConfig inferred = OnnxBertConfig.infer(proto, t);
        assertEquals(published, inferred);
    }
}
