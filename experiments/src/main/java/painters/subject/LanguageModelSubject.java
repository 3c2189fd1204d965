package painters.subject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import painters.eval.lm.DecoderLm;
import painters.eval.lm.LanguageModel;
import painters.eval.lm.LmEvaluator;
import painters.eval.lm.LmTask;
import painters.eval.lm.LmTasks;
import painters.eval.metric.Metric;
import painters.eval.route.RouteData;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.repair.LinearRepair;
import painters.model.tokenizer.TokenBatch;
import painters.training.CurvePoint;
import painters.training.DecoderFineTuner;
import painters.training.FineTuneConfig;
import painters.training.LmCorpus;
import painters.training.TrainingLoop;

/**
 * The protocol of a next-token model (a decoder): tasks are lm-evaluation-harness-style (log-likelihood
 * multiple choice, LAMBADA, rolling perplexity, GSM8K generation), zero-shot and deterministic, so one
 * head seed; fine-tuning uses the causal LM loss on a corpus (a text or JSONL file, or an LM task's train
 * split), and its curve records held-out perplexity and every task of the study, scored with the
 * current weights exactly as the frozen plans are.
 */
final class LanguageModelSubject implements Subject {

    private final CausalLm m;
    private final SubjectSettings s;
    private final List<String> tasks;
    private final LmEvaluator ev;
    private LmCorpus corpus;
    /** The corpus a router study names, with where it was read from. */
    private Loaded routeCorpus;

    private record Loaded(String source, LmCorpus corpus) {}

    LanguageModelSubject(CausalLm m, SubjectSettings s) {
        if (s.headSeeds().size() > 1) {
            throw new UserInputException("headSeeds " + s.headSeeds() + ": language-model tasks are zero-shot and "
                    + "deterministic, give one head seed");
        }
        this.tasks = s.tasks() == null ? LmTasks.names().stream().filter(t -> !t.equals("gsm8k")).toList() : s.tasks();
        tasks.forEach(LmTasks::get);
        if (s.data() == null && !tasks.isEmpty()) {
            throw new UserInputException("language-model tasks need the data folder (--data DIR or study key "
                    + "\"data\", laid out as ../shared/data)");
        }
        this.m = m;
        this.s = s;
        this.ev = new LmEvaluator(s.data(), s.batchSize(), s.context(), s.bos(), s.limit());
    }

    @Override
    public LoadedModel model() {
        return m;
    }

    @Override
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public String protocol() {
        return String.format(Locale.ROOT, "zero-shot language-model tasks, context %d tokens, batch %d, BOS %s%s",
                ev.lm(m, LayerPlan.identity(m.numLayers())).maxLength(), s.batchSize(),
                s.bos() ? "before every context" : "only for empty contexts (lm-eval)",
                s.limit() > 0 ? ", first " + s.limit() + " items per task" : "");
    }

    @Override
    public Map<String, String> identity() {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("protocol", String.format(Locale.ROOT, "zero-shot LM tasks: context %d, BOS %s, limit %d, batch %d",
                s.context(), s.bos(), s.limit(), s.batchSize()));
        for (String t : tasks) {
            LmTask task = LmTasks.get(t);
            id.put("data:" + t, task.dataChecksum(s.data()) + " v" + task.version());
        }
        if (s.finetuneData() != null) {
            id.put("finetune_data", corpus().name() + " " + corpus().checksum() + ", held out " + s.heldOut());
        }
        return id;
    }

    @Override
    public Optional<LanguageModel> languageModel(LayerPlan plan) {
        return Optional.of(ev.lm(m, plan));
    }

    /** Plans share nothing here: each is scored on its own. */
    @Override
    public Scorers scorers(List<LayerPlan> plans) {
        return this::scorer;
    }

    private Scorer scorer() {
        return new Scorer() {
            @Override
            public PlanScorer plan(LayerPlan plan) {
                DecoderLm lm = ev.lm(m, plan);
                return (task, headSeed) -> ev.score(lm, LmTasks.get(task));
            }

            @Override
            public void close() {}
        };
    }

    /** The request's corpus (else the fine-tuning corpus): a router is trained and scored on its windows. */
    @Override
    public List<String> routeTargets(RouteRequest request) {
        return List.of(routeCorpus(request).name());
    }

    @Override
    public RouteData routing(String target, RouteRequest request) {
        LmCorpus c = routeCorpus(request);
        if (!c.name().equals(target)) {
            throw new UserInputException("router target " + target + " is not this study's corpus " + c.name());
        }
        return DecoderRouting.compute(m, s, c, request);
    }

