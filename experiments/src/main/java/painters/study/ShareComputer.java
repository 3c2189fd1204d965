package painters.study;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.weights.Precision;
import painters.results.ResultRow;
import painters.subject.Subject;
import painters.subject.Subjects;

/**
 * Computes a {@link Share} of a study in this process (a Spark executor) and hands its rows back instead of
 * storing them: the driver stores them, once. The subject (model and task data) is loaded once per process and
 * kept for the next share of the same spec; the model must be the one the driver loaded (same checksum).
 */
public final class ShareComputer {

    private static final Logger log = LoggerFactory.getLogger(ShareComputer.class);

    private static String loadedSpec;
    private static Subject loaded;

    private ShareComputer() {}

    /**
     * The driver's own subject for its spec: a share computed in the driver's process (Spark's local mode)
     * uses it instead of loading the model again.
     */
    static synchronized void offer(String specJson, Subject subject) {
        loadedSpec = specJson;
        loaded = subject;
    }

    /** The subject of {@code specJson}: the one already loaded, or loaded now (replacing another spec's). */
    private static synchronized Subject subject(String specJson, StudySpec spec) {
        if (!specJson.equals(loadedSpec)) {
            loaded = null;              // one model at a time per process
            loaded = Subjects.load(spec.model(), Precision.parse(spec.dtype()),
                    spec.subjectSettings());
            loadedSpec = specJson;
        }
        return loaded;
    }

    /** Computes every key of {@code share} not already stored; returns each key's rows as JSON lines. */
    public static List<Share.KeyRows> compute(Share share) throws IOException {
        return compute(share, k -> { });
    }

    /** As {@link #compute(Share)}, telling {@code onKey} of each key as it is computed (an engine's progress). */
    public static List<Share.KeyRows> compute(Share share, Consumer<Share.KeyRows> onKey)
            throws IOException {
        StudySpec spec = StudySpecs.fromJson(share.specJson(), "share " + share.index() + " of a study");
        Subject subject = subject(share.specJson(), spec);
        String sha = subject.model().sha256();
        if (!sha.equals(share.modelSha256())) {
            throw new IllegalStateException("share " + share.index() + " of study " + spec.name() + ": model " + spec.model()
                    + " loaded here (" + host() + ") has checksum " + sha + ", the driver's has " + share.modelSha256()
                    + ": every node needs the same model files");
        }
        StudyKind kind = StudyRunner.kind(spec, subject);
        kind.prepare(Path.of(share.dir()), share.units());
        Set<String> done = new HashSet<>(share.stored());
        List<Share.KeyRows> out = new ArrayList<>();
        long t0 = System.nanoTime();
        try (StudyKind.Worker worker = kind.worker()) {
            StudyKind.Sink sink = new StudyKind.Sink() {
                @Override
                public boolean isDone(String key) {
                    return done.contains(key);
                }

                @Override
                public void store(String key, List<ResultRow> rows, List<JsonObject> items,
                                  String label) {
                    if (!done.add(key)) {
                        throw new IllegalStateException("share " + share.index() + ": key computed twice: " + key);
                    }
                    Share.KeyRows k = new Share.KeyRows(key,
                            new ArrayList<>(rows.stream().map(r -> r.toJson().toString()).toList()),
                            new ArrayList<>(items.stream().map(Object::toString).toList()), label);
                    out.add(k);
                    onKey.accept(k);
                }
            };
            for (Unit u : share.units()) {
                worker.compute(u, sink);
            }
        }
        log.info("share {} of study {}: {} units, {} keys computed on {} in {}", share.index(), spec.name(),
                share.units().size(), out.size(), host(), Progress.time((System.nanoTime() - t0) / 1e9));
        return out;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "this host";
        }
    }
}
