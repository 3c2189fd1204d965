package painters.model.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.ModelFormatException;

/** Corrupt or hostile safetensors files fail with a message naming the file and the tensor. */
class SafetensorsHostileInputTest {

    @TempDir
    Path dir;

    /** A file with the given declared header length, header text and data section. */
    Path craft(String name, long declaredLen, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLen).put(h).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    Path craft(String name, String header, byte[] data) throws IOException {
        return craft(name, header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    static ModelFormatException fails(Path p) {
        return assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p).readAll());
    }

    static void mentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" should mention " + part);
        }
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path p = dir.resolve("tiny.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        mentions(fails(p), "tiny.safetensors", "truncated");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path p = craft("beyond.safetensors", 5000, "{}", new byte[0]);
        mentions(fails(p), "beyond.safetensors", "beyond the end of the file");
    }

    @Test
    void headerLengthAbove100MB() throws IOException {
        Path p = craft("huge.safetensors", 200L * 1024 * 1024, "{}", new byte[0]);
        mentions(fails(p), "huge.safetensors", "limit");
    }

    @Test
    void truncatedDataSection() throws IOException {
        Path p = craft("trunc.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[8]);
        mentions(fails(p), "trunc.safetensors", "\"w\"", "out of range");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        Path p = craft("oor.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[100,104]}}", new byte[4]);
        mentions(fails(p), "oor.safetensors", "\"w\"", "out of range");
    }

    @Test
    void offsetsThatDisagreeWithTheShape() throws IOException {
        Path p = craft("size.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        mentions(fails(p), "size.safetensors", "\"w\"", "needs 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path p = craft("overlap.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        mentions(fails(p), "overlap.safetensors", "\"a\"", "\"b\"", "overlap");
    }

    @Test
    void unknownDtype() throws IOException {
        Path p = craft("dtype.safetensors",
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", new byte[4]);
        mentions(fails(p), "dtype.safetensors", "\"w\"", "F8_E4M3");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path p = craft("json.safetensors", "{not json", new byte[0]);
        mentions(fails(p), "json.safetensors", "JSON");
    }

    @Test
    void negativeDimension() throws IOException {
        Path p = craft("neg.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]);
        mentions(fails(p), "neg.safetensors", "\"w\"", "negative");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path p = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(p, Map.of("present", Nd4j.ones(2)), DType.F32, Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p).read("absent"));
        mentions(e, "ok.safetensors", "\"absent\"");
    }

    @Test
    void shardIndexPointingAtAMissingShard() throws IOException {
        Path index = dir.resolve(Safetensors.INDEX);
        Files.writeString(index, "{\"weight_map\":{\"w\":\"model-00001-of-00002.safetensors\"}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
        mentions(e, Safetensors.INDEX, "model-00001-of-00002.safetensors");
    }

    @Test
    void shardIndexNamingATensorItsShardLacks() throws IOException {
        SafetensorsWriter.write(dir.resolve("s1.safetensors"), Map.of("a", Nd4j.ones(2)), DType.F32, Map.of());
        Files.writeString(dir.resolve(Safetensors.INDEX), "{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\"}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir));
        mentions(e, "\"b\"", "s1.safetensors");
    }
}
