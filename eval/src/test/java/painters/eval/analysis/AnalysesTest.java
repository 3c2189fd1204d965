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

    /**
     * Token similarity by hand: example 0's one real token has no pair (left out); example 1's two tokens are equal at
     * state 0 (cosine 1) and orthogonal at state 1 (0).
     */
    @Test
    void tokenSimilarityPairsTheRealTokensOfOneText() {
        TokenSimilarity t = new TokenSimilarity(2);
        t.add(List.of(S0, S1), MASK);
        assertEquals(1, t.examples());
        assertEquals(1.0, t.result()[0], 1e-6);
        assertEquals(0.0, t.result()[1], 1e-6);
        assertTrue(Double.isNaN(t.stderr()[0]), "one example has no standard error");
    }

    /**
     * Three real tokens [1,0], [0,1], [1,1] and a padding position [9,9]: pair cosines 0, 1/sqrt2, 1/sqrt2, mean
     * sqrt2/3 = 0.47140 (with the padding counted it would be (0 + 3/sqrt2 + 2) / 6 = 0.68689); a second text [1,0],
     * [-1,0] gives -1; the mean over the two texts -0.26430, their standard error |0.47140 + 1| / 2 = 0.73570.
     */
    @Test
    void tokenSimilarityIsTheMeanOverTextsWithItsError() {
        INDArray s = Nd4j.createFromArray(new float[][][] {{{1, 0}, {0, 1}, {1, 1}, {9, 9}},
                {{1, 0}, {-1, 0}, {5, 5}, {7, -7}}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0}, {1, 1, 0, 0}});
        TokenSimilarity t = new TokenSimilarity(1);
        t.add(List.of(s), mask);
        double a = Math.sqrt(2) / 3;
        assertEquals((a - 1) / 2, t.result()[0], 1e-6);
        assertEquals((a + 1) / 2, t.stderr()[0], 1e-6);
        assertEquals(2, t.summary().examples());
        TokenSimilarity one = new TokenSimilarity(1);
        one.add(List.of(s.get(NDArrayIndex.interval(0, 1))), mask.get(NDArrayIndex.interval(0, 1)));
        assertEquals(a, one.result()[0], 1e-6);
        assertTrue(Math.abs(one.result()[0] - (3 / Math.sqrt(2) + 2) / 6) > 0.2, "padding counted");
    }

    /** Every position holding one direction (any lengths) is similarity 1: the collapse the analysis detects. */
    @Test
    void collapsedPositionsHaveSimilarityOne() {
        INDArray s = Nd4j.createFromArray(new float[][][] {{{1, 2}, {2, 4}, {0.5f, 1}}});
        TokenSimilarity t = new TokenSimilarity(1);
        t.add(List.of(s), Nd4j.ones(1, 3));
        assertEquals(1.0, t.result()[0], 1e-6);
    }
}
