package painters.model.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.family.ModelFamily;
import painters.model.weights.TensorSpec;

/**
 * Untrained checkpoints from a config, as transformers initialises them: written in the family's HF format, loaded
 * back as any checkpoint; projections N(0, initializer_range) (GPT-2's c_proj at initializer_range / sqrt(2 n_layer)),
 * biases 0, norm scales 1 (Gemma's offset scales 0); a seed gives byte-identical files, another seed other weights.
 */
class DecoderInitTest {

    static final Path FAMILIES = Path.of("src/test/resources/families");

    static LoadedModel initialised(String variant, Path dir, long seed) throws Exception {
        Path config = FAMILIES.resolve(variant).resolve("config.json");
        ModelFamily f = ModelFamilies.all().stream().filter(x -> x.recognisesConfig(config.toString())).findFirst()
                .orElseThrow();
        f.writeInitialised(config, dir, seed);
        Files.copy(FAMILIES.resolve(variant).resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        return ModelFamilies.load(dir.toString());
    }

    static double std(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        double mean = d.meanNumber().doubleValue();
        return Math.sqrt(d.sub(mean).mul(d.sub(mean)).meanNumber().doubleValue());
    }

    @Test
    void eachKindOfTensorStartsAsTheFamilysCodeStartsIt(@TempDir Path dir) throws Exception {
        for (String variant : new String[] {"qwen2", "gpt2", "gemma"}) {
            DecoderModel m = (DecoderModel) initialised(variant, dir.resolve(variant), 7);
            DecoderConfig c = m.config();
            double streamStd = variant.equals("gpt2") ? 0.02 / Math.sqrt(2.0 * c.numLayers()) : 0.02;
            double worst = 0;
            for (TensorSpec t : m.weights().layout().all()) {
                INDArray a = m.weights().get(t.name());
                String n = t.name();
                boolean norm = n.contains("norm") || n.contains("ln_");
                boolean bias = n.endsWith(".bias");
                if (bias) {
                    assertEquals(0.0, a.castTo(DataType.DOUBLE).norm1Number().doubleValue(), variant + " " + n);
                } else if (norm) {
                    double want = c.spec().normOffset() == 1 ? 0 : 1;
                    assertEquals(want, a.minNumber().doubleValue(), variant + " " + n);
                    assertEquals(want, a.maxNumber().doubleValue(), variant + " " + n);
                } else if (a.length() >= 1000) {
                    boolean stream = n.endsWith("o_proj.weight") || n.endsWith("down_proj.weight")
                            || n.endsWith("c_proj.weight");
                    double rel = std(a) / (stream ? streamStd : 0.02) - 1;
                    worst = Math.max(worst, Math.abs(rel));
                    assertTrue(Math.abs(rel) < 0.15, variant + " " + n + ": std " + std(a) + " (" + a.length() + ")");
                    assertTrue(Math.abs(a.castTo(DataType.DOUBLE).meanNumber().doubleValue()) < 0.01, variant + " " + n);
                }
            }
            System.out.printf("[init] %s: projections' std within %.1f%% of initializer_range (stream %.4f)%n", variant,
                    100 * worst, streamStd);
        }
    }

    @Test
    void aSeedGivesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        initialised("qwen2", dir.resolve("a"), 3);
        initialised("qwen2", dir.resolve("b"), 3);
        initialised("qwen2", dir.resolve("c"), 4);
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
        assertThrows(UserInputException.class, () -> ModelFamilies.all().stream().filter(f -> f.name().equals("bert"))
                .findFirst().orElseThrow().writeInitialised(FAMILIES.resolve("qwen2/config.json"), dir.resolve("d"), 1));
    }
}
