package painters.study;

import java.io.Serializable;
import java.util.List;

/**
 * A piece of a study that the runner computes and stores as a whole: a plan's cells (frozen grid), a
 * fine-tuning run (recovery), a sweep candidate. It is finished when every key it stores under is in
 * the results file. A unit is a self-contained value (plan, cells, policy, parameters): it is serializable, so
 * an engine can compute it in another process ({@link Share}).
 */
public interface Unit extends Serializable {

    /** The keys its rows are stored under (a grid unit: one per cell). */
    List<String> keys();

    /** A few words for progress lines. */
    String label();
}