    private synchronized LmCorpus routeCorpus(RouteRequest request) {
        if (request.corpus() == null) {
            if (s.finetuneData() == null) {
                throw new UserInputException(m.id() + ": a decoder's router is trained on a corpus: name it (study "
                        + "key router.corpus: a text or .jsonl file, or an LM task with a train split)");
            }
            return corpus();
        }
        if (routeCorpus == null || !routeCorpus.source.equals(request.corpus())) {
            routeCorpus = new Loaded(request.corpus(), LmCorpus.load(request.corpus(), s.data()));
        }
        return routeCorpus.corpus;
    }

    /** The fine-tuning corpus, read once. */
    private synchronized LmCorpus corpus() {
        if (corpus == null) {
            if (s.finetuneData() == null) {
                throw new UserInputException(m.id() + " is fine-tuned with the causal LM loss: name its data "
                        + "(study key finetune.data, or --text / --data-task): a text or .jsonl file, or an LM task with a "
                        + "train split (arc-easy, arc-challenge, gsm8k)");
            }
            corpus = LmCorpus.load(s.finetuneData(), s.data());
        }
        return corpus;
    }

    @Override
    public String fineTuneProtocol() {
        return "Each plan is fine-tuned with the causal language-modelling loss on " + corpus().name() + " (windows of "
                + s.maxLength() + " tokens, the last " + Math.round(100 * s.heldOut()) + "% held out for perplexity); "
                + "step 0 is the frozen model, and every task (" + String.join(", ", tasks) + ") is scored at every "
                + "evaluation with the current weights, exactly as the frozen grid scores them.";
    }

    /** Calibration: the first training windows of the fine-tuning corpus, as the fine-tuning cuts them. */
    @Override
    public Optional<Repaired> repairedFor(LayerPlan plan, int windows, double ridge) {
        if (!LinearRepair.applies(m, plan)) {
            return Optional.empty();
        }
        LmCorpus.Split split = corpus().split(m.tokenizer(), s.maxLength(), s.heldOut(), 0);
        List<int[]> train = split.train().subList(0, Math.min(windows, split.train().size()));
        List<TokenBatch> batches = new ArrayList<>();
        for (int from = 0; from < train.size(); from += s.batchSize()) {
            List<int[]> rows = train.subList(from, Math.min(train.size(), from + s.batchSize()));
            long[][] ids = new long[rows.size()][];
            long[][] types = new long[rows.size()][];
            long[][] mask = new long[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                ids[r] = Arrays.stream(rows.get(r)).asLongStream().toArray();
                types[r] = new long[ids[r].length];
                mask[r] = new long[ids[r].length];
                Arrays.fill(mask[r], 1);
            }
            batches.add(new TokenBatch(ids, types, mask));
        }
        LinearRepair r = LinearRepair.fit(m, plan, hs -> batches, train.size(), ridge);
        LanguageModelSubject repaired = new LanguageModelSubject((CausalLm) r.apply(m), s);
        repaired.corpus = corpus;
        return Optional.of(new Repaired(repaired, r));
    }

    /** One run per plan, on the corpus; the tasks are scored along its curve. */
    @Override
    public List<String> fineTuneTargets() {
        return List.of(corpus().name());
    }

    @Override
    public TrainingLoop.Result fineTune(LayerPlan plan, Split split, String target, FineTuneConfig cfg, double validation,
                                        Path checkpoints) throws IOException {
        List<LmTask> curveTasks = validation > 0 ? List.of() : tasks.stream().map(LmTasks::get).toList();
        return new DecoderFineTuner(m, corpus(), s.heldOut(), plan, split, cfg, validation, curveTasks, ev)
                .run(checkpoints);
    }

    /** Held-out perplexity on the corpus (primary, no chance level), then every task's metrics. */
    @Override
    public List<CurveScore> curveScores(String target, CurvePoint p) {
        List<CurveScore> out = new ArrayList<>();
        LmCorpus c = corpus();
        out.add(new CurveScore(c.name(), -1, c.checksum(), Metric.PERPLEXITY.id(), p.scores().get(Metric.PERPLEXITY),
                true, Double.NaN, 0, p.stderrOf(null, Metric.PERPLEXITY)));
        for (Map.Entry<String, Map<Metric, Double>> t : p.tasks().entrySet()) {
            LmTask task = LmTasks.get(t.getKey());
            double chance = task.chance(s.data(), s.limit());
            for (Map.Entry<Metric, Double> e : t.getValue().entrySet()) {
                out.add(new CurveScore(task.name(), task.version(), task.dataChecksum(s.data()), e.getKey().id(),
                        e.getValue(), e.getKey() == task.primary(), chance, s.limit(), p.stderrOf(t.getKey(), e.getKey())));
            }
        }
        return out;
    }

}
