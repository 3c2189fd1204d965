package painters.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.family.ModelFamilies;

/** A checkpoint with NaN or infinite weights is refused at load, naming the tensor (never scored as if valid). */
class NonFiniteWeightsTest {

    static final Path QWEN2 = Path.of("src/test/resources/families/qwen2");

    /** A copy of the qwen2 checkpoint with {@code value} written into {@code count} entries of {@code tensor}. */
    static Path poisoned(Path dir, String tensor, float value, int count) throws Exception {
        for (String f : new String[] {"config.json", "tokenizer.json", "generation_config.json"}) {
            if (Files.exists(QWEN2.resolve(f))) {
                Files.copy(QWEN2.resolve(f), dir.resolve(f));
            }
        }
        Map<String, INDArray> t = new LinkedHashMap<>(Safetensors.read(QWEN2).tensors());
        INDArray a = t.get(tensor).dup();
        for (int i = 0; i < count; i++) {
            a.putScalar(i, value);
        }
        t.put(tensor, a);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t, DType.F32, Map.of("format", "pt"));
        return dir;
    }

    @Test
    void anAllNanTensorIsRefusedByName(@TempDir Path dir) throws Exception {
        String name = "model.layers.1.mlp.down_proj.weight";
        long n = Safetensors.read(QWEN2).tensors().get(name).length();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFamilies.load(poisoned(dir, name, Float.NaN, (int) n).toString()));
        assertTrue(e.getMessage().contains("\"" + name + "\"") && e.getMessage().contains(n + " NaN or infinite"),
                e.getMessage());
    }

    @Test
    void oneInfiniteValueIsEnough(@TempDir Path dir) throws Exception {
        String name = "model.embed_tokens.weight";
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFamilies.load(poisoned(dir, name, Float.NEGATIVE_INFINITY, 1).toString()));
        assertTrue(e.getMessage().contains("holds 1 NaN or infinite"), e.getMessage());
    }

    /** Negative control: the same copy with a finite change loads. */
    @Test
    void finiteValuesLoad(@TempDir Path dir) throws Exception {
        assertEquals("qwen", ModelFamilies.load(poisoned(dir, "model.embed_tokens.weight", 1e30f, 3).toString()).family());
    }
}
