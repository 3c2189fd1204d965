package painters.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import painters.model.Backend;

/**
 * The default engine: the kind's workers, each on its own thread of this process, take units until there are
 * none left (the cores shared out between them); the first failure stops them all. A unit that waits for the
 * ones before it ({@link StudyKind.Units#nextWaits}) is taken once those are stored.
 */
final class LocalEngine implements StudyEngine {

    static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StudyJob job) throws IOException {
        StudyKind kind = job.kind();
        int workers = kind.workers();
        // a run setting, not the process's history: the startup threads divided among the workers
        Backend.setThreads(Math.max(1, Backend.startupThreads() / workers));
        StudyKind.Units units = job.units();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread th = new Thread(r, kind.name() + "-worker");
            th.setDaemon(true);
            return th;
        });
        List<Future<?>> futures = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        int[] running = {0};
        Object handOut = new Object();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                try (StudyKind.Worker worker = kind.worker()) {
                    while (!failed.get()) {
                        Unit u;
                        synchronized (handOut) {
                            while (running[0] > 0 && units.nextWaits() && !failed.get()) {
                                handOut.wait(1000);
                            }
                            u = units.next();
                            if (u == null) {
                                break;
                            }
                            running[0]++;
                        }
                        try {
                            worker.compute(u, job.sink());
                        } finally {
                            synchronized (handOut) {
                                running[0]--;
                                handOut.notifyAll();
                            }
                        }
                    }
                } catch (Exception | Error e) {
                    failed.set(true);
                    throw e;
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }
}
