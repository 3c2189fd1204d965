package painters.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import painters.results.ResultRow;
import painters.results.ResultsStore;

/**
 * What one kind of study (frozen grid, recovery, sweep) supplies to the {@link StudyRunner}: its units,
 * how one is computed into result rows, and its outputs. The runner does everything else (spec,
 * subject, store, skipping finished units, progress, memory); no kind reaches into another.
 */
interface StudyKind {

    /** "grid", "recovery" or "sweep", for logs. */
    String name();

    /**
     * The units to compute, given the store as it is (finished units are not handed out). A sweep's
     * next candidate depends on the finished ones, so units come one at a time.
     */
    Units units(ResultsStore store) throws IOException;

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

        /** Stored keys the study has in all (for progress; 0 when not known in advance). */
        int total();

        /** Of those, already in the results file when the run started. */
        int resumed();
    }

    /** Units known in advance, handed out in order. */
    static Units listed(List<? extends Unit> todo, int total, int resumed) {
        java.util.concurrent.ConcurrentLinkedQueue<Unit> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(todo);
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

        /** Stores one key's rows in one write and counts it done. */
        void store(String key, List<ResultRow> rows, String label) throws IOException;
    }
}
