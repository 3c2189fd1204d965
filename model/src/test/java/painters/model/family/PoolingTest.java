package painters.model.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Pooling and normalisation against values worked out by hand. */
class PoolingTest {

    // batch 2, seq 3, hidden 2; row 1 has one padding position holding garbage (100, 100)
    static final INDArray H = Nd4j.createFromArray(new float[][][] {
        {{1, 2}, {3, 4}, {5, 6}},
        {{2, 0}, {4, 2}, {100, 100}}});
    static final INDArray MASK = Nd4j.createFromArray(new float[][] {{1, 1, 1}, {1, 1, 0}});

    @Test
    void clsTakesTheFirstToken() {
        assertArrayEquals(new float[] {1, 2, 2, 0}, Pooling.CLS.pool(H, MASK).data().asFloat());
    }

    @Test
    void meanIgnoresPadding() {
        // row 0: ((1+3+5)/3, (2+4+6)/3) = (3, 4); row 1: ((2+4)/2, (0+2)/2) = (3, 1)
        assertArrayEquals(new float[] {3, 4, 3, 1}, Pooling.MEAN.pool(H, MASK).data().asFloat(), 1e-6f);
    }

    @Test
    void l2NormalizeAndCosine() {
        INDArray x = Nd4j.createFromArray(new float[][] {{3, 4}, {0, 2}});
        assertArrayEquals(new float[] {0.6f, 0.8f, 0, 1}, Pooling.l2Normalize(x).data().asFloat(), 1e-6f);
        INDArray y = Nd4j.createFromArray(new float[][] {{4, -3}, {0, 5}});
        assertArrayEquals(new float[] {0, 1}, Pooling.rowCosine(x, y).data().asFloat(), 1e-6f);
    }
}
