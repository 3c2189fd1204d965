package painters.study.grid;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.ResultsStore;

/**
 * A study's table from its per-item outputs: normalised scores, medians and differences are paired with the full
 * model. Closed-form checks: a plan with the full model's predictions has a normalised error of exactly 0; a plan
 * that disagrees on a few items gets the error of those disagreements; a plan without items falls back to the
 * unpaired formula (the negative control).
 */
class PairedTableTest {

    static final int N = 400;

    /** Gold alternating 0/1; right except on the items in [from, to). */
    static ItemScores.Classes preds(int from, int to) {
        int[] g = new int[N];
        int[] p = new int[N];
        for (int i = 0; i < N; i++) {
            g[i] = i % 2;
            p[i] = i >= from && i < to ? 1 - g[i] : g[i];
        }
        return new ItemScores.Classes(g, p, Set.of(Metric.ACCURACY));
    }

    static List<JsonObject> items(String task, ItemScores s) {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("task", task);
            o.addProperty("doc_id", i);
            s.item(i).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
            out.add(o);
        }
        return out;
    }

    static ResultRow row(String variant, int split, ItemScores.Classes s, String plan) {
        double acc = s.value(Metric.ACCURACY, ItemScores.all(N));
        ResultRow r = ClaimsTest.row(variant, split, "t", acc, Bootstrap.binomial(acc, N));
        return new ResultRow(null, r.study(), r.model(), r.modelSha(), new ResultRow.PlanPart(plan, variant, split,
                r.plan().affected(), -1, -1, -1, 9, 9), r.score(), null, null, r.run());
    }

    @Test
    void normalisedScoresArePairedWithTheFullModel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        ItemScores.Classes full = preds(0, 80);                // 0.80
        ItemScores.Classes same = preds(0, 80);                // identical predictions
        ItemScores.Classes near = preds(10, 90);               // 0.80 too, disagrees on 20 items
        ItemScores.Classes worse = preds(0, 120);              // 0.70
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("full", List.of(row("full", -1, full, "0-11")), items("t", full));
            s.append("same", List.of(row("reverse", 5, same, "0-5,6,7-11")), items("t", same));
            s.append("near", List.of(row("skip", 5, near, "0-5,7-11")), items("t", near));
            s.append("worse", List.of(row("parallel", 5, worse, "0-5,P(6),7-11")), List.of());   // no items
        }
        assertTrue(Files.exists(ItemFiles.file(dir, "t")));
        StudyTable t = StudyTable.load(f);
        StudyTable.Entry e = entry(t, "reverse");
        assertTrue(e.paired());
        assertEquals(1.0, e.normalised(), 1e-12);
        assertEquals(0.0, e.normStderr(), 0.0, "the full model's own predictions: no error in the comparison");
        StudyTable.Entry n = entry(t, "skip");
        // normalised = (a - c)/(f - c); with a = f + d and d small, se ~ se(d) / (f - c); se(d) = sqrt(20/N)/sqrt(N)
        double closed = Math.sqrt(20.0 / N / N) / (0.8 - 0.5);
        assertEquals(closed, n.normStderr(), 0.15 * closed, "paired: the disagreements' error");
        double unpaired = Math.sqrt(2 * 0.8 * 0.2 / N) / 0.3;
        assertTrue(n.normStderr() < 0.5 * unpaired, n.normStderr() + " vs unpaired " + unpaired);
        StudyTable.Entry w = entry(t, "parallel");
        assertFalse(w.paired(), "no items: unpaired");
        double nw = (0.7 - 0.5) / 0.3;
        double se = 0.7 * 0.3 / N;
        assertEquals(Math.sqrt(se + nw * nw * 0.8 * 0.2 / N) / 0.3, w.normStderr(), 1e-12, "the unpaired formula");
        assertTrue(StudyReport.pairing(t).contains("1 of 4 normalised scores have no per-item outputs"),
                StudyReport.pairing(t));
        StudyTable.Estimate rev = t.variant("reverse", 0);
        StudyTable.Estimate skip = t.variant("skip", 0);
        assertEquals(0.0, rev.minus(skip).value(), 1e-12);
        assertEquals(0.0, rev.se(), 0.0, "normalised 1 in every replicate");
        assertEquals(skip.se(), rev.minus(skip).se(), 1e-12, "differences taken replicate by replicate");
        StudyTable.Estimate par = t.variant("parallel", 0);
        assertEquals(Math.sqrt(par.se() * par.se() + skip.se() * skip.se()), skip.minus(par).se(),
                0.15 * skip.minus(par).se(), "against an unpaired plan: independent draws");
    }

    static StudyTable.Entry entry(StudyTable t, String variant) {
        return t.entries().stream().filter(x -> x.variant().equals(variant)).findFirst().orElseThrow();
    }

    @Test
    void theItemsFileKeepsEachCellsLastCompleteCopyAndCutsAPartialLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.jsonl");
        ItemScores.Classes full = preds(0, 80);
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("full", List.of(row("full", -1, full, "0-11")), items("t", full));
        }
        Path items = ItemFiles.file(dir, "t");
        // a rerun of cell "x" killed after 3 of its lines, the last one cut mid-line; then the cell done in full
        Files.writeString(items, "{\"cell\":\"x\",\"task\":\"t\",\"doc_id\":0,\"gold\":0,\"pred\":0}\n"
                + "{\"cell\":\"x\",\"task\":\"t\",\"doc_id\":1,\"gold\":1,\"pred\":1}\n{\"cell\":\"x\",\"ta",
                StandardOpenOption.APPEND);
        ItemScores.Classes x = preds(0, 40);
        try (ResultsStore s = ResultsStore.open(f)) {
            s.append("x", List.of(row("skip", 5, x, "0-5,7-11")), items("t", x));
        }
        var read = ItemFiles.read(dir, "t");
        assertEquals(N, read.get("full").size());
        assertEquals(N, read.get("x").size(), "the complete copy replaced the cut one");
        assertEquals(x.item(39).get("pred").getAsInt(), read.get("x").get(39).get("pred").getAsInt());
        Files.writeString(items, "not json\n", StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> ItemFiles.read(dir, "t"));
        assertTrue(e.getMessage().startsWith(items + ":" + (2 * N + 3) + ":"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ItemFiles.file(dir, "../escape"));
    }
}
