package painters.model.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;

/**
 * Writes tensors as a safetensors file (atomically: a temporary file renamed into place). Float
 * tensors are stored in the requested float dtype (F32, F16 or BF16, rounded to nearest even);
 * integer tensors as I64.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    public static void write(Path file, Map<String, INDArray> tensors, DType floatType, Map<String, String> metadata)
            throws IOException {
        if (!(floatType == DType.F32 || floatType == DType.F16 || floatType == DType.BF16)) {
            throw new UserInputException("float tensors can be written as F32, F16 or BF16, not " + floatType);
        }
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue();
            DType t = a.dataType().isFPType() ? floatType : DType.I64;
            long bytes = a.length() * t.bytes();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.name());
            JsonArray shape = new JsonArray();
            for (long s : a.shape()) {
                shape.add(s);
            }
            o.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + bytes);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keep the data 8-byte aligned, as HF does
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
            out.write(len.array());
            out.write(json);
            for (int i = 0; i < pad; i++) {
                out.write(' ');
            }
            for (INDArray a : tensors.values()) {
                out.write(encode(a, a.dataType().isFPType() ? floatType : DType.I64));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] encode(INDArray a, DType t) {
        int n = (int) a.length();
        ByteBuffer b = ByteBuffer.allocate(n * t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t == DType.I64) {
            long[] v = a.castTo(DataType.INT64).dup('c').data().asLong();
            for (long x : v) {
                b.putLong(x);
            }
        } else {
            float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (float x : v) {
                switch (t) {
                    case F32 -> b.putFloat(x);
                    case F16 -> b.putShort(HalfFloats.floatToF16(x));
                    default -> b.putShort(HalfFloats.floatToBf16(x));
                }
            }
        }
        return b.array();
    }
}
