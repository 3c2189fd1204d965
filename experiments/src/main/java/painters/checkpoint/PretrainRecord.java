package painters.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import painters.eval.metric.Metric;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.weights.Checksums;
import painters.results.Provenance;
import painters.training.CurvePoint;
import painters.training.LmCorpus;
import painters.training.Pretraining;

/**
 * {@code painters-pretrain.json}, written next to a checkpoint trained from scratch ({@code pretrain}, the regimes
 * study): what it was trained from and how (config, corpus and its checksum, tokenizer, residual regime, LayerDrop,
 * seeds, the training settings), its held-out curve, the held-out score of the training text's token frequencies
 * (what a model ignoring its context scores), its throughput and the commit. A folder whose record matches the settings
 * holds a finished model that need not be trained again, its checkpoints gone or not ({@link #finished}): a study that
 * outlives a machine keeps its trained models as their weights and this record.
 */
public final class PretrainRecord {

    /** The file's name in the checkpoint's folder. */
    public static final String FILE = "painters-pretrain.json";

    /** The keys that say what a model was trained from and how: a record differing in one is another model. */
    static final List<String> IDENTITY = List.of("config_sha256", "corpus_sha256", "tokenizer_sha256",
            "residual", "layerdrop", "init_seed", "held_out_share", "train");

    /**
     * A finished pre-training as its record keeps it: the held-out curve (each point's step, examples, tokens, training
     * loss, held-out scores and their errors, primary score, seconds), throughput, the trained parameters and the
     * unigram line.
     */
    public record Finished(List<CurvePoint> curve, double tokensPerSecond, long parameters,
                           double unigramLogLikelihood) {
        /** What {@code r} finished with. */
        public static Finished of(Pretraining.Result r) {
            return new Finished(r.run().curve(), r.tokensPerSecond(), r.run().trainableParameters(),
                    r.unigramLogLikelihood());
        }
    }

    private PretrainRecord() {}

    /** The record of {@code r}, trained with {@code s} on {@code corpus}. */
    public static JsonObject of(Pretraining.Settings s, LmCorpus corpus, Pretraining.Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("family", r.family());
        identity(s, corpus).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
        o.addProperty("config", s.config().toAbsolutePath().normalize().toString());
        o.addProperty("corpus", corpus.name());
        o.addProperty("tokenizer", s.tokenizer() == null ? "characters of the corpus" : s.tokenizer().toString());
        o.addProperty("parameters_trained", r.run().trainableParameters());
        o.addProperty("tokens_per_second", r.tokensPerSecond());
        o.addProperty("training_flops_per_second", trainingFlopsPerSecond(s, r));
        JsonArray curve = new JsonArray();
        for (CurvePoint p : r.run().curve()) {
            JsonObject c = new JsonObject();
            c.addProperty("step", p.step());
            c.addProperty("examples", p.examples());
            c.addProperty("tokens", p.tokens());
            c.addProperty("train_loss", p.loss());
            c.addProperty("held_out_log_likelihood_per_token", p.primary());
            c.add("held_out", metrics(p.scores()));
            c.add("held_out_se", metrics(p.stderr()));
            c.addProperty("seconds", p.seconds());
            curve.add(c);
        }
        o.add("curve", curve);
        o.addProperty("held_out_unigram_log_likelihood_per_token", r.unigramLogLikelihood());
        o.addProperty("painters_git_commit", Provenance.current().gitCommit());
        o.addProperty("created", Instant.now().toString());
        return o;
    }

    /** What {@code s} on {@code corpus} makes, as the {@link #IDENTITY} keys. */
    static JsonObject identity(Pretraining.Settings s, LmCorpus corpus) {
        JsonObject o = new JsonObject();
        o.addProperty("config_sha256", Checksums.sha256Of(s.config()));
        o.addProperty("corpus_sha256", corpus.checksum());
        o.addProperty("tokenizer_sha256", s.tokenizer() == null ? "characters of the corpus"
                : Checksums.sha256Of(s.tokenizer()));
        o.addProperty("residual", s.residual() == null ? "as the config says" : s.residual());
        o.addProperty("layerdrop", s.layerDrop());
        o.addProperty("init_seed", s.seed());
        o.addProperty("held_out_share", s.heldOut());
        o.addProperty("train", s.train().toString());
        return o;
    }

    /**
     * The pre-training that {@code folder} holds finished for {@code s} on {@code corpus}:
     * present when its record matches on every {@link #IDENTITY} key and its weights are there. Empty when there is no
     * record, or the folder's checkpoints can resume or check the run (the training loop decides then). A record of other
     * settings, or one written before records kept the curve's scores, with no checkpoints beside it is refused naming
     * the file and key: a trained model is never trained over unasked.
     */
    public static Optional<Finished> finished(Path folder, Pretraining.Settings s, LmCorpus corpus)
            throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(folder.resolve("model.safetensors"))) {
            return Optional.empty();
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new UserInputException(file + ": not a JSON object: " + e.getMessage());
        }
        JsonObject want = identity(s, corpus);
        String differs = null;
        for (String k : IDENTITY) {
            if (!want.get(k).equals(o.get(k))) {
                differs = "\"" + k + "\" is " + o.get(k) + ", these settings make " + want.get(k);
                break;
            }
        }
        JsonArray curve = o.getAsJsonArray("curve");
        if (differs == null && (curve == null || curve.isEmpty() || !curve.get(0).getAsJsonObject().has("held_out"))) {
            differs = "written before records kept the curve's scores";
        }
        if (differs == null) {
            return Optional.of(new Finished(curve(curve), o.get("tokens_per_second").getAsDouble(),
                    o.get("parameters_trained").getAsLong(),
                    o.get("held_out_unigram_log_likelihood_per_token").getAsDouble()));
        }
        if (Files.isDirectory(folder.resolve("checkpoints"))) {
            return Optional.empty();
        }
        throw new UserInputException(file + ": a model trained otherwise (" + differs + ") and no checkpoints to resume; "
                + "move " + folder + " away to train it again");
    }

    private static List<CurvePoint> curve(JsonArray a) {
        List<CurvePoint> points = new ArrayList<>();
        for (JsonElement e : a) {
            JsonObject c = e.getAsJsonObject();
            points.add(new CurvePoint(c.get("step").getAsInt(), c.get("examples").getAsLong(),
                    c.get("tokens").getAsLong(), c.get("train_loss").getAsDouble(), metrics(c.getAsJsonObject("held_out")),
                    metrics(c.getAsJsonObject("held_out_se")), c.get("held_out_log_likelihood_per_token").getAsDouble(),
                    c.get("seconds").getAsDouble(), Map.of(), Map.of(), null));
        }
        return points;
    }

    private static JsonObject metrics(Map<Metric, Double> m) {
        JsonObject o = new JsonObject();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> o.addProperty(e.getKey().id(), e.getValue()));
        return o;
    }

    private static Map<Metric, Double> metrics(JsonObject o) {
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        o.entrySet().forEach(e -> m.put(Metric.parse(e.getKey()), e.getValue().getAsDouble()));
        return m;
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
