package painters.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import painters.eval.lm.DecoderLm;
import painters.eval.lm.LmEvaluator;
import painters.eval.lm.LmTask;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.LmTrainingGraph;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;

/**
 * Fine-tunes a decoder run as a layer plan with the causal language-modelling loss on an
 * {@link LmCorpus}, and records held-out perplexity (and, optionally, language-model tasks scored with
 * the current weights) as a recovery curve. The corpus is cut into windows of {@code maxLength}
 * tokens; the last {@code heldOut} share of windows is the held-out split, the rest is drawn in a
 * seeded order that depends only on the seed and the micro-batch index (so a resumed run repeats the
 * uninterrupted one). Step 0 is the frozen model. The curve's primary value is the mean held-out
 * log-likelihood per token (higher is better); perplexity is exp(-that).
 *
 * <p>Every unfreeze policy applies: the block policies, {@code all} (blocks, final norm, untied LM
 * head), {@code head} (the untied LM head), LoRA on any of q, k, v, o, gate, up, down, and untied
 * repeats.
 */
public final class DecoderFineTuner {

    private final CausalLm model;
    private final LayerPlan plan;
    private final Split split;
    private final FineTuneConfig cfg;
    private final LmCorpus corpus;
    private final double heldOutShare;
    private final double validationShare;
    private final List<int[]> train = new ArrayList<>();
    private final List<int[]> heldOut = new ArrayList<>();
    private final List<LmTask> tasks;
    private final LmEvaluator taskEvaluator;
    private int crashAfter;
    private double layerDrop;

    public DecoderFineTuner(CausalLm model, LmCorpus corpus, double heldOutShare, LayerPlan plan, Split split,
                            FineTuneConfig cfg) {
        this(model, corpus, heldOutShare, plan, split, cfg, 0, List.of(), null);
    }

