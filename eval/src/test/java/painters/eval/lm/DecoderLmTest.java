package painters.eval.lm;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import painters.model.decoder.DecoderGraph;
import painters.model.decoder.DecoderModel;
import painters.model.llama.LlamaLoader;
import painters.model.plan.LayerPlan;

/**
 * The scoring path end to end on stories260K against its golden float64 log-softmax (tolerance 1e-4),
 * and batch invariance.
 */
class DecoderLmTest {

    static Path dir;
    static DecoderModel m;
    static JsonObject golden;

    @BeforeAll
    static void load() throws Exception {
        dir = Path.of(System.getProperty("painters.shared", "../shared")).resolve("data/models/stories260K")
                .toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: stories260K not found at " + dir);
        m = LlamaLoader.load(dir.resolve("stories260K.bin").toString());
        try (Reader r = Files.newBufferedReader(dir.resolve("golden/llama2c_reference.json"))) {
            golden = JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    @Test
    void continuationLogProbabilitiesMatchTheGoldenLogSoftmax() {
        DecoderLm lm = new DecoderLm(m.decoder(), m.tokenizer(), 3, 512);
        List<LanguageModel.TokenPair> reqs = new ArrayList<>();
        List<double[]> want = new ArrayList<>();
        for (var e : golden.getAsJsonArray("prompts")) {
            JsonObject p = e.getAsJsonObject();
            JsonArray ls = p.getAsJsonArray("log_softmax");
            for (int tok : new int[] {p.get("argmax").getAsInt(), 7, 300}) {
                reqs.add(new LanguageModel.TokenPair(ints(p.getAsJsonArray("token_ids")), new int[] {tok}));
                want.add(new double[] {ls.get(tok).getAsDouble(), tok == p.get("argmax").getAsInt() ? 1 : 0});
            }
        }
        List<LanguageModel.LogLikelihood> got = lm.loglikelihood(reqs);
        for (int i = 0; i < reqs.size(); i++) {
            assertEquals(want.get(i)[0], got.get(i).logProb(), 1e-4, "request " + i);
            assertEquals(want.get(i)[1] == 1, got.get(i).greedy(), "request " + i);
        }
    }

    @Test
    void multiTokenContinuationIsTheSumOfItsSteps() {
        // golden greedy continuation of "Once upon a time": every token is the argmax, so greedy = true
        JsonObject p = golden.getAsJsonArray("prompts").get(1).getAsJsonObject();
        int[] ctx = ints(p.getAsJsonArray("token_ids"));
        int[] cont = Arrays.copyOf(ints(p.getAsJsonObject("greedy_continuation").getAsJsonArray("ids")), 10);
        DecoderLm lm = new DecoderLm(m.decoder(), m.tokenizer(), 4, 512);
        LanguageModel.LogLikelihood whole = lm.loglikelihood(List.of(new LanguageModel.TokenPair(ctx, cont))).get(0);
        assertTrue(whole.greedy());
        double sum = 0;
        int[] c = ctx;
        for (int t : cont) {
            sum += lm.loglikelihood(List.of(new LanguageModel.TokenPair(c, new int[] {t}))).get(0).logProb();
            c = DecoderLm.concat(c, new int[] {t});
        }
        assertEquals(sum, whole.logProb(), 1e-4);
        assertTrue(whole.logProb() < 0);
    }

    @Test
    void scoresDoNotDependOnBatchingOrPlanObjectIdentity() {
        LmRequests req = new LmRequests(m.tokenizer(), true);
        List<LanguageModel.TokenPair> reqs = List.of(req.pair("Once upon a time", " there was"),
                req.pair("Lily went to the", " park"), req.pair("The cat", " sat on the mat and looked at the dog"));
        List<LanguageModel.LogLikelihood> one = new DecoderLm(m.decoder(), m.tokenizer(), 1, 512).loglikelihood(reqs);
        List<LanguageModel.LogLikelihood> three = new DecoderLm(
                DecoderGraph.of(m.weights(), LayerPlan.identity(5)), m.tokenizer(), 3, 512)
                .loglikelihood(reqs);
        for (int i = 0; i < reqs.size(); i++) {
            assertEquals(one.get(i).logProb(), three.get(i).logProb(), 1e-4);
        }
        assertTrue(one.get(1).logProb() > one.get(2).logProb() / 3, "a likely word beats a long unlikely run");
    }
}
