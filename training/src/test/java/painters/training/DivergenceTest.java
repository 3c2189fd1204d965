package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.metric.Metric;

/** A loss that explodes stops the run with one clear line, and the last good checkpoint stays the newest. */
class DivergenceTest {

    /** One parameter; the losses of successive micro-batches are given. */
    static Trainable scripted(double... losses) {
        INDArray w = Nd4j.zeros(DataType.FLOAT, 2);
        Iterator<Double> it = Arrays.stream(losses).boxed().iterator();
        return new Trainable() {
            @Override
            public Map<String, INDArray> parameters() {
                return Map.of("w", w);
            }

            @Override
            public Set<String> decayed() {
                return Set.of();
            }

            @Override
            public long trainableCount() {
                return 2;
            }

            @Override
            public Micro micro(long index) {
                return new Micro(it.next(), Map.of("w", Nd4j.ones(DataType.FLOAT, 2)), 1, 1);
            }

            @Override
            public Evaluation evaluate() {
                return new Evaluation(Map.of(Metric.ACCURACY, 0.5), 0.5);
            }
        };
    }

    static FineTuneConfig cfg(int steps) {
        return new FineTuneConfig(1e-3, 0, "constant", steps, 1, 1, 0, 0, 0, 1, Double.NaN, 1, false,
                UnfreezePolicy.parse("all"), 0, 8);
    }

    @Test
    void anExplodingLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        // 29.9 -> 1,734 is what --lr 1 did to BGE-small; here after two healthy steps
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TrainingLoop.run(scripted(29.9, 25.0, 1734.0, 1.0), cfg(4), dir, "fp", "run", 0));
        assertTrue(e.getMessage().contains("diverged at step 3") && e.getMessage().contains("58x")
                && e.getMessage().contains("step-000002"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(2, Checkpoints.load(dir).step(), "the broken step was not saved");
    }

    @Test
    void theMessageSaysWhenNoCheckpointWasWritten(@TempDir Path dir) {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TrainingLoop.run(scripted(Double.NaN), cfg(3), dir.resolve("ck"), "fp", "run", 0));
        assertTrue(e.getMessage().contains("no checkpoint had been written"), e.getMessage());
        e = assertThrows(TrainingDivergedException.class,
                () -> TrainingLoop.run(scripted(2.0, 30.0), cfg(2), null, "fp", "run", 0));
        assertTrue(e.getMessage().contains("15x") && !e.getMessage().contains("checkpoint"), e.getMessage());
    }

    @Test
    void aLossThatMerelyWobblesOrStaysSmallIsNotDivergence() throws Exception {
        // 10x but by less than the margin (0.1 -> 1.5), and a rise under 10x (5 -> 40): both go on
        assertEquals(3, TrainingLoop.run(scripted(0.1, 1.5, 0.2), cfg(3), null, "fp", "run", 0).last().step());
        assertEquals(3, TrainingLoop.run(scripted(5.0, 40.0, 6.0), cfg(3), null, "fp", "run", 0).last().step());
    }
}
