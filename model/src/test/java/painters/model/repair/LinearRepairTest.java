package painters.model.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;
import painters.model.bert.BertLoader;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.Part;

/**
 * The linear repair: its solver against exact linear functions and a hand-solved ridge; the identity for a plan that
 * removes nothing; on tiny decoder checkpoints, the folded model computes residual + m T exactly (what the fit
 * assumed), and on the calibration tokens the map never does worse than no map (T = I is one candidate); on BGE-small
 * (post-norm) the per-channel map folded into the output LayerNorm computes a * y + c.
 */
class LinearRepairTest {

    /** 60 seeded texts of 15 words: about 900 calibration tokens, well above the tiny models' hidden sizes. */
    static final List<String> CALIBRATION = texts(60, 1);

    static List<String> texts(int n, long seed) {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "dog", "ran", "in", "park", "layers", "paint", "shared",
            "canvas", "skip", "middle", "repair", "cut", "one", "two", "three", "four", "five", "six"};
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 15; w++) {
                sb.append(w == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void theSolverRecoversAnExactLinearFunction() {
        Random rnd = new Random(7);
        int n = 400;
        int d = 16;
        double[][] m = new double[n][d];
        double[][] a = new double[d][d];
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        double[][] goal = new double[n][d];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < d; j++) {
                m[k][j] = rnd.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                for (int c = 0; c < d; c++) {
                    goal[k][j] += m[k][c] * a[c][j];
                }
            }
        }
        INDArray want = Nd4j.createFromArray(a);
        double err = Transforms.abs(LeastSquares.solve(m, goal, 0).sub(want)).maxNumber().doubleValue();
        assertTrue(err < 1e-5, "exact linear function recovered: " + err);
        double ridged = Transforms.abs(LeastSquares.solve(m, goal, 0.1).sub(want)).maxNumber().doubleValue();
        assertTrue(ridged > 1e-3, "negative control: a ridge of 0.1 shrinks the map: " + ridged);
    }

    @Test
    void theRidgeIsScaledByTheMeanDiagonal() {
        // m = 2 I: m^T m = 4 I, mean diagonal 4; ridge 0.5 adds 2 I: T = (6 I)^-1 m^T goal = (2 / 6) goal
        double[][] m = {{2, 0}, {0, 2}};
        double[][] goal = {{3, 1}, {-6, 9}};
        INDArray t = LeastSquares.solve(m, goal, 0.5);
        assertEquals(1.0, t.getDouble(0, 0), 1e-12);
        assertEquals(1.0 / 3, t.getDouble(0, 1), 1e-12);
        assertEquals(-2.0, t.getDouble(1, 0), 1e-12);
        assertEquals(3.0, t.getDouble(1, 1), 1e-12);
    }

    static LoadedModel tiny(String variant) {
        return ModelFamilies.load(Path.of("src/test/resources/families").resolve(variant).toString());
    }

    @Test
    void aPlanThatRemovesNothingGetsTheIdentity() {
        LoadedModel m = tiny("qwen2");
        LinearRepair r = LinearRepair.fit(m, LayerPlan.identity(4), CALIBRATION, 4, 16, 0);
        assertEquals(-1, r.block());
        assertEquals(0.0, Transforms.abs(r.map().sub(Nd4j.eye(m.hiddenSize()).castTo(DataType.DOUBLE))).maxNumber()
                .doubleValue());
        assertSame(m, r.apply(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "phi3", "gpt_neox", "gpt2"})
    void theFoldedMapComputesWhatTheFitAssumed(String variant) {
        LoadedModel m = tiny(variant);
        LayerPlan plan = LayerPlan.parse("0,3", 4);
        LinearRepair r = LinearRepair.fit(m, plan, CALIBRATION, 4, 16, 0);
        assertEquals(0, r.block());
        assertEquals(List.of(1, 2), r.removed());
        LoadedModel repaired = r.apply(m);
        INDArray y = last(m, "0", CALIBRATION);
        INDArray y0 = last(m.withTensors(zeroDown(m), "no mlp"), "0", CALIBRATION);
        INDArray target = last(m, "0-2", CALIBRATION);
        INDArray fixed = last(repaired, "0", CALIBRATION);
        INDArray byHand = y0.add(y.sub(y0).mmul(r.map()));
        double fold = Transforms.abs(fixed.sub(byHand)).maxNumber().doubleValue()
                / Transforms.abs(byHand).maxNumber().doubleValue();
        double before = y.sub(target).norm2Number().doubleValue();
        double after = fixed.sub(target).norm2Number().doubleValue();
        System.out.printf("[repair] %s 0,3: folded vs residual + m T %.2e (relative to the largest value); |state - full model's after block 2| "
                + "%.4f -> %.4f on %d calibration tokens%n", variant, fold, before, after, r.rows());
        assertTrue(fold < 1e-5, variant + ": the fold computes residual + m T: " + fold);
        assertTrue(after < before, variant + ": least squares does no worse than the identity map");
        assertEquals(y.rows(), r.rows(), "every real calibration token is a row");
    }

    /**
     * A reorder, {@code 0,2,1,3} on tiny Qwen2: the map goes on block 1 (the last block run in the span's place) and is
     * fitted to the full model's state after block 2; the fold computes residual + m T there.
     */
    @Test
    void aReorderTakesTheMapOnTheLastBlockItRunsInTheSpan() {
        LoadedModel m = tiny("qwen2");
        LinearRepair r = LinearRepair.fit(m, LayerPlan.parse("0,2,1,3", 4), CALIBRATION, 4, 16, 0);
        assertEquals(1, r.block());
        assertEquals(List.of(1, 2), r.removed());
        assertEquals(List.of(2, 1), r.runInstead());
        assertTrue(r.describe().contains("blocks [1, 2] run as [2, 1]"), r.describe());
        LoadedModel repaired = r.apply(m);
        INDArray y = last(m, "0,2,1", CALIBRATION);
        INDArray y0 = last(m.withTensors(zeroDown(m, 1), "no mlp"), "0,2,1", CALIBRATION);
        INDArray target = last(m, "0-2", CALIBRATION);
        INDArray fixed = last(repaired, "0,2,1", CALIBRATION);
        INDArray byHand = y0.add(y.sub(y0).mmul(r.map()));
        double fold = Transforms.abs(fixed.sub(byHand)).maxNumber().doubleValue()
                / Transforms.abs(byHand).maxNumber().doubleValue();
        double before = y.sub(target).norm2Number().doubleValue();
        double after = fixed.sub(target).norm2Number().doubleValue();
        System.out.printf("[repair] qwen2 0,2,1,3: folded vs residual + m T %.2e (relative); |state - full model's after "
                + "block 2| %.4f -> %.4f%n", fold, before, after);
        assertTrue(fold < 1e-5, "the fold computes residual + m T: " + fold);
        assertTrue(after < before, "least squares does no worse than the identity map");
    }

    @Test
    void thePerChannelSolverRecoversAnExactAffineMap() {
        // y [n, 3]; z = a * y + c per channel, a = (2, -0.5, 0), c = (1, 0, -3); ridge 0 (floor 1e-6) recovers it
        Random rnd = new Random(3);
        double[] a = {2, -0.5, 0};
        double[] c = {1, 0, -3};
        double[][] y = new double[200][3];
        double[][] z = new double[200][3];
        for (int k = 0; k < y.length; k++) {
            for (int j = 0; j < 3; j++) {
                y[k][j] = rnd.nextGaussian() * (j + 1);
                z[k][j] = a[j] * y[k][j] + c[j];
            }
        }
        double[][] fit = LeastSquares.solveAffine(y, z, 0);
        for (int j = 0; j < 3; j++) {
            assertEquals(a[j], fit[0][j], 1e-5, "scale of channel " + j);
            assertEquals(c[j], fit[1][j], 1e-5, "shift of channel " + j);
        }
        double[][] ridged = LeastSquares.solveAffine(y, z, 0.5);
        assertTrue(Math.abs(ridged[0][0] - 2) > 0.1, "negative control: a ridge of 0.5 shrinks the scale: " + ridged[0][0]);
    }

    /**
     * BGE-small (post-norm) 0-4,8-11: the per-channel map folded into block 4's output LayerNorm computes a * y + c
     * exactly, and brings the state nearer to the full model's after block 7 on the calibration tokens.
     */
    @Test
    void aPostNormEncoderTakesAPerChannelMapInItsOutputNorm() {
        LoadedModel bge = BertLoader.defaultModel();
        LinearRepair r = LinearRepair.fit(bge, LayerPlan.parse("0-4,8-11", 12), CALIBRATION, 4, 16, 0);
        assertEquals(4, r.block());
        assertEquals(List.of(5, 6, 7), r.removed());
        assertTrue(r.shift() != null && r.describe().contains("output norm"), r.describe());
        LoadedModel repaired = r.apply(bge);
        INDArray y = last(bge, "0-4", CALIBRATION);
        INDArray target = last(bge, "0-7", CALIBRATION);
        INDArray fixed = last(repaired, "0-4", CALIBRATION);
        INDArray byHand = y.mulRowVector(Nd4j.diag(r.map())).addRowVector(r.shift());
        double fold = Transforms.abs(fixed.sub(byHand)).maxNumber().doubleValue()
                / Transforms.abs(byHand).maxNumber().doubleValue();
        double before = y.sub(target).norm2Number().doubleValue();
        double after = fixed.sub(target).norm2Number().doubleValue();
        System.out.printf("[repair] bge-small 0-4,8-11: folded vs a * y + c %.2e (relative); |state - full model's after "
                + "block 7| %.4f -> %.4f on %d calibration tokens%n", fold, before, after, r.rows());
        assertTrue(fold < 1e-5, "the fold computes a * y + c: " + fold);
        assertTrue(after < before, "least squares does no worse than a = 1, c = 0");
        assertTrue(Transforms.abs(fixed.sub(y)).maxNumber().doubleValue() > 1e-3, "negative control: the repair changes "
                + "block 4's output");
        assertEquals(y.rows(), r.rows(), "every real calibration token is a row");
    }

    @Test
    void modelsThatNormaliseTheMlpOutputAndPlansWithoutOneCutAreRefused() {
        UserInputException post = assertThrows(UserInputException.class, () -> LinearRepair.fit(tiny("gemma2"),
                LayerPlan.parse("0,3", 4), CALIBRATION, 4, 16, 0));
        assertTrue(post.getMessage().contains("normalises its MLP output before the residual add"), post.getMessage());
        LoadedModel q = tiny("qwen2");
        for (String p : List.of("0,P(1-2),3", "1-3", "0,M(1-2),3", "0-2,2-3", "0,2,1,2,3")) {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> LinearRepair.fit(q, LayerPlan.parse(p, 4), CALIBRATION, 4, 16, 0), p);
            assertTrue(e.getMessage().contains("one contiguous span"), p + ": " + e.getMessage());
        }
        assertTrue(assertThrows(UserInputException.class, () -> LinearRepair.fit(q, LayerPlan.parse("0,2,1,2,3", 4),
                CALIBRATION, 4, 16, 0)).getMessage().contains("block 2 would take the map but runs 2 times"));
    }

    static Map<String, INDArray> zeroDown(LoadedModel m) {
        return zeroDown(m, 0);
    }

    /** Block {@code block}'s down projection zeroed: the block without its MLP output. */
    static Map<String, INDArray> zeroDown(LoadedModel m, int block) {
        Map<String, INDArray> z = new LinkedHashMap<>();
        m.weights().layout().all().stream().filter(s -> s.block() == block && s.part() == Part.DOWN)
                .forEach(s -> z.put(s.name(), m.weights().get(s.name()).mul(0)));
        return z;
    }

    /** The state after the plan's last step, one row per real token, float64 [tokens, hidden]. */
    static INDArray last(LoadedModel m, String plan, List<String> texts) {
        HiddenStates hs = m.hiddenStates(LayerPlan.parse(plan, m.numLayers()));
        List<INDArray> rows = new ArrayList<>();
        for (TokenBatch b : hs.batches(texts, 4, 16)) {
            List<INDArray> st = hs.states(b);
            INDArray s = st.get(st.size() - 1).castTo(DataType.DOUBLE);
            for (int r = 0; r < b.batchSize(); r++) {
                for (int p = 0; p < b.length(r); p++) {
                    rows.add(s.get(NDArrayIndex.point(r), NDArrayIndex.point(p), NDArrayIndex.all()).reshape(1, -1));
                }
            }
        }
        return Nd4j.vstack(rows.toArray(INDArray[]::new));
    }
}
