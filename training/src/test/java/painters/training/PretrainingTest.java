package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.graph.Gradients;

/**
 * A tiny Llama-architecture decoder pre-trained from its config on a character-level corpus: the held-out loss falls;
 * a run killed after its step-20 checkpoint resumes to the same curve and weights (1e-6); the untrained checkpoint
 * loads as any checkpoint, and a bad residual regime is refused before anything trains.
 */
class PretrainingTest {

    /** A 2-block, 32-wide Llama config (shared with the pretrain command's test). */
    static final Path CONFIG_FILE = Path.of("../model/src/test/resources/configs/tiny-llama-2x32.json");

    static LmCorpus corpus() {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "dog", "ran", "in", "park"};
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append(words[rnd.nextInt(words.length)]).append(' ').append(words[rnd.nextInt(words.length)])
                    .append(i % 7 == 6 ? ".\n" : " ");
        }
        return new LmCorpus("words.txt", "test", List.of(sb.toString()));
    }

    static Pretraining.Settings settings(Path config, String residual) {
        FineTuneConfig cfg = new FineTuneConfig(3e-3, 3, "cosine", 40, 8, 1, 1.0, 0.01, 0, 10, Double.NaN, 10, false,
                UnfreezePolicy.parse("every"), 0, 32, Gradients.RECOMPUTED);
        return new Pretraining.Settings(config, null, residual, 0, 11, 0.1, cfg);
    }

    @Test
    void lossFallsAndAKilledRunResumesToTheSameCurve(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.copy(CONFIG_FILE, config);
        Pretraining.Result whole = Pretraining.run(settings(config, null), corpus(), dir.resolve("whole"));
        List<CurvePoint> c = whole.run().curve();
        double first = c.get(0).primary();
        double last = c.get(c.size() - 1).primary();
        System.out.printf("[pretrain] tiny llama, 40 steps: held-out log-likelihood per token %.4f -> %.4f; %.0f tokens/s"
                + "%n", first, last, whole.tokensPerSecond());
        assertTrue(last > first + 1.0, "held-out loss falls by more than a nat: " + first + " -> " + last);

        Path killed = dir.resolve("killed");
        assertThrows(IllegalStateException.class, () -> Pretraining.run(settings(config, null), corpus(), killed, 20));
        Pretraining.Result resumed = Pretraining.run(settings(config, null), corpus(), killed);
        assertEquals(20, resumed.run().resumedFrom(), "resumed from the step-20 checkpoint");
        List<CurvePoint> r = resumed.run().curve();
        assertEquals(c.size(), r.size());
        for (int i = 0; i < c.size(); i++) {
            assertEquals(c.get(i).primary(), r.get(i).primary(), 1e-6, "point " + i);
            assertEquals(c.get(i).loss(), r.get(i).loss(), 1e-6, "point " + i);
        }
        double weights = 0;
        for (var e : whole.model().weights().tensors().entrySet()) {
            weights = Math.max(weights, Transforms.abs(e.getValue().castTo(DataType.DOUBLE).sub(resumed.model().weights()
                    .get(e.getKey()).castTo(DataType.DOUBLE))).maxNumber().doubleValue());
        }
        assertTrue(weights <= 1e-6, "resumed weights equal the whole run's: " + weights);
        LoadedModel init = ModelFamilies.load(whole.init().toString());
        assertEquals(2, init.numLayers());
        assertTrue(Transforms.abs(init.weights().tensors().values().iterator().next().castTo(DataType.DOUBLE)
                .sub(whole.model().weights().tensors().values().iterator().next().castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue() > 1e-3, "negative control: training changed the embedding table");
    }

    @Test
    void aBadResidualRegimeIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.copy(CONFIG_FILE, config);
        UserInputException e = assertThrows(UserInputException.class,
                () -> Pretraining.run(settings(config, "halved"), corpus(), dir.resolve("out")));
        assertTrue(e.getMessage().contains("residual \"halved\" is not a regime"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("out/checkpoints")), "nothing trained");
    }
}
