package painters.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.LinearHead;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskKind;
import painters.eval.task.TaskSpec;
import painters.model.UserInputException;
import painters.model.family.EncoderTrainingGraph;
import painters.model.family.SentenceEncoder;
import painters.model.family.TaskHead;
import painters.model.family.Unfreezing;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.tokenizer.HfTokenizer;
import painters.model.tokenizer.TokenBatch;

/**
 * Fine-tunes an encoder run as a layer plan on a task's train split and records its recovery curve
 * on the held-out (eval) split.
 *
 * <p>Step 0 is the frozen protocol: a linear head trained on the plan's frozen features (exactly
 * {@link painters.eval.head.TaskEvaluator}'s), which also initialises the fine-tuning head (a linear
 * probe, then fine-tuning). Then AdamW with warm-up and decay, gradient accumulation and global-norm
 * clipping trains the head and the weights the {@link UnfreezePolicy} names; the held-out split is
 * scored every {@code evalEvery} steps and at the end; the run stops early at a target score.
 *
 * <p>The data order is a function of the seed and the micro-batch index alone (a seeded permutation
 * per epoch), so a run resumed from a checkpoint sees the same batches as an uninterrupted one and
 * ends with the same curve. A NaN or infinite loss or gradient stops the run with
 * {@link TrainingDivergedException}; the last checkpoint written stays the newest.
 */
public final class FineTuner {

    private static final Logger log = LoggerFactory.getLogger(FineTuner.class);

    private final SentenceEncoder model;
    private final TaskData data;
    private final LayerPlan plan;
    private final Split split;
    private final FineTuneConfig cfg;
    private final List<Example> train;
    private final int classes;
    /** For tests: stop (as if killed) after this many steps of this process; 0: never. */
    private int crashAfter;

    public FineTuner(SentenceEncoder model, TaskData data, LayerPlan plan, Split split, FineTuneConfig cfg) {
        this(model, data, plan, split, cfg, 0);
    }

    /**
     * With {@code validationShare > 0}, that share of the train split (a seeded draw) is held out and
     * scored instead of the task's eval split, which stays untouched (for sweeps: tune on
     * validation, report test once).
     */
    public FineTuner(SentenceEncoder model, TaskData data, LayerPlan plan, Split split, FineTuneConfig cfg,
                     double validationShare) {
        TaskSpec spec = data.spec();
        if (spec.kind() == TaskKind.SIMILARITY || data.train() == null) {
            throw new UserInputException(spec.name() + ": fine-tuning needs a classification or regression task "
                    + "with a train split");
        }
        this.model = model;
        this.data = data;
        this.plan = plan;
        this.split = split;
        this.cfg = cfg;
        this.classes = spec.kind() == TaskKind.CLASSIFICATION ? spec.labels().size() : 0;
        List<Example> t = data.train();
        if (cfg.trainMax() > 0 && t.size() > cfg.trainMax()) {
            List<Example> copy = new ArrayList<>(t);
            Collections.shuffle(copy, new Random(cfg.seed()));
            t = copy.subList(0, cfg.trainMax());
        }
        if (validationShare < 0 || validationShare >= 1) {
            throw new UserInputException("validation share must be in [0, 1), got " + validationShare);
        }
        this.validationShare = validationShare;
        if (validationShare > 0) {
            List<Example> copy = new ArrayList<>(t);
            Collections.shuffle(copy, new Random(cfg.seed() ^ 0x5eed));
            int v = Math.max(1, (int) Math.round(copy.size() * validationShare));
            this.heldOut = List.copyOf(copy.subList(0, v));
            t = copy.subList(v, copy.size());
        } else {
            this.heldOut = data.eval();
        }
        this.train = List.copyOf(t);
    }

    private final double validationShare;
    private final List<Example> heldOut;

    /** The examples each evaluation scores (the task's eval split, or the validation share of train). */
    public List<Example> heldOut() {
        return heldOut;
    }

    void crashAfter(int steps) {
        this.crashAfter = steps;
    }

    /** What identifies a run: resuming a checkpoint of another run is an error. */
    public String fingerprint() {
        return String.join("|", cfg.gradients().label(), model.sha256(), data.spec().name(), data.checksum(), plan.print(),
                cfg.policy().print(), Boolean.toString(cfg.untie()), Long.toString(cfg.seed()),
                Double.toString(cfg.learningRate()), Integer.toString(cfg.steps()), Integer.toString(cfg.batchSize()),
                Integer.toString(cfg.gradAccum()), Integer.toString(cfg.trainMax()), Integer.toString(cfg.maxLength()),
                Double.toString(validationShare));
    }

