package painters.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.protobuf.ByteString;
import painters.model.ModelFormatException;

/** Naming and transposing anonymous MatMul weights in hand-built ONNX graphs. */
class OnnxWeightsTest {

    static Onnx.TensorProto floats(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** x -> MatMul(x, onnx::MatMul_7) -> Add(prefix.bias, .) with the given MatMul node name. */
    static Onnx.ModelProto linear(String nodeName, String biasName) {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder()
                .addInitializer(floats("onnx::MatMul_7", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))  // [in=2, out=3]
                .addInitializer(floats(biasName, new long[] {3}, 0.5f, 0.25f, 0.125f))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").setName(nodeName)
                        .addInput("x").addInput("onnx::MatMul_7").addOutput("mm"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("add")
                        .addInput(biasName).addInput("mm").addOutput("y"))
                .build();
        return Onnx.ModelProto.newBuilder().setGraph(g).build();
    }

    @Test
    void namesTheMatMulWeightAfterItsBiasAndTransposesIt() {
        TensorMap m = OnnxWeights.read(linear("/encoder/layer.0/attention/self/query/MatMul",
                "encoder.layer.0.attention.self.query.bias"), "hand.onnx");
        assertTrue(m.contains("encoder.layer.0.attention.self.query.weight"));
        assertFalse(m.contains("onnx::MatMul_7"));
        var w = m.get("encoder.layer.0.attention.self.query.weight");
        assertArrayEquals(new long[] {3, 2}, w.shape());                                     // [out, in]
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.dup('c').data().asFloat());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, m.get("encoder.layer.0.attention.self.query.bias")
                .data().asFloat());
    }

    @Test
    void refusesWhenNodeScopeAndBiasDisagree() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWeights.read(
                linear("/encoder/layer.0/attention/self/key/MatMul", "encoder.layer.0.attention.self.query.bias"),
                "hand.onnx"));
        assertTrue(e.getMessage().contains("hand.onnx") && e.getMessage().contains("onnx::MatMul_7"), e.getMessage());
    }

    @Test
    void refusesAMatMulWithoutABias() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> OnnxWeights.read(linear("/x/MatMul", "not_a_bias"), "hand.onnx"));
        assertTrue(e.getMessage().contains("cannot name"), e.getMessage());
    }

    @Test
    void rawDataOfTheWrongSizeIsNamed() {
        Onnx.TensorProto bad = floats("embeddings.word_embeddings.weight", new long[] {4, 4}, 1, 2, 3);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWeights.toArray(bad, "m.onnx"));
        assertTrue(e.getMessage().contains("m.onnx") && e.getMessage().contains("embeddings.word_embeddings.weight"));
    }

    @Test
    void aFileThatIsNotOnnxIsNamed(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("model.onnx");
        Files.writeString(p, "this is not a protobuf, just text pretending to be a model");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWeights.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void externalDataIsRefusedWithAReason() {
        Onnx.TensorProto ext = Onnx.TensorProto.newBuilder().setName("big").addDims(2)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL).build();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWeights.toArray(ext, "m.onnx"));
        assertTrue(e.getMessage().contains("external data"));
    }
}
