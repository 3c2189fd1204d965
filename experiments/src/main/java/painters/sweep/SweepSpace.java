package painters.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import painters.model.UserInputException;

/**
 * Named Arbiter parameter spaces as one space whose values are maps (name -> value). Arbiter's
 * generators assign each leaf its indices into the flat parameter vector; this class only gathers
 * the leaves and reads them back by name.
 */
public final class SweepSpace implements ParameterSpace<Map<String, Object>> {

    private final Map<String, ParameterSpace<?>> spaces;

    public SweepSpace(Map<String, ParameterSpace<?>> spaces) {
        if (spaces.isEmpty()) {
            throw new UserInputException("a sweep needs at least one parameter");
        }
        this.spaces = new LinkedHashMap<>(spaces);
    }

    @Override
    public Map<String, Object> getValue(double[] input) {
        Map<String, Object> v = new LinkedHashMap<>();
        spaces.forEach((k, s) -> v.put(k, s.getValue(input)));
        return v;
    }

    @Override
    public int numParameters() {
        return spaces.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> s : spaces.values()) {
            leaves.addAll(s.collectLeaves());
        }
        return leaves;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(spaces);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("a composite space has no indices of its own; its leaves do");
    }

    public List<String> names() {
        return List.copyOf(spaces.keySet());
    }
}
