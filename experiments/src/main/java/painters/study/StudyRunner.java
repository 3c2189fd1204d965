package painters.study;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.head.TaskScore;
import painters.eval.metric.Metric;
import painters.model.Backend;
import painters.model.io.AtomicFiles;
import painters.model.plan.LayerPlan;

/**
 * Runs a study: writes the resolved spec, evaluates every cell not yet in {@code results.jsonl}
 * (plans in order, each distinct computation's graph built once and scored once: plans equal up to a seed,
 * a loop run once or a one-block parallel step share it), optionally
 * the cos-sim heatmap of the full model, then the summaries, figures and report.
 */
public final class StudyRunner {

    private static final Logger log = LoggerFactory.getLogger(StudyRunner.class);

    public static final String RESULTS = "results.jsonl";
    public static final String SPEC = "spec.resolved.json";

    /** What a run did. */
    public record Outcome(Path dir, int cells, int resumed, int computed, double seconds) {}

    private StudyRunner() {}

    public static final String MEMORY = "memory.json";

    /**
     * Runs the study (frozen grid, recovery study or sweep, by its spec) and writes the run's peak
     * memory to {@value #MEMORY} beside the results.
     */
    public static Outcome run(StudySpec spec, Path resultsRoot) throws IOException {
        try (painters.model.MemoryPeaks mem = painters.model.MemoryPeaks.start()) {
            Outcome o = dispatch(spec, resultsRoot);
            painters.model.MemoryPeaks.Peaks p = mem.peaks();
            JsonObject m = new JsonObject();
            m.addProperty("peak_heap_bytes", p.heap());
            m.addProperty("peak_offheap_bytes", p.offHeap());
            m.addProperty("peak_resident_bytes", p.resident());
            m.addProperty("seconds", o.seconds());
            m.addProperty("computed_cells", o.computed());
            AtomicFiles.writeString(o.dir().resolve(MEMORY), m + "\n");
            log.info("study {}: {}", spec.name(), p);
            return o;
        }
    }

