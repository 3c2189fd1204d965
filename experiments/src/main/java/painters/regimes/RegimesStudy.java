package painters.regimes;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.checkpoint.HfDirectory;
import painters.checkpoint.PretrainRecord;
import painters.model.family.ModelFamilies;
import painters.model.graph.Gradients;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import painters.study.grid.GridAnalysis;
import painters.training.CurvePoint;
import painters.training.FineTuneConfig;
import painters.training.LmCorpus;
import painters.training.Pretraining;
import painters.training.UnfreezePolicy;

/**
 * Runs a regimes study: for every regime and seed, a decoder pre-trained from the study's config on its text
 * ({@link Pretraining}: the same data, budget and seeds, which choose initialisation and data order, for every
 * regime) into {@code <name>/models/<regime>-s<seed>}, then the study's frozen grid on that model ({@link StudyRunner}) into
 * {@code <name>/grids/<name>-<regime>-s<seed>}, and the grid's hidden-state analyses of its untrained weights into
 * {@code models/<regime>-s<seed>/init-analysis}; then the side-by-side outputs ({@link RegimesOutputs}). Every part
 * resumes: training from its checkpoints, each grid from its results file; a model whose record matches its settings
 * ({@link PretrainRecord#finished}) is not trained again, so its weights, record and grid are all a later run needs
 * (the untrained weights are written again from their seed when an analysis of them is missing).
 */
public final class RegimesStudy {

    private static final Logger log = LoggerFactory.getLogger(RegimesStudy.class);

    /** Each model's folder for its untrained weights' analyses (the grid's texts), next to {@code init/}. */
    public static final String INIT_ANALYSIS = "init-analysis";

    /**
     * One trained model and its grid; {@code unigramLogLikelihood} is the held-out score of the training text's token
     * frequencies ({@link painters.training.UnigramBaseline}).
     */
    public record Model(String regime, long seed, Path folder, Path grid, List<CurvePoint> curve, double tokensPerSecond,
                        long parameters, double unigramLogLikelihood) {}

    /** What a run made: the study folder and every model. */
    public record Outcome(Path dir, List<Model> models) {}

    private RegimesStudy() {}

    /**
     * How the study trains {@code regime} with {@code seed}: the seed chooses the initialisation and the data order
     * (and LayerDrop's draws), the same for every regime.
     */
    public static Pretraining.Settings settings(RegimesSpec s, String regime, long seed) {
        FineTuneConfig cfg = new FineTuneConfig(s.learningRate(), s.warmupSteps() >= 0 ? s.warmupSteps()
                : Math.max(1, s.steps() / 20), "cosine", s.steps(), s.batchSize(), 1, 1.0, s.weightDecay(), seed,
                Math.min(s.evalEvery(), s.steps()), Double.NaN, s.checkpointEvery(), false,
                UnfreezePolicy.parse("every"), 0, s.maxLength(), Gradients.RECOMPUTED);
        return new Pretraining.Settings(s.config(), null, RegimesSpec.residual(regime), RegimesSpec.layerDrop(regime),
                seed, s.heldOut(), cfg);
    }

    public static Outcome run(RegimesSpec s, List<String> gridOverrides, Path resultsRoot, String source)
            throws IOException {
        Path dir = resultsRoot.resolve(s.name());
        Files.createDirectories(dir);
        Path data = s.grid().has("data") ? Path.of(s.grid().get("data").getAsString()) : null;
        LmCorpus corpus = LmCorpus.load(s.text(), data);
        List<Model> models = new ArrayList<>();
        for (String regime : s.regimes()) {
            for (long seed : s.seeds()) {
                String slug = RegimesSpec.slug(regime, seed);
                Path out = dir.resolve("models").resolve(slug);
                log.info("regimes study {}: {} seed {}: pre-training into {}", s.name(), regime, seed, out);
                Pretraining.Settings settings = settings(s, regime, seed);
                PretrainRecord.Finished trained = PretrainRecord.finished(out, settings, corpus).orElse(null);
                if (trained == null) {
                    Pretraining.Result r = Pretraining.run(settings, corpus, out);
                    HfDirectory.write(r.model(), r.init().toString(), null, out);
                    PretrainRecord.write(PretrainRecord.of(settings, corpus, r), out);
                    trained = PretrainRecord.Finished.of(r);
                } else {
                    log.info("regimes study {}: {} seed {}: trained already ({}), not trained again", s.name(), regime,
                            seed, out.resolve(PretrainRecord.FILE));
                }
                JsonObject g = s.grid().deepCopy();
                g.addProperty("name", s.name() + "-" + slug);
                g.addProperty("model", out.toString());
                StudySpec child = StudySpecs.resolve(g, gridOverrides, source + " (" + regime + ", seed " + seed + ")");
                StudyRunner.Outcome o = StudyRunner.run(child, dir.resolve("grids"));
                Path initAnalysis = out.resolve(INIT_ANALYSIS);
                if (child.cossim() && !GridAnalysis.complete(initAnalysis)) {
                    if (!Files.isRegularFile(out.resolve("init").resolve("model.safetensors"))) {
                        Pretraining.initialise(settings, corpus, out);      // seeded: the same untrained weights
                    }
                    GridAnalysis.write(ModelFamilies.load(out.resolve("init").toString()), child, initAnalysis,
                            slug + " untrained");
                }
                models.add(new Model(regime, seed, out, o.dir(), trained.curve(), trained.tokensPerSecond(),
                        trained.parameters(), trained.unigramLogLikelihood()));
            }
        }
        RegimesOutputs.write(dir, s, models);
        return new Outcome(dir, models);
    }
}
