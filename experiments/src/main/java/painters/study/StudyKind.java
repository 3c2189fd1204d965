package painters.study;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import painters.results.ResultRow;
import painters.results.ResultsStore;

/**
 * What one kind of study (frozen grid, recovery, sweep, plan search, routers; registered in {@link StudyKinds})
 * supplies to the {@link StudyRunner}: its units,
 * how one is computed into result rows, and its outputs. The runner does everything else (spec,
 * subject, store, skipping finished units, progress, memory) and an engine ({@link StudyEngine}) decides
 * where units are computed; no kind reaches into another.
 */
public interface StudyKind {

    /** "grid", "recovery", "sweep", "search" or "router", for logs. */
    String name();

    /**
     * The units to compute, given the store as it is (finished units are not handed out). A sweep's
     * next candidate depends on the finished ones, so units come one at a time. Gets this process ready to
     * compute them ({@link #prepare}).
     */
    Units units(ResultsStore store) throws IOException;

    /**
     * Gets ready to compute {@code units} (in this order, on this process's workers) for the study folder
     * {@code dir}: a grid shares their plans' common prefixes, fine-tuning kinds keep checkpoints under
     * {@code dir}. {@link #units} calls it for a local run; an executor calls it for its {@link Share}.
     */
    void prepare(Path dir, List<? extends Unit> units);

    /**
     * {@code key}'s rows are now in the results file (whichever process computed them): a sweep counts the
     * candidate's score towards its search. Nothing by default.
     */
    default void stored(String key, List<ResultRow> rows) {
    }

    /**
     * {@code batch} (units in hand-out order) cut into shares, each computed as a whole by one task of a
     * distributed engine with about {@code slots} tasks at a time. By default each unit alone; a grid keeps
     * plans that share prefixes together.
     */
    default List<List<Unit>> shares(List<Unit> batch, int slots) {
        List<List<Unit>> out = new ArrayList<>();
        batch.forEach(u -> out.add(List.of(u)));
        return out;
    }

    /** Units computed at once, each worker on its own thread (fine-tuning runs use every core: one). */
    default int workers() {
        return 1;
    }

    /** State for one worker thread; closed when the thread is done. */
    Worker worker();

    /** Summaries, figures and report, from the results file. */
    void outputs(Path dir) throws IOException;

    /** The units of a run, handed out one at a time (thread-safe). */
    interface Units {
        /** The next unit to compute, or null when there is none left. */
        Unit next() throws IOException;

        /**
         * Whether the next unit depends on every unit handed out so far being stored (a sweep's run of its
         * best candidate on the test data): an engine then waits for those before calling {@link #next}.
         */
        default boolean nextWaits() {
            return false;
        }

        /** {@code key}'s rows are now stored (the runner tells it after {@link StudyKind#stored}); nothing by default. */
        default void stored(String key) {
        }

        /** Whether every unit is known in advance (an engine may take them all at once and group them). */
        default boolean listed() {
            return false;
        }

        /** Stored keys the study has in all (for progress; 0 when not known in advance). */
        int total();

        /** Of those, already in the results file when the run started. */
        int resumed();
    }

    /** Units known in advance, handed out in order. */
    static Units listed(List<? extends Unit> todo, int total, int resumed) {
        ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>(todo);
        return new Units() {
            @Override
            public Unit next() {
                return queue.poll();
            }

            @Override
            public int total() {
                return total;
            }

            @Override
            public int resumed() {
                return resumed;
            }

            @Override
            public boolean listed() {
                return true;
            }
        };
    }

    interface Worker extends AutoCloseable {
        /** Computes the unit's keys not yet stored and stores each through {@code sink}. */
        void compute(Unit unit, Sink sink) throws IOException;

        /** Releases the worker's own state (tokenizers, graphs); nothing by default. */
        @Override
        default void close() {
        }
    }

    /** Where a worker puts a computed key's rows. */
    interface Sink {
        /** Whether {@code key} is already stored (a resumed unit computes only the rest). */
        boolean isDone(String key);

        /**
         * Stores one key's per-item outputs ({@code items}: one JSON object per scored item with its {@code task}
         * and {@code doc_id}; may be empty), then its rows in one write, and counts it done.
         */
        void store(String key, List<ResultRow> rows, List<JsonObject> items, String label)
                throws IOException;

        /** Stores one key's rows (no per-item outputs). */
        default void store(String key, List<ResultRow> rows, String label) throws IOException {
            store(key, rows, List.of(), label);
        }
    }
}