    private static Outcome dispatch(StudySpec spec, Path resultsRoot) throws IOException {
        long t0 = System.nanoTime();
        Path dir = resultsRoot.resolve(spec.name());
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(SPEC), StudySpecs.toJson(spec));
        if (spec.sweep() != null) {
            return SweepRunner.run(spec, dir);
        }
        if (spec.finetune() != null) {
            if (painters.model.llama.LlamaLoader.isDecoder(spec.model())) {
                throw new IllegalArgumentException("recovery studies (finetune) run encoders only so far; " + spec.model()
                        + " is a decoder");
            }
            return RecoveryRunner.run(spec, dir);
        }
        StudySubject m = painters.model.llama.LlamaLoader.isDecoder(spec.model()) ? new DecoderSubject(spec)
                : new EncoderSubject(spec);
        int t = m.numLayers();
        List<Cell> cells = StudyCells.of(spec, t);
        Provenance prov = Provenance.of(m.id(), m.sha256(), spec.batchSize(), spec.maxLength());
        Map<String, List<Cell>> byPlan = new LinkedHashMap<>();
        for (Cell c : cells) {
            byPlan.computeIfAbsent(c.plan().computationKey(), k -> new ArrayList<>()).add(c);
        }
        int resumed;
        int computed;
        int workers = spec.resolvedWorkers();
        if (workers > 1) {
            Backend.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / workers));
        }
        try (ResultsStore store = ResultsStore.open(dir.resolve(RESULTS))) {
            resumed = (int) cells.stream().filter(c -> store.isDone(c.key())).count();
            Progress progress = new Progress(cells.size(), resumed);
            log.info("study {}: {} cells ({} plans x tasks x head seeds), {} already done, {} worker(s)", spec.name(),
                    cells.size(), byPlan.size(), resumed, workers);
            // plans sharing executed-step prefixes next to each other: shared states live briefly
            List<List<Cell>> todo = byPlan.values().stream()
                    .filter(g -> g.stream().anyMatch(c -> !store.isDone(c.key())))
                    .sorted(java.util.Comparator.comparing(g -> g.get(0).plan(),
                            painters.model.plan.PlanPrefixes.TRIE_ORDER))
                    .toList();
            m.prepare(todo.stream().map(g -> g.get(0).plan()).toList());
            computed = runGroups(todo, workers, spec, m, prov, store, progress);
        }
        if (spec.cossim() && !Files.exists(dir.resolve("analysis").resolve(AnalysisFiles.COSSIM_PNG))) {
            m.cossim(spec, dir.resolve("analysis"));
        }
        StudyOutputs.write(dir, spec);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("study {} finished in {}: {} cells ({} resumed, {} computed)", spec.name(), Progress.time(secs),
                cells.size(), resumed, computed);
        return new Outcome(dir, cells.size(), resumed, computed, secs);
    }

    /** Evaluates plan groups on {@code workers} threads, each with its own graph and tokenizer. */
    private static int runGroups(List<List<Cell>> groups, int workers, StudySpec spec, StudySubject m,
                                 Provenance prov, ResultsStore store, Progress progress)
            throws IOException {
        java.util.concurrent.atomic.AtomicInteger computed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ConcurrentLinkedQueue<List<Cell>> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(groups);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread th = new Thread(r, "study-worker");
            th.setDaemon(true);
            return th;
        });
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                try (StudySubject.Worker worker = m.worker()) {
                    List<Cell> group;
                    while ((group = queue.poll()) != null) {
                        computed.addAndGet(runGroup(group, spec, worker, prov, store, progress));
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            queue.clear();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
        return computed.get();
    }

    /** One plan's cells: its graph built once, cells with equal scores evaluated once. */
    private static int runGroup(List<Cell> group, StudySpec spec, StudySubject.Worker w, Provenance prov,
                                ResultsStore store, Progress progress) throws IOException {
        LayerPlan plan = group.get(0).plan();
        StudySubject.PlanScorer scorer = w.plan(plan);
        Map<String, TaskScore> scores = new LinkedHashMap<>();
        int n = 0;
        for (Cell c : group) {
            if (store.isDone(c.key())) {
                continue;
            }
            TaskScore s = scores.computeIfAbsent(c.scoreKey(), k -> scorer.score(c));
            store.append(c.key(), rows(spec, c, s, prov));
            n++;
            progress.step(c.variant() + " " + plan.print() + " " + c.task());
        }
        scorer.done();
        return n;
    }

    /** The fields every result row starts with: study, model and the cell's plan. */
    static JsonObject cellRow(StudySpec spec, Cell c, Provenance p) {
        JsonObject o = new JsonObject();
        o.addProperty("study", spec.name());
        o.addProperty("model", p.modelId());
        o.addProperty("model_sha256", p.modelSha256());
        o.addProperty("plan", c.plan().print());
        o.addProperty("variant", c.variant());
        o.addProperty("split", c.split());
        o.addProperty("affected", c.affected());
        o.addProperty("plan_seed", c.planSeed());
        o.addProperty("layer", c.layer());
        o.addProperty("loops", c.loops());
        o.addProperty("depth", c.plan().depth());
        o.addProperty("applications", c.plan().applications());
        return o;
    }

    static List<JsonObject> rows(StudySpec spec, Cell c, TaskScore s, Provenance p) {
        List<JsonObject> rows = new ArrayList<>();
        String now = Instant.now().toString();
        for (Map.Entry<Metric, Double> e : s.values().entrySet()) {
            JsonObject o = cellRow(spec, c, p);
            o.addProperty("task", s.task());
            o.addProperty("task_version", s.version());
            o.addProperty("data_sha256", s.dataChecksum());
            o.addProperty("head_seed", c.headSeed());
            o.addProperty("metric", e.getKey().id());
            o.addProperty("value", e.getValue());
            o.addProperty("primary", e.getKey() == s.primary());
            if (Double.isNaN(s.chance())) {
                o.add("chance", com.google.gson.JsonNull.INSTANCE);
            } else {
                o.addProperty("chance", s.chance());
            }
            o.addProperty("n", s.n());
            o.addProperty("protocol", s.protocol());
            o.addProperty("train_max", spec.trainMax());
            o.addProperty("batch_size", p.batchSize());
            o.addProperty("max_length", p.maxLength());
            o.addProperty("backend", p.backend());
            o.addProperty("dl4j", p.dl4j());
            o.addProperty("jvm", p.jvm());
            o.addProperty("os", p.os());
            o.addProperty("git_commit", p.gitCommit());
            o.addProperty("timestamp", now);
            rows.add(o);
        }
        return rows;
    }
}
