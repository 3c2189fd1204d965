package painters.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import painters.model.ModelFormatException;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.family.ModelFamily;
import painters.model.family.Residual;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.CharTokenizerJson;

/**
 * A decoder trained from scratch: its family's untrained checkpoint for a {@code config.json} (seeded, as the
 * family's HF code initialises it), every tensor trained with the causal LM loss on a corpus (policy {@code every}:
 * AdamW, warmup and decay, clipping, checkpoints and resume, the held-out perplexity curve, all as fine-tuning does;
 * optionally with LayerDrop),
 * then read back from its last checkpoint. The untrained checkpoint is kept under {@code out/init} (config with the
 * tokenizer's vocabulary and special ids and the residual regime, tokenizer, weights) and the run's checkpoints under
 * {@code out/checkpoints}; a killed run resumes from them.
 */
public final class Pretraining {

    /**
     * @param config    the family's {@code config.json} (its {@code model_type} chooses the family)
     * @param tokenizer a {@code tokenizer.json} to use, or null for a character tokenizer of the corpus
     * @param residual  the residual regime ({@link Residual}: standard, none, scaled(A)), or null to keep the config's
     * @param layerDrop LayerDrop's rate while training (0: none; {@link DecoderFineTuner#layerDrop}), recorded in the
     *                  config as {@value #LAYERDROP_KEY}
     * @param seed      the initialisation seed (the data order follows the training config's seed)
     * @param heldOut   share of the corpus's windows held out (its last ones; never trained on)
     */
    public record Settings(Path config, Path tokenizer, String residual, double layerDrop, long seed, double heldOut,
                           FineTuneConfig train) {
        public Settings {
            if (!train.policy().kind().equals("every")) {
                throw new IllegalArgumentException("pre-training trains every tensor, not " + train.policy().print());
            }
        }
    }

    /** The config.json key recording the LayerDrop rate a model was trained with (evaluation never drops). */
    public static final String LAYERDROP_KEY = "painters_layerdrop";

    /**
     * The trained model (read back from the last checkpoint), the run, where its untrained checkpoint is, and the held-out
     * score of the training windows' token frequencies ({@link UnigramBaseline}), the line a model that learns nothing
     * of the context stops at.
     */
    public record Result(LoadedModel model, TrainingLoop.Result run, Path init, String family,
                         double unigramLogLikelihood) {
        /** Training tokens per second of wall time (evaluations included), over the whole run. */
        public double tokensPerSecond() {
            CurvePoint last = run.last();
            return last.seconds() > 0 ? last.tokens() / last.seconds() : Double.NaN;
        }
    }

    private Pretraining() {}

    public static Result run(Settings s, LmCorpus corpus, Path out) throws IOException {
        return run(s, corpus, out, 0);
    }

    static Result run(Settings s, LmCorpus corpus, Path out, int crashAfter) throws IOException {
        ModelFamily family = initialise(s, corpus, out);
        Path init = out.resolve("init");
        LoadedModel loaded = ModelFamilies.load(init.toString());
        if (!(loaded instanceof CausalLm lm)) {
            throw new UserInputException(s.config() + ": pre-training needs a decoder (" + loaded.family() + ")");
        }
        LayerPlan whole = LayerPlan.identity(lm.numLayers());
        DecoderFineTuner t = new DecoderFineTuner(lm, corpus, s.heldOut(), whole, null, s.train()).layerDrop(s.layerDrop());
        if (crashAfter > 0) {
            t.crashAfter(crashAfter);
        }
        Path checkpoints = out.resolve("checkpoints");
        TrainingLoop.Result r = t.run(checkpoints);
        LoadedModel trained = FineTunedWeights.apply(lm, whole, checkpoints).model();
        return new Result(trained, r, init, family.name(), t.unigramBaseline());
    }

    /**
     * Writes the untrained checkpoint of {@code s} under {@code out/init} (config with the tokenizer's vocabulary, special
     * ids and regime; tokenizer; weights seeded as the family's HF code initialises them: the same settings write the
     * same weights) and returns its family.
     */
    public static ModelFamily initialise(Settings s, LmCorpus corpus, Path out) throws IOException {
        Path init = out.resolve("init");
        Files.createDirectories(init);
        JsonObject config;
        try {
            config = JsonParser.parseString(Files.readString(s.config())).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelFormatException(s.config() + ": not a JSON object: " + e.getMessage(), e);
        }
        if (s.tokenizer() == null) {
            String text = String.join("\n", corpus.documents());
            Files.writeString(init.resolve("tokenizer.json"), CharTokenizerJson.of(text), StandardCharsets.UTF_8);
            config.addProperty("vocab_size", CharTokenizerJson.vocabSize(text));
            config.addProperty("bos_token_id", CharTokenizerJson.BOS);
            config.addProperty("eos_token_id", CharTokenizerJson.EOS);
        } else {
            if (!Files.isRegularFile(s.tokenizer())) {
                throw new UserInputException(s.tokenizer() + ": no such tokenizer.json");
            }
            Files.copy(s.tokenizer(), init.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (s.residual() != null) {
            Residual.scale(s.residual());                                       // a bad regime is refused here
            config.addProperty(Residual.KEY, s.residual());
        }
        if (s.layerDrop() > 0) {
            config.addProperty(LAYERDROP_KEY, s.layerDrop());
        }
        Path configJson = init.resolve("config.json");
        Files.writeString(configJson, new GsonBuilder().setPrettyPrinting().create().toJson(config) + "\n",
                StandardCharsets.UTF_8);
        List<ModelFamily> families = ModelFamilies.all().stream().filter(f -> f.recognisesConfig(configJson.toString()))
                .toList();
        if (families.isEmpty()) {
            throw new UserInputException(s.config() + ": model_type names no family that Painters reads");
        }
        ModelFamily family = families.get(0);
        family.writeInitialised(configJson, init, s.seed());
        return family;
    }
}
