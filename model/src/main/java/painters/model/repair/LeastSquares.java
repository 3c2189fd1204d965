package painters.model.repair;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.UserInputException;

/** The least-squares fits of a linear repair, in float64: a full map by the normal equations, a per-channel line. */
public final class LeastSquares {

    private LeastSquares() {}

    /**
     * The least-squares map T minimising {@code |m T - goal|^2 + lambda |T|^2}, lambda = max(ridge, 1e-6) x
     * mean(diag(m^T m)), in float64: the normal equations {@code (m^T m + lambda I) T = m^T goal}.
     */
    public static INDArray solve(double[][] m, double[][] goal, double ridge) {
        int d = m[0].length;
        int e = goal[0].length;
        double[][] a = new double[d][d];
        double[][] b = new double[d][e];
        for (int k = 0; k < m.length; k++) {
            double[] x = m[k];
            for (int i = 0; i < d; i++) {
                double xi = x[i];
                if (xi == 0) {
                    continue;
                }
                for (int j = 0; j <= i; j++) {
                    a[i][j] += xi * x[j];
                }
                for (int j = 0; j < e; j++) {
                    b[i][j] += xi * goal[k][j];
                }
            }
        }
        double meanDiag = 0;
        for (int i = 0; i < d; i++) {
            meanDiag += a[i][i] / d;
        }
        // a floor of 1e-6 keeps the equations solvable where the MLP output spans fewer dimensions than the stream
        // (an inner width below the hidden size): the map is then the least-squares solution of smallest norm there
        double lambda = Math.max(ridge, 1e-6) * meanDiag;
        for (int i = 0; i < d; i++) {
            a[i][i] += lambda;
        }
        // Cholesky a = L L^T (lower triangle of a), then L z = b, L^T t = z
        for (int j = 0; j < d; j++) {
            double diag = a[j][j];
            for (int k = 0; k < j; k++) {
                diag -= a[j][k] * a[j][k];
            }
            if (!(diag > 0)) {
                throw new UserInputException("repair linear: the calibration states' normal equations (" + d + " x " + d
                        + ", " + m.length + " rows) are not positive definite; give more calibration texts or a ridge");
            }
            a[j][j] = Math.sqrt(diag);
            for (int i = j + 1; i < d; i++) {
                double v = a[i][j];
                for (int k = 0; k < j; k++) {
                    v -= a[i][k] * a[j][k];
                }
                a[i][j] = v / a[j][j];
            }
        }
        double[][] t = new double[d][e];
        for (int c = 0; c < e; c++) {
            double[] z = new double[d];
            for (int i = 0; i < d; i++) {
                double v = b[i][c];
                for (int k = 0; k < i; k++) {
                    v -= a[i][k] * z[k];
                }
                z[i] = v / a[i][i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double v = z[i];
                for (int k = i + 1; k < d; k++) {
                    v -= a[k][i] * t[k][c];
                }
                t[i][c] = v / a[i][i];
            }
        }
        return Nd4j.createFromArray(t);
    }

    /**
     * Per channel c, the least-squares {@code a_c, c_c} minimising {@code sum (a_c y_c + c_c - z_c)^2 + lambda a_c^2},
     * lambda = max(ridge, 1e-6) x the mean over channels of y's variance (times the rows): {@code {a, c}}, float64.
     */
    public static double[][] solveAffine(double[][] y, double[][] z, double ridge) {
        int n = y.length;
        int d = y[0].length;
        double[] my = new double[d];
        double[] mz = new double[d];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < d; c++) {
                my[c] += y[k][c] / n;
                mz[c] += z[k][c] / n;
            }
        }
        double[] vy = new double[d];
        double[] cov = new double[d];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < d; c++) {
                double dy = y[k][c] - my[c];
                vy[c] += dy * dy;
                cov[c] += dy * (z[k][c] - mz[c]);
            }
        }
        double meanVar = 0;
        for (int c = 0; c < d; c++) {
            meanVar += vy[c] / d;
        }
        double lambda = Math.max(ridge, 1e-6) * meanVar;
        double[] a = new double[d];
        double[] shift = new double[d];
        for (int c = 0; c < d; c++) {
            a[c] = vy[c] + lambda > 0 ? cov[c] / (vy[c] + lambda) : 0;
            shift[c] = mz[c] - a[c] * my[c];
        }
        return new double[][] {a, shift};
    }
}
