package painters.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import painters.model.plan.LayerPlan;
import painters.results.Provenance;
import painters.training.CurvePoint;
import painters.training.LmCorpus;
import painters.training.Pretraining;

/**
 * {@code painters-pretrain.json}, written next to a checkpoint trained from scratch ({@code pretrain}, the regimes
 * study): what it was trained from and how (config, corpus and its checksum, tokenizer, residual regime, LayerDrop,
 * seeds, the training settings), its held-out curve, the held-out score of the training text's token frequencies
 * (what a model ignoring its context scores), its throughput and the commit.
 */
public final class PretrainRecord {

    /** The file's name in the checkpoint's folder. */
    public static final String FILE = "painters-pretrain.json";

    private PretrainRecord() {}

    /** The record of {@code r}, trained with {@code s} on {@code corpus}. */
    public static JsonObject of(Pretraining.Settings s, LmCorpus corpus, Pretraining.Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("family", r.family());
        o.addProperty("config", s.config().toAbsolutePath().normalize().toString());
        o.addProperty("corpus", corpus.name());
        o.addProperty("corpus_sha256", corpus.checksum());
        o.addProperty("tokenizer", s.tokenizer() == null ? "characters of the corpus" : s.tokenizer().toString());
        o.addProperty("residual", s.residual() == null ? "as the config says" : s.residual());
        o.addProperty("layerdrop", s.layerDrop());
        o.addProperty("init_seed", s.seed());
        o.addProperty("held_out_share", s.heldOut());
        o.addProperty("train", s.train().toString());
        o.addProperty("tokens_per_second", r.tokensPerSecond());
        o.addProperty("training_flops_per_second", trainingFlopsPerSecond(s, r));
        JsonArray curve = new JsonArray();
        for (CurvePoint p : r.run().curve()) {
            JsonObject c = new JsonObject();
            c.addProperty("step", p.step());
            c.addProperty("tokens", p.tokens());
            c.addProperty("train_loss", p.loss());
            c.addProperty("held_out_log_likelihood_per_token", p.primary());
            c.addProperty("seconds", p.seconds());
            curve.add(c);
        }
        o.add("curve", curve);
        o.addProperty("held_out_unigram_log_likelihood_per_token", r.unigramLogLikelihood());
        o.addProperty("painters_git_commit", Provenance.current().gitCommit());
        o.addProperty("created", Instant.now().toString());
        return o;
    }

    /** Training FLOPs per second of wall time (evaluations included, so a lower bound on the loop's rate). */
    public static double trainingFlopsPerSecond(Pretraining.Settings s, Pretraining.Result r) {
        return r.model().trainingFlopsPerToken(LayerPlan.identity(r.model().numLayers()), s.train().maxLength())
                * r.tokensPerSecond();
    }

    public static void write(JsonObject record, Path folder) throws IOException {
        Files.writeString(folder.resolve(FILE), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(record) + "\n", StandardCharsets.UTF_8);
    }
}
