package painters.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reading F32 / F16 / BF16 / I64 tensors and sharded checkpoints, against hand-made bytes. */
class SafetensorsFormatTest {

    @TempDir
    Path dir;

    /** Bytes written by hand (not by our writer): F16 and BF16 values with known encodings. */
    @Test
    void decodesHandWrittenHalfPrecisionBytes() throws IOException {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001
        // BF16: 1.0 = 0x3F80, -2.0 = 0xC000, 3.140625 = 0x4049
        short[] f16 = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001};
        short[] bf16 = {0x3F80, (short) 0xC000, 0x4049};
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[14,30]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 30).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        for (short s : f16) {
            buf.putShort(s);
        }
        for (short s : bf16) {
            buf.putShort(s);
        }
        buf.putLong(7).putLong(-3);
        Path p = dir.resolve("half.safetensors");
        Files.write(p, buf.array());

        TensorMap m = SafetensorsFile.open(p).readAll();
        assertArrayEquals(new long[] {2, 2}, m.get("h").shape());
        assertArrayEquals(new float[] {1f, -2f, 65504f, (float) Math.pow(2, -24)}, m.get("h").data().asFloat());
        assertArrayEquals(new float[] {1f, -2f, 3.140625f}, m.get("b").data().asFloat());
        assertEquals(DataType.INT64, m.get("i").dataType());
        assertArrayEquals(new long[] {7, -3}, m.get("i").data().asLong());
    }

    @Test
    void halfPrecisionRoundTripIsWithinItsPrecision() throws IOException {
        Nd4j.getRandom().setSeed(12345);                     // the draws below are the same every run
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 32).subi(0.5).muli(8);
        for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            Path p = dir.resolve("rt-" + t + ".safetensors");
            SafetensorsWriter.write(p, Map.of("x", x), t, Map.of());
            INDArray back = SafetensorsFile.open(p).read("x");
            double maxRel = x.sub(back).norm2Number().doubleValue() / x.norm2Number().doubleValue();
            double bound = switch (t) {
                case F32 -> 0;
                case F16 -> 1e-3;   // 11-bit mantissa: rel. rounding error <= 2^-11
                default -> 8e-3;    // 8-bit mantissa:  rel. rounding error <= 2^-8
            };
            assertTrue(maxRel <= bound, t + " relative error " + maxRel + " > " + bound);
            assertEquals("F32".equals(t.name()), maxRel == 0.0, t + " exactness");
        }
    }

    @Test
    void shardedCheckpointIsReadWhole() throws IOException {
        Map<String, INDArray> a = new LinkedHashMap<>();
        a.put("layer.0.w", Nd4j.arange(6).reshape(2, 3).castTo(DataType.FLOAT));
        Map<String, INDArray> b = new LinkedHashMap<>();
        b.put("layer.1.w", Nd4j.arange(1, 5).castTo(DataType.FLOAT).mul(-1));
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), a, DType.F32, Map.of());
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), b, DType.BF16, Map.of());
        Files.writeString(dir.resolve(Safetensors.INDEX), "{\"metadata\":{\"total_size\":40},\"weight_map\":{"
                + "\"layer.0.w\":\"model-00001-of-00002.safetensors\","
                + "\"layer.1.w\":\"model-00002-of-00002.safetensors\"}}");
        TensorMap m = Safetensors.read(dir);
        assertEquals(2, m.size());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, m.get("layer.0.w").data().asFloat());
        assertArrayEquals(new float[] {-1, -2, -3, -4}, m.get("layer.1.w").data().asFloat());
    }
}
