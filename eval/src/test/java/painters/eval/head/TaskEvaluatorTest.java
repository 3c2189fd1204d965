package painters.eval.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.metric.Metric;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskKind;
import painters.eval.task.TaskScore;
import painters.eval.task.TaskSpec;
import painters.model.UserInputException;

/** The three scoring protocols on synthetic features whose right answers are known. */
class TaskEvaluatorTest {

    /** Features: each example's text is "a,b,c" -> the vector (a, b, c). */
    static final Features PARSE = new Features() {
        @Override
        public INDArray pooled(List<Example> ex) {
            return rows(ex, 0);
        }

        @Override
        public INDArray pooledField(List<Example> ex, int field) {
            return rows(ex, field);
        }

        INDArray rows(List<Example> ex, int field) {
            float[][] x = new float[ex.size()][];
            for (int i = 0; i < x.length; i++) {
                String[] p = ex.get(i).texts().get(field).split(",");
                x[i] = new float[p.length];
                for (int j = 0; j < p.length; j++) {
                    x[i][j] = Float.parseFloat(p[j]);
                }
            }
            return Nd4j.createFromArray(x);
        }
    };

    static TaskSpec spec(TaskKind kind, Map<String, String> splits, List<String> text, List<Metric> metrics) {
        return new TaskSpec("t", 1, "", kind, "tsv", splits, "dev", false, text, "y",
                kind == TaskKind.CLASSIFICATION ? List.of("0", "1") : null, metrics, 0.5, false, 5, Map.of());
    }

    static List<Example> separable(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = i % 2;
            out.add(new Example("x:" + i, List.of((y * 3 + r.nextGaussian() * 0.3) + "," + r.nextGaussian()), y, Double.NaN));
        }
        return out;
    }

    @Test
    void similarityIsTheCosineAgainstGold() {
        // pairs whose cosine is known: (1,0) vs (cos t, sin t) -> cos t; gold = 5 cos t, so Spearman = Pearson = 1
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double t = i * 0.07;
            ex.add(new Example("x:" + i, List.of("1,0", Math.cos(t) + "," + Math.sin(t)), -1, 5 * Math.cos(t)));
        }
        TaskSpec s = spec(TaskKind.SIMILARITY, Map.of("dev", "d"), List.of("a", "b"), List.of(Metric.SPEARMAN, Metric.PEARSON));
        TaskScore score = TaskEvaluator.evaluate(new TaskData(s, ex, null, List.of(), "sum"), PARSE, HeadConfig.frozenProtocol(0), 0);
        assertEquals(1.0, score.values().get(Metric.SPEARMAN), 1e-9);
        assertEquals(1.0, score.values().get(Metric.PEARSON), 1e-6);
        assertTrue(score.protocol().startsWith("zero-shot"));
    }

    @Test
    void headTrainedOnTrainScoresDev() {
        TaskSpec s = spec(TaskKind.CLASSIFICATION, Map.of("train", "t", "dev", "d"), List.of("a"), List.of(Metric.ACCURACY));
        TaskScore score = TaskEvaluator.evaluate(new TaskData(s, separable(200, 2), separable(400, 1), List.of(), "sum"),
                PARSE, HeadConfig.frozenProtocol(0), 100);
        assertTrue(score.primaryValue() > 0.95, "accuracy " + score.primaryValue());
        assertTrue(score.protocol().contains("subsample of 100 of 400"), score.protocol());
        assertEquals(200, score.n());
    }

    @Test
    void devOnlyTasksUseCrossValidationOverEveryExample() {
        TaskSpec s = spec(TaskKind.CLASSIFICATION, Map.of("dev", "d"), List.of("a"), List.of(Metric.ACCURACY, Metric.MCC));
        TaskScore score = TaskEvaluator.evaluate(new TaskData(s, separable(250, 3), null, List.of(), "sum"), PARSE,
                HeadConfig.frozenProtocol(0), 0);
        assertEquals(250, score.n(), "out-of-fold predictions for every example");
        assertTrue(score.protocol().contains("5-fold cross-validation"), score.protocol());
        assertTrue(score.values().get(Metric.MCC) > 0.9);
    }

    @Test
    void separatePairsGiveTheHeadBothTextsAndTheirProduct() {
        INDArray x = PARSE.pooledSeparately(List.of(new Example("x:0", List.of("1,2", "3,-1"), 0, Double.NaN)));
        assertArrayEquals(new float[] {1, 2, 3, -1, 2, 3, 3, -2}, x.toFloatVector(), 0f, "[u, v, |u-v|, u*v]");
        // label = whether the two texts agree in sign: only u*v tells, linearly
        Random r = new Random(9);
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double a = r.nextBoolean() ? 1 : -1;
            double b = r.nextBoolean() ? 1 : -1;
            ex.add(new Example("x:" + i, List.of(a + "", b + ""), a == b ? 1 : 0, Double.NaN));
        }
        TaskSpec s = spec(TaskKind.CLASSIFICATION, Map.of("dev", "d"), List.of("a", "b"), List.of(Metric.ACCURACY));
        TaskData d = new TaskData(s, ex, null, List.of(), "sum");
        TaskScore sep = TaskEvaluator.evaluate(d, PARSE, HeadConfig.frozenProtocol(0), 0, PairEncoding.SEPARATE);
        TaskScore joint = TaskEvaluator.evaluate(d, PARSE, HeadConfig.frozenProtocol(0), 0, PairEncoding.JOINT);
        assertTrue(sep.primaryValue() > 0.95, "separate: " + sep.primaryValue());
        assertTrue(joint.primaryValue() < 0.65, "joint reads the first text only here: " + joint.primaryValue());
        assertTrue(sep.protocol().endsWith("each text encoded alone, head on [u, v, |u-v|, u*v]"), sep.protocol());
        assertTrue(joint.protocol().endsWith("the pair encoded together"), joint.protocol());
        assertThrows(IllegalArgumentException.class, () -> TaskEvaluator.evaluate(d, PARSE, HeadConfig.frozenProtocol(0),
                0, PairEncoding.AUTO));
        assertEquals(PairEncoding.SEPARATE, PairEncoding.AUTO.resolve(true));
        assertEquals(PairEncoding.JOINT, PairEncoding.AUTO.resolve(false));
        assertEquals(PairEncoding.JOINT, PairEncoding.JOINT.resolve(true));
        assertTrue(assertThrows(UserInputException.class, () -> PairEncoding.parse("both")).getMessage()
                .contains("\"pairs\""));
    }

    @Test
    void unlearnableLabelsScoreNearChance() {
        Random r = new Random(5);
        List<Example> noise = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            noise.add(new Example("x:" + i, List.of(r.nextGaussian() + "," + r.nextGaussian()), r.nextInt(2), Double.NaN));
        }
        TaskSpec s = spec(TaskKind.CLASSIFICATION, Map.of("dev", "d"), List.of("a"), List.of(Metric.ACCURACY));
        double acc = TaskEvaluator.evaluate(new TaskData(s, noise, null, List.of(), "sum"), PARSE,
                HeadConfig.frozenProtocol(0), 0).primaryValue();
        assertTrue(Math.abs(acc - 0.5) < 0.08, "CV must not leak labels: accuracy " + acc);
    }
}
