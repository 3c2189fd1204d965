package painters.model.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time of every op a SameDiff session executes, summed by op type and by pass (forward, or backward
 * for the ops of the gradient function, whose outputs are named {@code *-grad}), for profiling a training
 * step: what the ops take, and by difference with the step's time, what is spent outside them (session
 * bookkeeping, allocation, the optimizer).
 */
public final class OpTimes extends BaseListener {

    /** Summed time of one op type in one pass. */
    public record Entry(String op, boolean backward, long nanos, long calls) {}

    private final Map<String, long[]> times = new LinkedHashMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        long dt = System.nanoTime() - start;
        boolean backward = op.getOutputsOfOp() != null && op.getOutputsOfOp().stream().anyMatch(n -> n.endsWith("-grad"));
        String key = (backward ? "B " : "F ") + op.getOp().opName();
        long[] t = times.computeIfAbsent(key, k -> new long[2]);
        t[0] += dt;
        t[1]++;
    }

    /** Forgets what was recorded (after warm-up). */
    public void reset() {
        times.clear();
    }

    /** Every op type and pass, longest first. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        times.forEach((k, t) -> out.add(new Entry(k.substring(2), k.startsWith("B"), t[0], t[1])));
        out.sort(Comparator.comparingLong(Entry::nanos).reversed());
        return out;
    }

    /** Total op time in nanoseconds. */
    public long total() {
        return times.values().stream().mapToLong(t -> t[0]).sum();
    }
}
