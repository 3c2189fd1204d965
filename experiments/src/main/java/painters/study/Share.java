package painters.study;

import java.io.Serializable;
import java.util.List;

/**
 * A self-contained piece of a study that another process (a Spark executor) computes: the resolved spec (model
 * reference, tasks, protocol, dtype, batch), the model's checksum it must load, the study folder, and the units
 * (plans with their cells, fine-tuning runs or sweep candidates). A grid's share keeps plans that share
 * prefixes together, so the executor computes those once. Computed by {@link ShareComputer}.
 *
 * @param index       its number within the run (for logs)
 * @param specJson    the resolved spec ({@link StudySpecs#toJson})
 * @param dir         the study folder; fine-tuning runs keep their checkpoints under it (a shared path on a cluster
 *                    lets a retried run resume from them)
 * @param modelSha256 the checksum of the driver's model
 * @param units       the units, in the order to compute them
 * @param stored      keys of those units already in the results file when the share was made (not recomputed)
 */
public record Share(int index, String specJson, String dir, String modelSha256, List<Unit> units, List<String> stored)
        implements Serializable {

    /** Every key its units store under. */
    public List<String> keys() {
        return units.stream().flatMap(u -> u.keys().stream()).toList();
    }

    /**
     * One computed key: its rows as JSON lines (exactly as the results file stores them, cell fields aside) and its
     * per-item outputs as JSON lines (as the items files store them, the cell aside).
     */
    public record KeyRows(String key, List<String> rows, List<String> items, String label) implements Serializable {}
}
