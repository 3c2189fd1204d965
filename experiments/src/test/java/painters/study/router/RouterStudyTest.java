package painters.study.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.decoder.DecoderBatch;
import painters.model.decoder.DecoderGraph;
import painters.model.decoder.DecoderModel;
import painters.model.plan.LayerPlan;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import painters.subject.Subjects;
import painters.training.LmCorpus;

/**
 * Router studies end to end: on BGE-small (wn-lexname, 120 training examples) the static plans' scores equal the
 * frozen grid's for the same plans and head seed, a penalty far above any loss gap sends every input to the
 * cheapest plan (and scores exactly that plan), a rerun computes nothing; on stories260K the static plans'
 * perplexities equal ones computed here from the decoder's logits of whole windows, scored from the context on.
 */
class RouterStudyTest {

    private static List<ResultRow> routerRows(List<ResultRow> rows, double penalty) {
        return rows.stream().filter(r -> r.plan().variant().equals(RouterKind.ROUTER)
                && r.sweep().params().get("penalty").getAsDouble() == penalty).toList();
    }

    private static ResultRow metric(List<ResultRow> rows, String metric) {
        return rows.stream().filter(r -> r.score().metric().equals(metric)).findFirst().orElseThrow(() ->
                new AssertionError("no " + metric + " row"));
    }

