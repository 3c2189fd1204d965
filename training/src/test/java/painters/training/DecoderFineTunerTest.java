package painters.training;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.lm.DecoderLm;
import painters.eval.lm.LanguageModel;
import painters.eval.metric.Metric;
import painters.model.decoder.DecoderGraph;
import painters.model.decoder.DecoderModel;
import painters.model.llama.LlamaLoader;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.plan.Variant;

/** Causal-LM fine-tuning of stories260K on Tiny Shakespeare: held-out perplexity, learning, resume. */
class DecoderFineTunerTest {

    @TempDir
    static Path dir;
    static DecoderModel m;
    static Path text;
    static LmCorpus corpus;

    @BeforeAll
    static void load() throws Exception {
        Path data = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("models/stories260K")), "skipped: ../shared/data absent");
        m = LlamaLoader.load(data.resolve("models/stories260K/stories260K.bin").toString());
        text = dir.resolve("shakespeare.txt");
        Files.writeString(text, Files.readString(data.resolve("tinyshakespeare/input.txt")).substring(0, 12_000));
        corpus = LmCorpus.load(text.toString(), null);
    }

    static FineTuneConfig cfg(String policy, int steps, double lr) {
        return new FineTuneConfig(lr, 0, "constant", steps, 8, 1, 1.0, 0.0, 3, 5, Double.NaN, 1, false,
                UnfreezePolicy.parse(policy), 0, 64);
    }

    @Test
    void stepZeroPerplexityIsTheFrozenModelsAndTrainingLowersIt() throws Exception {
        Split s = new Split(5, 0);
        LayerPlan skip = Variant.SKIP.plan(new Split(5, 1), 0, 3);
        DecoderFineTuner ft = new DecoderFineTuner(m, corpus, 0.2, skip, s, cfg("all", 20, 3e-3));
        TrainingLoop.Result r = ft.run(null);
        // independent: the same held-out windows scored through the LM-evaluation path
        List<int[]> windows = new ArrayList<>();
        int[] enc = m.tokenizer().encode(Files.readString(text));
        int[] ids = new int[enc.length + 1];
        ids[0] = 1;
        System.arraycopy(enc, 0, ids, 1, enc.length);
        int total = ids.length / 64;
        for (int w = total - ft.heldOutWindows(); w < total; w++) {
            windows.add(Arrays.copyOfRange(ids, w * 64, w * 64 + 64));
        }
        DecoderLm lm = new DecoderLm(DecoderGraph.of(m.weights(), skip), m.tokenizer(), 8, 512);
        double ll = 0;
        long n = 0;
        List<double[]> perWindow = new ArrayList<>();
        for (int[] w : windows) {
            LanguageModel.LogLikelihood l = lm.loglikelihood(List.of(new LanguageModel.TokenPair(new int[] {w[0]},
                    Arrays.copyOfRange(w, 1, w.length)))).get(0);
            ll += l.logProb();
            n += l.tokens();
            perWindow.add(new double[] {l.logProb(), l.tokens()});
        }
        assertEquals(Math.exp(-ll / n), r.curve().get(0).scores().get(Metric.PERPLEXITY), 1e-3 * Math.exp(-ll / n));
        // its item error: the windows' delta-method error of the ratio, sqrt(sum (ll_i - r n_i)^2) / sum n, x perplexity
        double ratio = ll / n;
        double ss = perWindow.stream().mapToDouble(w -> (w[0] - ratio * w[1]) * (w[0] - ratio * w[1])).sum();
        double se = Math.exp(-ratio) * Math.sqrt(ss * perWindow.size() / (perWindow.size() - 1.0)) / n;
        assertEquals(se, r.curve().get(0).stderr().get(Metric.PERPLEXITY), 0.1 * se, perWindow.size() + " windows");
        assertTrue(r.curve().stream().allMatch(p -> p.stderr().get(Metric.PERPLEXITY) > 0), "every point has one");
        double before = r.curve().get(0).scores().get(Metric.PERPLEXITY);
        double after = r.last().scores().get(Metric.PERPLEXITY);
        assertTrue(after < 0.9 * before, "fine-tuning on Shakespeare lowers held-out perplexity: " + before + " -> " + after);
        // everything but the (tied, frozen) embedding and the two blocks the plan skips (s=1, T=5: M = {2, 3})
        long block = 2 * 64 + 64 * 64 + 2 * 32 * 64 + 64 * 64 + 3 * 64 * 172;
        assertEquals(260_032 - 512 * 64 - 2 * block, r.trainableParameters());
    }

    @Test
    void aKilledDecoderRunResumesToTheSameCurve() throws Exception {
        LayerPlan rev = Variant.REVERSE.plan(new Split(5, 0), 0, 3);
        FineTuneConfig c = cfg("middle", 6, 1e-3);
        TrainingLoop.Result whole = new DecoderFineTuner(m, corpus, 0.2, rev, new Split(5, 0), c).run(dir.resolve("dw"));
        DecoderFineTuner crashing = new DecoderFineTuner(m, corpus, 0.2, rev, new Split(5, 0), c);
        crashing.crashAfter(4);
        assertThrows(IllegalStateException.class, () -> crashing.run(dir.resolve("dr")));
        TrainingLoop.Result resumed = new DecoderFineTuner(m, corpus, 0.2, rev, new Split(5, 0), c).run(dir.resolve("dr"));
        assertEquals(4, resumed.resumedFrom());
        for (int i = 0; i < whole.curve().size(); i++) {
            assertEquals(whole.curve().get(i).primary(), resumed.curve().get(i).primary(), 1e-9, "point " + i);
            // errors survive the checkpoint (points before the kill come from it)
            assertEquals(whole.curve().get(i).stderr().get(Metric.PERPLEXITY),
                    resumed.curve().get(i).stderr().get(Metric.PERPLEXITY), 1e-9, "error at point " + i);
        }
    }

    /**
     * The gradient method is the run's choice: the whole graph at once and recomputation at each executed step give
     * the same curve up to float rounding (on a plan with a repeated block), and a checkpoint of one is not resumed
     * by the other (their fingerprints differ).
     */
    @Test
    void recomputedAndWholeGraphGradientsGiveTheSameCurveAndDifferentRuns() throws Exception {
        LayerPlan repeat = Variant.MIDDLE_REPEAT.plan(new Split(5, 1), 0, 3);
        FineTuneConfig re = cfg("all", 4, 3e-3);
        FineTuneConfig whole = re.withGradients(painters.model.graph.Gradients.WHOLE);
        assertEquals(painters.model.graph.Gradients.RECOMPUTED, re.gradients(), "the default");
        TrainingLoop.Result a = new DecoderFineTuner(m, corpus, 0.2, repeat, new Split(5, 1), re).run(null);
        TrainingLoop.Result b = new DecoderFineTuner(m, corpus, 0.2, repeat, new Split(5, 1), whole).run(null);
        assertEquals(a.curve().size(), b.curve().size());
        for (int i = 0; i < a.curve().size(); i++) {
            CurvePoint x = a.curve().get(i);
            CurvePoint y = b.curve().get(i);
            if (!Double.isNaN(x.loss())) {
                assertEquals(x.loss(), y.loss(), 1e-4 * Math.abs(x.loss()), "training loss at step " + x.step());
            }
            assertEquals(x.primary(), y.primary(), 1e-4 * Math.abs(x.primary()), "held-out score at step " + x.step());
        }
        assertNotEquals(new DecoderFineTuner(m, corpus, 0.2, repeat, new Split(5, 1), re).fingerprint(),
                new DecoderFineTuner(m, corpus, 0.2, repeat, new Split(5, 1), whole).fingerprint());
    }
}
