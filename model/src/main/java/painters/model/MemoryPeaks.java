package painters.model;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * Peak memory of a long run, sampled every 200 ms on a daemon thread: JVM heap in use, the process's
 * resident set ({@code Pointer.physicalBytes()}, the real footprint), and off-heap as the resident set
 * minus the committed heap (ND4J's native arrays are not counted by JavaCPP's own tracker, so this
 * difference is the estimate; it also holds the JVM's and natives' code). Started with
 * {@link #start}, read with {@link #peaks}.
 */
public final class MemoryPeaks implements AutoCloseable {

    /** Peak bytes. */
    public record Peaks(long heap, long offHeap, long resident) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "peak heap in use %.2f GB, off-heap (resident - committed heap) %.2f GB, resident %.2f GB", heap / 1e9,
                    offHeap / 1e9, resident / 1e9);
        }
    }

    private final Thread thread;
    private volatile boolean running = true;
    private long heap;
    private long offHeap;
    private long resident;

    private MemoryPeaks() {
        sample();
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-peaks");
        thread.setDaemon(true);
        thread.start();
    }

    public static MemoryPeaks start() {
        return new MemoryPeaks();
    }

    private synchronized void sample() {
        Runtime rt = Runtime.getRuntime();
        heap = Math.max(heap, rt.totalMemory() - rt.freeMemory());
        long rss = Pointer.physicalBytes();
        resident = Math.max(resident, rss);
        offHeap = Math.max(offHeap, rss - rt.totalMemory());
    }

    public synchronized Peaks peaks() {
        sample();
        return new Peaks(heap, offHeap, resident);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