    /**
     * @param validationShare if > 0, that share of the train windows (a seeded draw) is scored instead of
     *                        the held-out windows, which stay untouched (for sweeps)
     * @param tasks           language-model tasks scored at every evaluation (with the current weights)
     * @param taskEvaluator   how they are scored (data folder, batch, context, BOS, limit); null without tasks
     */
    public DecoderFineTuner(CausalLm model, LmCorpus corpus, double heldOutShare, LayerPlan plan, Split split,
                            FineTuneConfig cfg, double validationShare, List<LmTask> tasks, LmEvaluator taskEvaluator) {
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new UserInputException("held-out share must be in (0, 1), got " + heldOutShare);
        }
        if (validationShare < 0 || validationShare >= 1) {
            throw new UserInputException("validation share must be in [0, 1), got " + validationShare);
        }
        if (!tasks.isEmpty() && taskEvaluator == null) {
            throw new UserInputException("curve tasks need an evaluator");
        }
        this.model = model;
        this.plan = plan;
        this.split = split;
        this.cfg = cfg;
        this.corpus = corpus;
        this.heldOutShare = heldOutShare;
        this.validationShare = validationShare;
        this.tasks = List.copyOf(tasks);
        this.taskEvaluator = taskEvaluator;
        int win = Math.min(cfg.maxLength(), model.contextLength());
        LmCorpus.Split windows = corpus.split(model.tokenizer(), win, heldOutShare, cfg.trainMax());
        List<int[]> t = windows.train();
        if (validationShare > 0) {
            Collections.shuffle(t, new Random(cfg.seed() ^ 0x5eed));
            int v = Math.max(1, (int) Math.round(t.size() * validationShare));
            if (t.size() - v < 1) {
                throw new UserInputException(corpus.name() + ": too few train windows for a validation share");
            }
            heldOut.addAll(t.subList(0, v));
            train.addAll(t.subList(v, t.size()));
        } else {
            heldOut.addAll(windows.heldOut());
            train.addAll(t);
        }
    }

    void crashAfter(int steps) {
        this.crashAfter = steps;
    }

    /**
     * LayerDrop (Fan et al. 2019) while training: each executed step of each micro-batch is left out with probability
     * {@code p} (the stream passes it unchanged; its weights sit the step out), drawn from the data-order seed and the
     * micro-batch's number, so a resumed run drops the same; never at evaluation. Part of the run's identity.
     */
    public DecoderFineTuner layerDrop(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new UserInputException("layerdrop must be in [0, 1), got " + p);
        }
        this.layerDrop = p;
        return this;
    }

    /** The executed steps micro-batch {@code index} leaves out under LayerDrop {@code p} with data seed {@code seed}. */
    public static Set<Integer> dropped(long seed, long index, int steps, double p) {
        Set<Integer> out = new TreeSet<>();
        if (p <= 0) {
            return out;
        }
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + index * 1_000_003L + 17);
        for (int k = 0; k < steps; k++) {
            if (rnd.nextDouble() < p) {
                out.add(k);
            }
        }
        return out;
    }

    public int trainWindows() {
        return train.size();
    }

    /** The held-out score of the training windows' add-one token frequencies ({@link UnigramBaseline}). */
    public double unigramBaseline() {
        return UnigramBaseline.heldOutLogLikelihood(train, heldOut, model.tokenizer().vocabSize());
    }

    public int heldOutWindows() {
        return heldOut.size();
    }

    /** What identifies a run: resuming a checkpoint of another run is an error. */
    public String fingerprint() {
        return String.join("|", cfg.gradients().label(), model.sha256(), corpus.checksum(), plan.print(), cfg.policy().print(),
                Boolean.toString(cfg.untie()), Long.toString(cfg.seed()), Double.toString(cfg.learningRate()),
                Integer.toString(cfg.steps()), Integer.toString(cfg.batchSize()), Integer.toString(cfg.gradAccum()),
                Integer.toString(cfg.trainMax()), Integer.toString(cfg.maxLength()), Double.toString(heldOutShare),
                Double.toString(validationShare), tasks.stream().map(LmTask::name).toList().toString(),
                taskEvaluator == null ? "" : taskEvaluator.limit() + "/" + taskEvaluator.maxLength() + "/"
                        + taskEvaluator.addBos()) + (layerDrop > 0 ? "|layerdrop:" + layerDrop : "");
    }

    public TrainingLoop.Result run(Path checkpoints) throws IOException {
        int t = model.numLayers();
        UnfreezePolicy policy = cfg.policy();
        LmTrainingGraph g = model.trainingGraph(plan, policy.unfreezing(model.weights().layout(), plan, split, cfg.untie()));
        if (g.trainable().isEmpty()) {
            throw new UserInputException("policy " + policy.print() + " trains nothing under plan " + plan.print()
                    + " of " + model.id() + (policy.kind().equals("head") && model.tiedHead()
                    ? " (its LM head is the embedding table, which never trains)" : ""));
        }
        Trainable tr = Trainable.of(g, index -> {
            List<int[]> batch = new ArrayList<>();
            long pos = index * cfg.batchSize();
            int n = train.size();
            for (int k = 0; k < cfg.batchSize(); k++, pos++) {
                int[] perm = FineTuner.permutation(n, cfg.seed() * 1_000_003L + pos / n);
                batch.add(train.get(perm[(int) (pos % n)]));
            }
            Set<Integer> drop = dropped(cfg.seed(), index, plan.flattened().steps().size(), layerDrop);
            TrainingGraph.LossAndGrads lg = drop.isEmpty() ? g.lossAndGradients(g.feed(batch), cfg.gradients())
                    : g.lossAndGradients(g.feed(batch), drop);
            return new Trainable.Micro(lg.loss(), lg.grads(), batch.size(), batch.stream().mapToLong(b -> b.length).sum());
        }, () -> evaluate(g), layerDrop > 0);
        return TrainingLoop.run(tr, cfg, checkpoints, fingerprint(), RunFacts.of(model, plan, cfg), corpus.name() + " " + plan.print() + " ["
                + policy.print() + "]", crashAfter);
    }

    private Trainable.Evaluation evaluate(LmTrainingGraph g) {
        double ll = 0;
        double n = 0;
        ItemScores.Sums.Builder windows = ItemScores.Sums.builder();
        for (int s = 0; s < heldOut.size(); s += cfg.batchSize()) {
            List<int[]> part = heldOut.subList(s, Math.min(heldOut.size(), s + cfg.batchSize()));
            for (var l : DecoderLm.nextTokens(g.logits(part), part)) {
                ll += l.logProb();
                n += l.tokens();
                windows.add(Map.of(Metric.PERPLEXITY, new double[] {l.logProb(), l.tokens()}), null);
            }
        }
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.PERPLEXITY, Math.exp(-ll / n));
        // the windows are the items: resampled whole (adjacent windows of one text are not independent, so this
        // error is a lower bound where the text's topics drift slowly)
        Map<Metric, Double> se = new EnumMap<>(Metric.class);
        ItemScores.Sums items = windows.build();
        double e = Bootstrap.stderr(items, Metric.PERPLEXITY);
        if (Double.isFinite(e)) {
            se.put(Metric.PERPLEXITY, e);
        }
        Map<String, Map<Metric, Double>> scored = new LinkedHashMap<>();
        Map<String, Map<Metric, Double>> scoredSe = new LinkedHashMap<>();
        if (!tasks.isEmpty()) {
            int len = taskEvaluator.maxLength() > 0 ? Math.min(taskEvaluator.maxLength(), model.contextLength())
                    : model.contextLength();
            DecoderLm lm = new DecoderLm(g, model.tokenizer(), taskEvaluator.batchSize(), len);
            for (LmTask task : tasks) {
                TaskScore s = taskEvaluator.score(lm, task);
                scored.put(task.name(), s.values());
                scoredSe.put(task.name(), errors(s));
            }
        }
        return new Trainable.Evaluation(v, se, ll / n, scored, scoredSe, items);
    }

    /** A task score's item errors: the evaluator's, else a bootstrap over its per-item outputs. */
    static Map<Metric, Double> errors(TaskScore s) {
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        for (Metric m : s.values().keySet()) {
            double e = s.stderrOf(m);
            if (!Double.isFinite(e) && s.items() != null && s.items().metrics().contains(m)) {
                e = Bootstrap.stderr(s.items(), m);
            }
            if (Double.isFinite(e)) {
                out.put(m, e);
            }
        }
        return out;
    }
}
