package painters.results;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one row type of every study kind: written and read back unchanged; and the results package is a leaf. */
class ResultRowTest {

    static final Provenance.Run RUN = new Provenance("cpu", "1.0.0-M2.1", "17", "linux", "abc").run(0, 32, 128);

    static ResultRow frozen(String metric, double value) {
        return new ResultRow(null, "s", "model", "sha", new ResultRow.PlanPart("0-4,8-11", "skip", 4, 3, -1, -1, -1, 9, 9),
                new ResultRow.Score("wn-lexname", 1, "dsha", 0, metric, value, metric.equals("m0"), 0.1, 300,
                        "linear head"), null, null, RUN);
    }

    static ResultRow roundTrip(ResultRow r) {
        return ResultRow.fromJson(JsonParser.parseString(r.toJson().toString()).getAsJsonObject());
    }

    @Test
    void frozenCurveAndSweepRowsReadBackAsWritten() {
        ResultRow f = frozen("accuracy", 0.75);
        assertEquals(f, roundTrip(f));
        assertNull(roundTrip(f).training());
        ResultRow curve = new ResultRow(null, "s", "m", "sha", f.plan(), new ResultRow.Score("input.txt", -1, "x", 0,
                "perplexity", 12.5, true, Double.NaN, 0, "fine-tuned"), new ResultRow.Training("lora:4:q,v", 1234, 10,
                80, 5120, 2.5, 3.0, false, "{}", 3.1e12), null, RUN);
        ResultRow back = roundTrip(curve);
        assertEquals(curve.training(), back.training());
        assertEquals(3.1e12, back.training().flops());
        ResultRow older = new ResultRow(null, "s", "m", "sha", f.plan(), curve.score(), new ResultRow.Training("all", 1,
                10, 80, 5120, 2.5, 3.0, false, "{}", Double.NaN), null, RUN);
        assertTrue(!older.toJson().has("train_flops") && Double.isNaN(roundTrip(older).training().flops()),
                "rows without FLOPs (older results) read back as NaN");
        assertTrue(Double.isNaN(back.score().chance()), "no chance level reads back as NaN (stored as null)");
        assertTrue(curve.toJson().get("chance").isJsonNull());
        JsonObject params = new JsonObject();
        params.addProperty("learningRate", "1.0E-4");
        ResultRow sweep = new ResultRow(null, "s", "m", "sha", f.plan(), curve.score(), curve.training(),
                new ResultRow.Sweep(3, params, "validation", -1.25, 1e-4, 20), RUN);
        assertEquals(sweep.sweep(), roundTrip(sweep).sweep());
        assertEquals(List.of("m0"), List.of(frozen("m0", 1).inCell("k").toJson().get("metric").getAsString()));
    }

    /** The results package imports nothing of studies, their kinds, subjects, sweeps or the CLI. */
    @Test
    void theResultsPackageIsALeaf() throws IOException {
        Path dir = Path.of("src/main/java/painters/results");
        assertTrue(Files.isDirectory(dir), "run from the experiments module: " + dir.toAbsolutePath());
        Pattern forbidden = Pattern.compile("^import (static )?painters\\.(study|subject|sweep|cli|training|eval)\\b.*$",
                Pattern.MULTILINE);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = forbidden.matcher(Files.readString(f));
                assertFalse(m.find(), f + " imports " + (m.hitEnd() ? "" : m.group()));
                assertFalse(Files.readString(f).contains("painters.study."), f + " names painters.study");
            }
        }
    }
}
