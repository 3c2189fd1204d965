package painters.model.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.ModelFormatException;
import painters.model.family.ModelFamilies;
import painters.model.family.Residual;
import painters.model.plan.LayerPlan;
import painters.model.weights.Part;

/**
 * Residual regimes on one block of a tiny Qwen2 checkpoint with one sub-layer zeroed, against what the standard block
 * computes (the hand-built case: {@code h = a x + A(n1(x)), y = a h + M(n2(h))}); the regime is read from config.json.
 */
class ResidualTest {

    static final Path QWEN2 = Path.of("src/test/resources/families/qwen2");
    static final List<int[]> SEQS = List.of(new int[] {1, 5, 9, 17, 33, 40}, new int[] {1, 7, 7, 60, 2, 11});

    static DecoderModel tiny() {
        return (DecoderModel) ModelFamilies.load(QWEN2.toString());
    }

    static DecoderWeights regime(DecoderWeights w, double a) {
        DecoderConfig c = w.config();
        return DecoderWeights.of(c.withSpec(c.spec().withResidualScale(a), c.hiddenAct()), w.source(), w.tensors());
    }

    static Map<String, INDArray> zeroed(DecoderModel m, Part part) {
        Map<String, INDArray> z = new LinkedHashMap<>();
        m.weights().layout().all().stream().filter(s -> s.block() == 0 && s.part() == part)
                .forEach(s -> z.put(s.name(), m.weights().get(s.name()).mul(0)));
        return z;
    }

    /** {@code [embedding, state after block 0]} under the plan "0", float64. */
    static List<INDArray> states(DecoderWeights w) {
        return DecoderGraph.of(w, LayerPlan.parse("0", w.config().numLayers())).hiddenStates(SEQS).stream()
                .map(a -> a.castTo(DataType.DOUBLE)).toList();
    }

    static double maxAbs(INDArray a) {
        return Transforms.abs(a).maxNumber().doubleValue();
    }

    /**
     * With one sub-layer zeroed the block is {@code y = a (a x + A(x)) + 0} (MLP's down projection zeroed) or
     * {@code y = a (a x) + M(n2(a x)) = a^2 x + M(n2(x))} (attention output zeroed; RMSNorm is scale-free): both follow
     * from the standard block's output (a = 1 gives A(x) or M(n2(x)) as y - x) for a = 0.5, and a = 0 gives exactly 0.
     */
    @Test
    void eachResidualAddIsScaledAndNoneRemovesIt() {
        DecoderModel m = tiny();
        for (Part zero : List.of(Part.DOWN, Part.O)) {
            DecoderWeights w = m.withTensors(zeroed(m, zero), "no " + zero).weights();
            List<INDArray> standard = states(w);
            INDArray x = standard.get(0);
            INDArray f = standard.get(1).sub(x);                         // the live sub-layer's output at a = 1
            double a = 0.5;
            INDArray want = zero == Part.DOWN ? x.mul(a * a).add(f.mul(a)) : x.mul(a * a).add(f);
            double scaled = maxAbs(states(regime(w, a)).get(1).sub(want));
            double none = maxAbs(states(regime(w, 0)).get(1));
            double control = maxAbs(states(regime(w, a)).get(1).sub(standard.get(1)));
            System.out.printf("[residual] %s zeroed: scaled(0.5) vs a^2 x + ... %.2e; none %.2e (exactly 0 expected); "
                    + "scaled vs standard %.3f (negative control)%n", zero, scaled, none, control);
            assertTrue(scaled < 1e-4, zero + ": scaled(0.5) follows a x + f at each add: " + scaled);
            assertEquals(0.0, none, zero + ": without residuals the block outputs its zeroed sub-layer's 0");
            assertTrue(control > 0.1, zero + ": negative control, the regimes differ: " + control);
        }
    }

    @Test
    void theRegimeIsReadFromConfigJsonAndABadOneNamesTheKey(@TempDir Path dir) throws Exception {
        for (String f : List.of("model.safetensors", "tokenizer.json")) {
            Files.copy(QWEN2.resolve(f), dir.resolve(f));
        }
        String config = Files.readString(QWEN2.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replaceFirst("\\{", "{\"painters_residual\": \"none\","));
        DecoderModel none = (DecoderModel) ModelFamilies.load(dir.toString());
        assertEquals(0.0, none.config().spec().residualScale());
        assertTrue(none.describe().stream().anyMatch(l -> l.contains("residual connections none")), none.describe()
                .toString());
        assertEquals(1.0, tiny().config().spec().residualScale(), "released checkpoints: standard");
        Files.writeString(dir.resolve("config.json"), config.replaceFirst("\\{", "{\"painters_residual\": \"halved\","));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFamilies.load(dir.toString()));
        assertTrue(e.getMessage().contains("painters_residual") && e.getMessage().contains("halved")
                && e.getMessage().contains("config.json"), e.getMessage());
        assertEquals(0.25, Residual.scale("scaled(0.25)"));
        assertEquals("scaled(0.25)", Residual.name(0.25));
    }
}
