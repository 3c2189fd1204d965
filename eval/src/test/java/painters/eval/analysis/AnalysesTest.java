package painters.eval.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Two states, two examples, seq 2, hidden 2; example 0 has one padding position holding large
 * values that would dominate every number if padding were not excluded. Expected values by hand:
 * <pre>
 *   ex0 (real token t0 only): s0=[1,0], s1=[0,1]                      cos 0
 *   ex1: s0=[[1,1],[1,1]], s1=[[2,2],[2,-2]]: flattened dot 4, norms 2 and 4   cos 0.5
 *   cos-sim matrix off-diagonal: (0 + 0.5) / 2 = 0.25
 *   Block Influence: per-token cosines 0 (ex0 t0), 1 (ex1 t0), 0 (ex1 t1): BI = 1 - 1/3 = 2/3
 *   angular, last token: ex0 t0 [1,0]/[0,1] and ex1 t1 [1,1]/[2,-2] are orthogonal: 0.5
 *   angular, mean token: ex0 0.5; ex1 means [1,1]/[2,0]: cos 1/sqrt2, arccos = pi/4: 0.25; mean 0.375
 * </pre>
 */
class AnalysesTest {

    static final INDArray S0 = Nd4j.createFromArray(new float[][][] {{{1, 0}, {9, 9}}, {{1, 1}, {1, 1}}});
    static final INDArray S1 = Nd4j.createFromArray(new float[][][] {{{0, 1}, {7, 7}}, {{2, 2}, {2, -2}}});
    static final INDArray MASK = Nd4j.createFromArray(new float[][] {{1, 0}, {1, 1}});

    @Test
    void cosineMatrixExcludesPadding() {
        CosineSimilarityMatrix c = new CosineSimilarityMatrix(2);
        c.add(List.of(S0, S1), MASK);
        double[][] m = c.result();
        assertEquals(1.0, m[0][0], 1e-6);
        assertEquals(1.0, m[1][1], 1e-6);
        assertEquals(0.25, m[0][1], 1e-6);
        assertEquals(0.25, m[1][0], 1e-6);
        assertEquals(2, c.examples());
    }

    @Test
    void cosineMatrixIsAMeanOverBatches() {
        CosineSimilarityMatrix c = new CosineSimilarityMatrix(2);
        INDArray m0 = Nd4j.createFromArray(new float[][] {{1, 0}});
        c.add(List.of(S0.get(NDArrayIndex.interval(0, 1)),
                S1.get(NDArrayIndex.interval(0, 1))), m0);
        INDArray m1 = Nd4j.createFromArray(new float[][] {{1, 1}});
        c.add(List.of(S0.get(NDArrayIndex.interval(1, 2)),
                S1.get(NDArrayIndex.interval(1, 2))), m1);
        assertEquals(0.25, c.result()[0][1], 1e-6);
    }

    @Test
    void blockInfluenceAveragesRealTokens() {
        BlockInfluence bi = new BlockInfluence(2);
        bi.add(List.of(S0, S1), MASK);
        assertEquals(1, bi.result().length);
        assertEquals(2.0 / 3.0, bi.result()[0], 1e-6);
    }

    @Test
    void angularDistanceAtTheLastRealToken() {
        AngularDistance d = new AngularDistance(2, AngularDistance.Token.LAST);
        d.add(List.of(S0, S1), MASK);
        assertEquals(0.5, d.result()[0][1], 1e-6);
        assertTrue(Double.isNaN(d.result()[1][1]));
        assertTrue(Double.isNaN(d.result()[0][0]));
    }

    @Test
    void angularDistanceOfMeanTokens() {
        AngularDistance d = new AngularDistance(2, AngularDistance.Token.MEAN);
        d.add(List.of(S0, S1), MASK);
        assertEquals(0.375, d.result()[0][1], 1e-6);
    }

    @Test
    void identicalStatesHaveZeroDistanceAndInfluence() {
        BlockInfluence bi = new BlockInfluence(2);
        bi.add(List.of(S1, S1), MASK);
        assertEquals(0.0, bi.result()[0], 1e-6);
        AngularDistance d = new AngularDistance(2, AngularDistance.Token.LAST);
        d.add(List.of(S1, S1), MASK);
        assertEquals(0.0, d.result()[0][1], 1e-3);
    }

    @Test
    void shapeMismatchIsAnError() {
        CosineSimilarityMatrix c = new CosineSimilarityMatrix(3);
        assertThrows(IllegalArgumentException.class, () -> c.add(List.of(S0, S1), MASK));
        assertThrows(IllegalStateException.class, c::result);
    }
}
