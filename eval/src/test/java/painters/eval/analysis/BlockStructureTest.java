package painters.eval.analysis;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block structure against hand-built matrices: similarity that only decays with distance (the matrices the old
 * claim-1 rule called "reproduced") has contrast 0; a block matrix like the paper's heatmap has a large one, and its
 * blocks are found.
 */
class BlockStructureTest {

    static double[][] toeplitz(int n, IntToDoubleFunction f) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = f.applyAsDouble(Math.abs(i - j));
            }
        }
        return m;
    }

    /** 13 states: blocks 0..1, 2..10, 11..12; inside a block 0.9 - 0.01 d, across 0.3 - 0.01 d. */
    static double[][] blocks() {
        int n = 13;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int bi = i < 2 ? 0 : i < 11 ? 1 : 2;
                int bj = j < 2 ? 0 : j < 11 ? 1 : 2;
                m[i][j] = i == j ? 1 : (bi == bj ? 0.9 : 0.3) - 0.01 * Math.abs(i - j);
            }
        }
        return m;
    }

    @Test
    void similarityThatOnlyDecaysWithDistanceHasNoBlocks() {
        for (double tau : new double[] {8, 10, 12}) {
            BlockStructure.Fit f = BlockStructure.fit(toeplitz(13, d -> Math.exp(-d / tau)));
            assertEquals(0, f.contrast(), 1e-12, "exp decay tau " + tau);
        }
        assertEquals(0, BlockStructure.fit(toeplitz(13, d -> 1 - 0.09 * d)).contrast(), 1e-12, "linear decay");
    }

    @Test
    void aBlockMatrixHasALargeContrastAndItsBlocksAreFound() {
        BlockStructure.Fit f = BlockStructure.fit(blocks());
        assertEquals(2, f.middleStart());
        assertEquals(11, f.lastStart());
        assertTrue(f.contrast() > 0.5, "contrast " + f.contrast());
        // hand check of one segmentation's contrast at distance 1: inside 0.89 (10 pairs), across 0.29 (2 pairs)
        double[][] m = blocks();
        assertEquals(0.6, BlockStructure.contrast(m, 2, 11), 1e-9, "every distance with both kinds differs by 0.6");
    }

    @Test
    void theErrorComesFromTheExamplesAndBlocksStandOutOfIt() {
        Random r = new Random(7);
        List<double[][]> smooth = new ArrayList<>();
        List<double[][]> block = new ArrayList<>();
        double[][] b = blocks();
        double[][] s = toeplitz(13, d -> Math.exp(-d / 10.0));
        for (int e = 0; e < 60; e++) {
            smooth.add(noisy(s, r));
            block.add(noisy(b, r));
        }
        BlockStructure.Fit fs = BlockStructure.fit(smooth);
        BlockStructure.Fit fb = BlockStructure.fit(block);
        assertTrue(Double.isFinite(fs.se()) && fs.se() > 0);
        assertTrue(fs.contrast() < 0.05, "noise fitted by the best segmentation stays small: " + fs.contrast());
        assertTrue(fb.contrast() - 2 * fb.se() > 0.05, fb.toString());
    }

    static double[][] noisy(double[][] m, Random r) {
        int n = m.length;
        double[][] x = new double[n][n];
        for (int i = 0; i < n; i++) {
            x[i][i] = 1;
            for (int j = i + 1; j < n; j++) {
                x[i][j] = m[i][j] + 0.05 * r.nextGaussian();
                x[j][i] = x[i][j];
            }
        }
        return x;
    }

    @Test
    void perExampleMatricesRoundTripThroughTheirCsv(@TempDir Path dir)
            throws Exception {
        List<double[][]> xs = List.of(blocks(), toeplitz(13, d -> 1 - 0.05 * d));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            labels.add(i == 12 ? "out" : Integer.toString(i));
        }
        Path f = dir.resolve(AnalysisFiles.COSSIM_EXAMPLES_CSV);
        Files.writeString(f, AnalysisFiles.examplesCsv(labels, xs));
        List<double[][]> back = AnalysisFiles.readExamples(f);
        assertEquals(2, back.size());
        assertEquals(xs.get(0)[3][7], back.get(0)[3][7], 1e-6);
        assertEquals(xs.get(1)[12][0], back.get(1)[0][12], 1e-6);
        Files.writeString(f, "example,0-1,0-2\n0,0.5,0.4\n");
        IOException e = assertThrows(IOException.class, () -> AnalysisFiles.readExamples(f));
        assertTrue(e.getMessage().startsWith(f + ":1:"), e.getMessage());
    }
}
