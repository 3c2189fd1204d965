package painters.eval.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RouterTest {

    /** The analytic gradient of the expected cost matches central finite differences. */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        int n = 7;
        int d = 3;
        int k = 4;
        double[][] z = new double[n][d];
        double[][] cost = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = r.nextGaussian();
            }
            for (int c = 0; c < k; c++) {
                cost[i][c] = r.nextDouble() * 2;
            }
        }
        double[][] w = new double[d][k];
        double[] b = new double[k];
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < k; c++) {
                w[j][c] = r.nextGaussian() * 0.5;
            }
        }
        for (int c = 0; c < k; c++) {
            b[c] = r.nextGaussian() * 0.5;
        }
        double l2 = 0.3;
        double[][] gw = new double[d][k];
        double[] gb = new double[k];
        Router.gradient(z, cost, w, b, l2, gw, gb);
        double h = 1e-6;
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < k; c++) {
                double keep = w[j][c];
                w[j][c] = keep + h;
                double up = Router.gradient(z, cost, w, b, l2, new double[d][k], new double[k]);
                w[j][c] = keep - h;
                double down = Router.gradient(z, cost, w, b, l2, new double[d][k], new double[k]);
                w[j][c] = keep;
                assertEquals((up - down) / (2 * h), gw[j][c], 1e-7, "dJ/dW[" + j + "][" + c + "]");
            }
        }
        for (int c = 0; c < k; c++) {
            double keep = b[c];
            b[c] = keep + h;
            double up = Router.gradient(z, cost, w, b, l2, new double[d][k], new double[k]);
            b[c] = keep - h;
            double down = Router.gradient(z, cost, w, b, l2, new double[d][k], new double[k]);
            b[c] = keep;
            assertEquals((up - down) / (2 * h), gb[c], 1e-7, "dJ/db[" + c + "]");
        }
    }

    /**
     * Worked case: inputs at x = -1 cost 0 on plan 0 and 1 on plan 1, inputs at x = +1 the reverse. The router sends
     * each input to its cheap plan; a penalty of 2 on plan 1 makes plan 0 cheaper for everyone, and it is chosen
     * everywhere.
     */
    @Test
    void routesEachInputToItsCheapestPlan() {
        double[][] x = new double[40][];
        double[][] cost = new double[40][];
        double[][] penalised = new double[40][];
        int[] cheap = new int[40];
        for (int i = 0; i < 40; i++) {
            boolean left = i % 2 == 0;
            x[i] = new double[] {left ? -1 : 1, (i % 5) * 0.01};
            cost[i] = left ? new double[] {0, 1} : new double[] {1, 0};
            penalised[i] = new double[] {cost[i][0], cost[i][1] + 2};
            cheap[i] = left ? 0 : 1;
        }
        Router.Fit fit = new Router.Fit(200, 0.1, 0.0);
        Router r = Router.fit(x, cost, fit);
        assertArrayEquals(cheap, r.route(x));
        assertTrue(r.objective() < 0.05, "expected cost near 0, got " + r.objective());
        double[] p = r.probabilities(new double[] {-1, 0});
        assertTrue(p[0] > 0.95, "plan 0 for x = -1: " + p[0]);
        assertArrayEquals(new int[40], Router.fit(x, penalised, fit).route(x));
    }

    @Test
    void refusesFewerThanTwoPlansAndMismatchedRows() {
        Router.Fit fit = new Router.Fit(10, 0.1, 0);
        assertThrows(IllegalArgumentException.class, () -> Router.fit(new double[][] {{1}}, new double[][] {{0}}, fit));
        assertThrows(IllegalArgumentException.class,
                () -> Router.fit(new double[][] {{1}, {2}}, new double[][] {{0, 1}}, fit));
        assertThrows(IllegalArgumentException.class, () -> new Router.Fit(0, 0.1, 0));
    }
}