    /** Runs (or resumes, when {@code checkpoints} holds a checkpoint of this run) to the end. */
    public TrainingLoop.Result run(Path checkpoints) throws IOException {
        long t0 = System.nanoTime();
        Unfreezing how = cfg.policy().unfreezing(model.weights().layout(), plan, split, cfg.untie());
        try (HfTokenizer tok = model.tokenizer().withMaxLength(cfg.maxLength())) {
            Featurizer frozen = Featurizer.of(model, plan, tok, cfg.batchSize(), null);
            LinearHead probe = probe(frozen);
            EncoderTrainingGraph g = model.trainingGraph(plan, how, new TaskHead(classes > 0, probe.featureMean(),
                    probe.featureStd(), probe.weights(), probe.bias()));
            Trainable trainable = Trainable.of(g, index -> {
                List<Example> batch = batch(index);
                TokenBatch tb = encode(tok, batch);
                TrainingGraph.LossAndGrads lg = g.lossAndGradients(g.feed(tb, labels(batch)), cfg.gradients());
                return new Trainable.Micro(lg.loss(), lg.grads(), batch.size(), tb.tokenCount());
            }, () -> evaluate(g, tok));
            String label = data.spec().name() + " " + plan.print() + " [" + cfg.policy().print() + "]";
            TrainingLoop.Result r = TrainingLoop.run(trainable, cfg, checkpoints, fingerprint(),
                    RunFacts.of(model, plan, cfg), label, crashAfter);
            log.info("{}: fine-tuned in {} s", label, String.format("%.0f", (System.nanoTime() - t0) / 1e9));
            return r;
        }
    }

    /** The frozen protocol's head on the plan's frozen features: step 0, and the fine-tuning head's start. */
    private LinearHead probe(Featurizer frozen) {
        INDArray x = frozen.pooled(train);
        HeadConfig hc = HeadConfig.frozenProtocol(cfg.seed());
        return classes > 0 ? LinearHead.classifier(x, train.stream().mapToInt(Example::label).toArray(), classes, hc)
                : LinearHead.regressor(x, train.stream().mapToDouble(Example::target).toArray(), hc);
    }

    /** Micro-batch {@code micro} of the endless seeded stream: epoch e is permutation e of the train set. */
    List<Example> batch(long micro) {
        int n = train.size();
        List<Example> out = new ArrayList<>(cfg.batchSize());
        long pos = micro * cfg.batchSize();
        int[] perm = null;
        long permEpoch = -1;
        for (int k = 0; k < cfg.batchSize(); k++, pos++) {
            long epoch = pos / n;
            if (epoch != permEpoch) {
                perm = permutation(n, cfg.seed() * 1_000_003L + epoch);
                permEpoch = epoch;
            }
            out.add(train.get(perm[(int) (pos % n)]));
        }
        return out;
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static TokenBatch encode(HfTokenizer tok, List<Example> batch) {
        List<String> a = batch.stream().map(e -> e.texts().get(0)).toList();
        return batch.get(0).texts().size() > 1
                ? tok.encodePairs(a, batch.stream().map(e -> e.texts().get(1)).toList()) : tok.encode(a);
    }

    private INDArray labels(List<Example> batch) {
        if (classes > 0) {
            INDArray l = Nd4j.zeros(DataType.FLOAT, batch.size(), classes);
            for (int i = 0; i < batch.size(); i++) {
                l.putScalar(i, batch.get(i).label(), 1f);
            }
            return l;
        }
        return Nd4j.createFromArray(batch.stream().mapToDouble(Example::target).toArray()).castTo(DataType.FLOAT)
                .reshape(batch.size(), 1);
    }

    private Trainable.Evaluation evaluate(EncoderTrainingGraph g, HfTokenizer tok) {
        List<Example> ev = heldOut;
        int[] predClass = new int[ev.size()];
        double[] predValue = new double[ev.size()];
        for (int s = 0; s < ev.size(); s += cfg.batchSize()) {
            List<Example> part = ev.subList(s, Math.min(ev.size(), s + cfg.batchSize()));
            INDArray out = g.logits(g.feed(encode(tok, part), null));
            for (int i = 0; i < part.size(); i++) {
                if (classes > 0) {
                    predClass[s + i] = out.getRow(i).argMax().getInt(0);
                } else {
                    predValue[s + i] = out.getDouble(i, 0);
                }
            }
        }
        Map<Metric, Double> v = new LinkedHashMap<>();
        Map<Metric, Double> se = new LinkedHashMap<>();
        int[] gold = ev.stream().mapToInt(Example::label).toArray();
        double[] target = ev.stream().mapToDouble(Example::target).toArray();
        for (Metric m : data.spec().metrics()) {
            v.put(m, classes > 0 ? m.of(predClass, gold) : m.of(predValue, target));
            // the frozen evaluation's error (TaskEvaluator): the same bootstrap over the held-out items
            double e = classes > 0 ? Bootstrap.stderr(m, predClass, gold) : Bootstrap.stderr(m, predValue, target);
            if (Double.isFinite(e)) {
                se.put(m, e);
            }
        }
        ItemScores items = classes > 0 ? new ItemScores.Classes(gold, predClass, Set.copyOf(data.spec().metrics()))
                : new ItemScores.Values(target, predValue);
        return new Trainable.Evaluation(v, se, v.get(data.spec().primary()), Map.of(), Map.of(), items);
    }
}
