package painters.sweep;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import painters.model.UserInputException;

/**
 * An Arbiter parameter space of {@code n} genes in [0, 1], handed back as they are (a plan search decodes them,
 * {@code PlanGenes}): one leaf, so Arbiter's random and genetic generators draw, cross and mutate them.
 */
public final class GeneSpace implements ParameterSpace<double[]> {

    private final int n;
    private int[] indices;

    public GeneSpace(int n) {
        if (n < 1) {
            throw new UserInputException("a gene space needs at least one gene");
        }
        this.n = n;
    }

    @Override
    public double[] getValue(double[] input) {
        if (indices == null) {
            throw new IllegalStateException("the generator has not assigned this space its indices");
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.min(1, Math.max(0, input[indices[i]]));
        }
        return g;
    }

    @Override
    public int numParameters() {
        return n;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        return List.of(this);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Collections.emptyMap();
    }

    @Override
    public boolean isLeaf() {
        return true;
    }

    @Override
    public void setIndices(int... indices) {
        if (indices.length != n) {
            throw new UserInputException("a space of " + n + " genes needs " + n + " indices, got " + indices.length);
        }
        this.indices = indices.clone();
    }
}