    @Test
    void encoderRoutersAgainstStaticPlansScoredAsTheGridScoresThem(@TempDir Path dir) throws Exception {
        String common = "\"tasks\": [\"wn-lexname\"], \"variants\": [\"skip\"], \"splits\": [4, 5], \"trainMax\": 120, "
                + "\"maxLength\": 32, \"cossim\": false";
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"router\", " + common
                + ", \"router\": {\"penalties\": [0, 100], \"folds\": 3, \"steps\": 200}}").getAsJsonObject(), List.of(),
                "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir);
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));
        Map<String, ResultRow> statics = rows.stream().filter(r -> r.plan().variant().equals(RouterKind.STATIC))
                .collect(Collectors.toMap(r -> r.plan().plan(), r -> r));
        // the full model and skip at s = 4, 5; all start with blocks 0..4, the state the router reads
        assertEquals(Set.of("0-11", "0-4,8-11", "0-5,7-11"), statics.keySet());
        assertTrue(statics.get("0-11").score().protocol().contains("after blocks 0..4"));

        // the same plans in a frozen grid (TaskEvaluator's path): the same accuracy, to the last bit
        StudySpec grid = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"grid\", " + common + "}")
                .getAsJsonObject(), List.of(), "test");
        StudyRunner.Outcome g = StudyRunner.run(grid, dir);
        List<ResultRow> gridRows = Results.read(g.dir().resolve(Results.FILE)).stream()
                .filter(r -> r.score().primary() && r.score().task().equals("wn-lexname")).toList();
        for (ResultRow s : statics.values()) {
            ResultRow same = gridRows.stream().filter(r -> r.plan().plan().equals(s.plan().plan())).findFirst()
                    .orElseThrow();
            assertEquals(same.score().value(), s.score().value(), 0.0, s.plan().plan());
            assertEquals(300, s.score().n());
        }

        // penalty 100 nats per block: every input on the cheapest plan, scoring exactly what it scores
        List<ResultRow> heavy = routerRows(rows, 100);
        assertEquals(9.0, metric(heavy, "applications").score().value(), 0.0);
        assertEquals(statics.get("0-4,8-11").score().value(), metric(heavy, "accuracy").score().value(), 0.0);
        assertEquals(0.0, metric(heavy, "gain_vs_mixture").score().value(), 1e-12);
        assertTrue(heavy.get(0).sweep().params().get("shares").getAsString().contains("0-4,8-11=1.0000"));
        // no penalty: somewhere between the cheapest and the dearest plan
        double apps = metric(routerRows(rows, 0), "applications").score().value();
        assertTrue(apps >= 9 && apps <= 12, "expected applications " + apps);

        // the oracle (each input on its best plan) scores at least every static plan and every router
        double oracle = rows.stream().filter(r -> r.plan().variant().equals(RouterKind.ORACLE)
                && r.score().metric().equals("accuracy")).findFirst().orElseThrow().score().value();
        for (ResultRow r : rows) {
            if (r.score().metric().equals("accuracy")) {
                assertTrue(oracle >= r.score().value(), "oracle " + oracle + " vs " + r.plan().plan());
            }
        }
        String report = Files.readString(o.dir().resolve("report.md"));
        assertTrue(report.contains("Oracle"), report);
        assertTrue(report.contains("## wn-lexname") && report.contains("Does routing beat"), report);
        assertTrue(Files.exists(o.dir().resolve("figures/router_wn-lexname.png")));
        assertTrue(Files.readString(o.dir().resolve("summary/router.csv")).lines().count() == 1 + 3 + 2);
        assertEquals(0, StudyRunner.run(spec, dir).computed(), "resumed: nothing to redo");
    }

    @Test
    void decoderRoutersScorePerplexityFromTheContextOn(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Path model = data.resolve("models/stories260K/stories260K.bin");
        Path text = data.resolve("tinyshakespeare/input.txt");
        Assumptions.assumeTrue(Files.isRegularFile(model) && Files.isRegularFile(text),
                "skipped: stories260K or Tiny Shakespeare not found under " + data);
        StudySpec spec = StudySpecs.resolve(JsonParser.parseString("{\"name\": \"dec-router\", \"model\": \"" + model
                + "\", \"data\": \"" + data + "\", \"tasks\": [\"lambada\"], \"maxLength\": 64, \"trainMax\": 64, "
                + "\"cossim\": false, \"router\": {\"corpus\": \"" + text + "\", \"heldOut\": 0.02, \"context\": 16, "
                + "\"plans\": [\"0-4\", \"0-1,4\"], \"penalties\": [0, 100], \"steps\": 100}}").getAsJsonObject(),
                List.of(), "test");
        StudyRunner.Outcome o = StudyRunner.run(spec, dir);
        List<ResultRow> rows = Results.read(o.dir().resolve(Results.FILE));

        DecoderModel m = (DecoderModel) Subjects.load(model.toString(), spec.subjectSettings()).model();
        List<int[]> windows = LmCorpus.load(text.toString(), data).windows(m.tokenizer(), 64);
        int held = (int) Math.round(windows.size() * 0.02);
        List<int[]> test = windows.subList(windows.size() - held, windows.size());
        for (String plan : List.of("0-4", "0-1,4")) {
            ResultRow s = rows.stream().filter(r -> r.plan().variant().equals(RouterKind.STATIC)
                    && r.plan().plan().equals(plan)).findFirst().orElseThrow();
            assertEquals(held, s.score().n());
            double expected = perplexity(DecoderGraph.of(m.weights(), LayerPlan.parse(plan, 5)), test, 16);
            assertEquals(expected, s.score().value(), expected * 1e-4, plan);
        }
        List<ResultRow> heavy = routerRows(rows, 100);
        assertEquals(3.0, metric(heavy, "applications").score().value(), 0.0);
        ResultRow cheap = rows.stream().filter(r -> r.plan().plan().equals("0-1,4")).findFirst().orElseThrow();
        assertEquals(cheap.score().value(), metric(heavy, "perplexity").score().value(), 0.0);
        assertEquals(0, StudyRunner.run(spec, dir).computed(), "resumed: nothing to redo");
    }

    /** Perplexity of every window's tokens after the first {@code ctx}, from the logits of whole windows. */
    private static double perplexity(DecoderGraph d, List<int[]> windows, int ctx) {
        double nll = 0;
        long tokens = 0;
        for (int b = 0; b < windows.size(); b += 16) {
            List<int[]> batch = new ArrayList<>(windows.subList(b, Math.min(windows.size(), b + 16)));
            INDArray logits = d.logits(DecoderBatch.rightPadded(batch, d.config()));
            for (int r = 0; r < batch.size(); r++) {
                int[] w = batch.get(r);
                for (int pos = ctx - 1; pos < w.length - 1; pos++) {
                    double[] row = logits.get(NDArrayIndex.point(r), NDArrayIndex.point(pos), NDArrayIndex.all())
                            .toDoubleVector();
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : row) {
                        max = Math.max(max, v);
                    }
                    double sum = 0;
                    for (double v : row) {
                        sum += Math.exp(v - max);
                    }
                    nll -= row[w[pos + 1]] - max - Math.log(sum);
                    tokens++;
                }
            }
        }
        return Math.exp(nll / tokens);
    }
}
