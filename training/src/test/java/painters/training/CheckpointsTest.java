package painters.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.model.UserInputException;

/** LATEST names a checkpoint of its own folder, never a path out of it; a checkpoint keeps its curve's items. */
class CheckpointsTest {

    @Test
    void latestOutsideTheFolderIsRefused(@TempDir Path dir) throws Exception {
        Path ckpt = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("elsewhere"));
        for (String bad : new String[] {"../elsewhere", "/etc", "step-1/../../elsewhere", "x"}) {
            Files.writeString(ckpt.resolve(Checkpoints.LATEST), bad + "\n");
            UserInputException e = assertThrows(UserInputException.class, () -> Checkpoints.latest(ckpt));
            assertTrue(e.getMessage().contains("not a checkpoint of this folder"), e.getMessage());
        }
    }

    /** A curve point's held-out items survive a checkpoint (a resumed run keeps them); a point without them has none. */
    @Test
    void curveItemsSurviveACheckpoint(@TempDir Path dir) throws Exception {
        ItemScores windows = ItemScores.Sums.builder().add(Map.of(Metric.PERPLEXITY, new double[] {-12.5, 5}), null)
                .add(Map.of(Metric.PERPLEXITY, new double[] {-3.25, 2}), null).build();
        ItemScores heads = new ItemScores.Classes(new int[] {1, 0, 2}, new int[] {1, 1, 2}, Set.of(Metric.ACCURACY));
        List<CurvePoint> curve = List.of(
                new CurvePoint(0, 0, 0, Double.NaN, Map.of(Metric.PERPLEXITY, 8.0), Map.of(), 1, 0, Map.of(), Map.of(),
                        windows),
                new CurvePoint(1, 4, 40, 2.5, Map.of(Metric.ACCURACY, 2 / 3.0), Map.of(), 1, 1, Map.of(), Map.of(), heads),
                new CurvePoint(2, 8, 80, 2.0, Map.of(Metric.ACCURACY, 0.5), 0.5, 2));
        Checkpoints.save(dir, new Checkpoints.State(2, 8, 80, Map.of("w", Nd4j.ones(DataType.FLOAT, 2)),
                Map.of("w.m", Nd4j.zeros(DataType.FLOAT, 2)), curve, "f", 0, 0, 2.5, Map.of()));
        List<CurvePoint> back = Checkpoints.load(dir).curve();
        int[] all = ItemScores.all(2);
        assertEquals(Math.exp(15.75 / 7), back.get(0).items().value(Metric.PERPLEXITY, all), 1e-12, "exp(-sum ll / tokens)");
        assertEquals(2 / 3.0, back.get(1).items().value(Metric.ACCURACY, ItemScores.all(3)), 1e-12);
        assertEquals(3, back.get(1).items().size());
        assertNull(back.get(2).items());
        assertEquals(curve, back, "the curve comes back equal, items compared item by item");
        // negative control: one changed prediction makes another curve
        ItemScores other = new ItemScores.Classes(new int[] {1, 0, 2}, new int[] {1, 0, 2}, Set.of(Metric.ACCURACY));
        assertNotEquals(heads, other);
        assertNotEquals(windows, ItemScores.Sums.builder().add(Map.of(Metric.PERPLEXITY, new double[] {-12.5, 5}), null)
                .add(Map.of(Metric.PERPLEXITY, new double[] {-3.5, 2}), null).build());
    }

    /** Negative control: the names save() writes resolve inside the folder; no LATEST is no checkpoint. */
    @Test
    void theNamesSaveWritesResolve(@TempDir Path dir) throws Exception {
        assertNull(Checkpoints.latest(dir));
        Files.writeString(dir.resolve(Checkpoints.LATEST), "step-000030\n");
        assertEquals(dir.resolve("step-000030"), Checkpoints.latest(dir));
    }
}
