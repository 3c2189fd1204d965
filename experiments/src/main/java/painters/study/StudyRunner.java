package painters.study;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.MemoryPeaks;
import painters.model.UserInputException;
import painters.model.io.AtomicFiles;
import painters.model.weights.Precision;
import painters.results.ResultRow;
import painters.results.Results;
import painters.results.ResultsStore;
import painters.results.RunIdentity;
import painters.results.StudyLock;
import painters.subject.Subject;
import painters.subject.Subjects;

/**
 * Runs a study of any kind on any model: the spec is resolved once into a loaded subject (the model
 * with its protocol) and a study kind (registered in {@link StudyKinds}); then units -> skip finished ->
 * compute -> rows -> store -> progress, on the kind's workers, and the kind's outputs. Writes the
 * resolved spec first and the run's peak memory ({@value #MEMORY}) last (a run that computes nothing, only
 * redrawing the outputs, leaves the last computing run's peaks there).
 */
public final class StudyRunner {

    private static final Logger log = LoggerFactory.getLogger(StudyRunner.class);

    public static final String SPEC = "spec.resolved.json";
    public static final String MEMORY = "memory.json";

    /** What a run did: units (cells, runs, candidates) in all, already stored, computed now. */
    public record Outcome(Path dir, int cells, int resumed, int computed, double seconds) {}

    private StudyRunner() {}

    public static Outcome run(StudySpec spec, Path resultsRoot) throws IOException {
        try (MemoryPeaks mem = MemoryPeaks.start()) {
            Outcome o = runStudy(spec, resultsRoot);
            MemoryPeaks.Peaks p = mem.peaks();
            JsonObject m = new JsonObject();
            m.addProperty("peak_heap_bytes", p.heap());
            m.addProperty("peak_offheap_bytes", p.offHeap());
            m.addProperty("peak_resident_bytes", p.resident());
            m.addProperty("seconds", o.seconds());
            m.addProperty("computed_cells", o.computed());
            if (o.computed() > 0 || !Files.exists(o.dir().resolve(MEMORY))) {
                AtomicFiles.writeString(o.dir().resolve(MEMORY), m + "\n");
            } else {
                log.info("nothing computed: {} keeps the peaks of the run that computed the cells", MEMORY);
            }
            log.info("study {}: {}", spec.name(), p);
            return o;
        }
    }

    /** The kind a spec asks for ({@link StudyKinds}), on its loaded subject. */
    public static StudyKind kind(StudySpec spec, Subject subject) {
        return StudyKinds.create(spec, subject);
    }

    private static Outcome runStudy(StudySpec spec, Path resultsRoot) throws IOException {
        long t0 = System.nanoTime();
        if (Files.exists(resultsRoot) && !Files.isDirectory(resultsRoot)) {
            throw new UserInputException(resultsRoot + ": exists and is not a folder (where study folders go: "
                    + "--results DIR)");
        }
        Path dir = resultsRoot.resolve(spec.name());
        try (StudyLock lock = StudyLock.acquire(dir)) {
            Subject subject = Subjects.load(spec.model(), Precision.parse(spec.dtype()),
                    spec.subjectSettings());
            identity(spec, subject).claim(dir, dir.resolve(Results.FILE));
            AtomicFiles.writeString(dir.resolve(SPEC), StudySpecs.toJson(spec));
            return runKind(spec, subject, dir, t0);
        }
    }

    /**
     * What this study's results are computed with beyond their cell keys: a resumed run must match it
     * (see {@link RunIdentity}). Adding tasks, variants, splits, seeds, plans or policies extends a study
     * (new cells); changing the model, the data or a setting the numbers depend on does not.
     */
    static RunIdentity identity(StudySpec spec, Subject subject) {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("model", subject.model().id());
        id.put("model_sha256", subject.model().sha256());
        id.put("family", subject.model().family());
        id.put("max_length", Integer.toString(spec.maxLength()));
        id.put("batch_size", Integer.toString(spec.batchSize()));
        id.put("train_max", Integer.toString(spec.trainMax()));
        id.put("loops", Integer.toString(spec.loops()));
        id.putAll(subject.identity());
        if (!spec.dtype().equals("fp32")) {
            id.put("dtype", spec.dtype());                 // fp32 results keep the identity they always had
        }
        id.putAll(StudyKinds.identity(spec.kind()));
        return new RunIdentity(id);
    }

    private static Outcome runKind(StudySpec spec, Subject subject, Path dir, long t0) throws IOException {
        StudyKind kind = kind(spec, subject);
        StudyEngine engine = StudyEngine.named(spec.engine());
        if (!engine.name().equals(LocalEngine.NAME)) {
            ShareComputer.offer(StudySpecs.toJson(spec), subject);     // shares computed in this process reuse it
        }
        StudyKind.Units units;
        AtomicInteger computed = new AtomicInteger();
        try (ResultsStore store = ResultsStore.open(dir.resolve(Results.FILE))) {
            units = kind.units(store);
            Progress progress = new Progress(units.total(), units.resumed());
            log.info("{} study {} on {} ({}): {} units, {} already done, engine {}", kind.name(), spec.name(),
                    subject.model().id(), subject.model().family(), units.total(), units.resumed(), engine.name());
            StudyKind.Sink sink = new StudyKind.Sink() {
                @Override
                public boolean isDone(String key) {
                    return store.isDone(key);
                }

                @Override
                public void store(String key, List<ResultRow> rows, List<JsonObject> items,
                                  String label) throws IOException {
                    store.append(key, rows, items);
                    kind.stored(key, rows);
                    units.stored(key);
                    computed.incrementAndGet();
                    progress.step(label);
                }
            };
            engine.run(new StudyJob(spec, dir, kind, units, sink, subject.model().sha256()));
        }
        kind.outputs(dir);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.info("{} study {} finished in {}: {} units ({} resumed, {} computed)", kind.name(), spec.name(),
                Progress.time(secs), units.total(), units.resumed(), computed.get());
        return new Outcome(dir, units.total(), units.resumed(), computed.get(), secs);
    }
}
