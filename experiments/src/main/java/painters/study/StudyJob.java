package painters.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.results.ResultRow;

/**
 * One run of a study as an engine sees it: the units to compute (handed out by the study's kind), the sink
 * that stores a key's rows once and counts progress, and what another process needs to compute a share of
 * the units itself (the resolved spec, the study folder, the model's checksum).
 *
 * @param spec       the resolved spec
 * @param dir        the study folder (results, checkpoints of fine-tuning runs)
 * @param kind       the study's kind (any registered one), for grouping units into shares
 * @param units      the units to compute, handed out one at a time
 * @param sink       stores a computed key's rows (refuses a key already stored) and counts progress
 * @param modelSha256 the checksum of the model the driver loaded; an executor must load the same
 */
public record StudyJob(StudySpec spec, Path dir, StudyKind kind, StudyKind.Units units, StudyKind.Sink sink,
                       String modelSha256) {

    /**
     * Stores a key computed in another process unless it is already stored (a task Spark ran twice, a driver
     * resumed after the rows were written): each key's rows land in the results file exactly once. Returns
     * whether they were stored now.
     */
    public boolean store(Share.KeyRows computed) throws IOException {
        synchronized (sink) {
            if (sink.isDone(computed.key())) {
                return false;
            }
            List<ResultRow> rows = computed.rows().stream()
                    .map(l -> ResultRow.fromJson(JsonParser.parseString(l).getAsJsonObject()))
                    .toList();
            List<JsonObject> items = computed.items().stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
            sink.store(computed.key(), rows, items, computed.label());
            return true;
        }
    }

    /** Share {@code index} of this study: {@code units}, computed as a whole in another process. */
    public Share share(int index, List<Unit> units) {
        List<String> stored = units.stream().flatMap(u -> u.keys().stream()).filter(sink::isDone).toList();
        return new Share(index, StudySpecs.toJson(spec), dir.toAbsolutePath().toString(), modelSha256, List.copyOf(units),
                new ArrayList<>(stored));
    }
}
