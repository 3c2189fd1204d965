package painters.eval.head;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskKind;
import painters.eval.task.TaskScore;
import painters.eval.task.TaskSpec;
import painters.model.family.Pooling;

/**
 * Scores a task on an encoder (under whatever plan the featurizer's encoder runs):
 * <ul>
 *   <li>similarity: zero-shot cosine of the two texts' sentence embeddings against the gold score;</li>
 *   <li>classification / regression: a linear head trained on frozen pooled features (the plan is
 *   applied before the head is trained), on the train split if the task has one (optionally a seeded
 *   subsample), otherwise by seeded stratified k-fold cross-validation on the scored split, with
 *   the out-of-fold predictions pooled and scored once.</li>
 * </ul>
 */
public final class TaskEvaluator {

    private static final Logger log = LoggerFactory.getLogger(TaskEvaluator.class);

    private TaskEvaluator() {}

    /**
     * @param trainMax cap on training examples (seeded subsample); 0 = all
     */
    public static TaskScore evaluate(TaskData data, Features f, HeadConfig head, int trainMax) {
        return evaluate(data, f, head, trainMax, PairEncoding.JOINT);
    }

    /**
     * @param trainMax cap on training examples (seeded subsample); 0 = all
     * @param pairs    how a two-text task's pair becomes features (resolved: joint or separate)
     */
    public static TaskScore evaluate(TaskData data, Features f, HeadConfig head, int trainMax, PairEncoding pairs) {
        TaskSpec spec = data.spec();
        if (pairs == PairEncoding.AUTO) {
            throw new IllegalArgumentException("resolve the pair encoding for the model first");
        }
        long t0 = System.nanoTime();
        Input in = spec.text().size() == 2 && pairs == PairEncoding.SEPARATE ? new Input(f::pooledSeparately,
                "; each text encoded alone, head on [u, v, |u-v|, u*v]") : new Input(f::pooled,
                spec.text().size() == 2 ? "; the pair encoded together" : "");
        TaskScore s = switch (spec.kind()) {
            case SIMILARITY -> similarity(data, f);
            case CLASSIFICATION, REGRESSION -> data.train() != null ? trainThenScore(data, in, head, trainMax)
                    : crossValidate(data, in, head);
        };
        log.info("{}: {} = {} ({}; {} s)", spec.name(), spec.primary().id(), String.format("%.4f", s.primaryValue()),
                s.protocol(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        return s;
    }

    static TaskScore similarity(TaskData data, Features f) {
        List<Example> ex = data.eval();
        INDArray a = Pooling.l2Normalize(f.pooledField(ex, 0));
        INDArray b = Pooling.l2Normalize(f.pooledField(ex, 1));
        double[] cos = a.mul(b).sum(1).toDoubleVector();
        double[] gold = ex.stream().mapToDouble(Example::target).toArray();
        Measured v = metrics(data.spec(), cos, gold);
        return score(data, v, ex.size(), "zero-shot cosine of sentence embeddings vs gold, " + data.spec().eval()
                + " split");
    }

    /** How a task's examples become head features, and how the protocol says so. */
    record Input(Function<List<Example>, INDArray> features, String says) {}

    static TaskScore trainThenScore(TaskData data, Input f, HeadConfig head, int trainMax) {
        List<Example> train = trainSubsample(data.train(), trainMax, head.seed());
        String sub = train.size() < data.train().size()
                ? ", a seeded subsample of " + trainMax + " of " + data.train().size() : "";
        INDArray xTrain = f.features().apply(train);
        INDArray xEval = f.features().apply(data.eval());
        Measured v = fitAndScore(data.spec(), xTrain, train, xEval, data.eval(), head);
        return score(data, v, data.eval().size(), "linear head on the frozen encoder, trained on train (n="
                + train.size() + sub + "), scored on " + data.spec().eval() + f.says());
    }

    /**
     * The training examples a head with seed {@code seed} is trained on: all of {@code train}, or, capped at
     * {@code trainMax} (> 0), a seeded subsample.
     */
    public static List<Example> trainSubsample(List<Example> train, int trainMax, long seed) {
        if (trainMax <= 0 || train.size() <= trainMax) {
            return train;
        }
        List<Example> copy = new ArrayList<>(train);
        Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, trainMax);
    }

    static TaskScore crossValidate(TaskData data, Input f, HeadConfig head) {
        TaskSpec spec = data.spec();
        List<Example> ex = data.eval();
        INDArray x = f.features().apply(ex);
        int k = spec.folds();
        int[] labels = spec.kind() == TaskKind.CLASSIFICATION ? ex.stream().mapToInt(Example::label).toArray() : null;
        int[] fold = CrossValidation.folds(ex.size(), k, labels, head.seed());
        int[] predClass = new int[ex.size()];
        double[] predValue = new double[ex.size()];
        for (int i = 0; i < k; i++) {
            List<Integer> tr = new ArrayList<>();
            List<Integer> te = new ArrayList<>();
            for (int j = 0; j < ex.size(); j++) {
                (fold[j] == i ? te : tr).add(j);
            }
            INDArray xtr = x.get(Nd4j.createFromArray(tr.stream().mapToInt(Integer::intValue).toArray()));
            INDArray xte = x.get(Nd4j.createFromArray(te.stream().mapToInt(Integer::intValue).toArray()));
            List<Example> etr = tr.stream().map(ex::get).toList();
            if (spec.kind() == TaskKind.CLASSIFICATION) {
                int[] p = LinearHead.classifier(xtr, etr.stream().mapToInt(Example::label).toArray(), spec.labels().size(),
                        head).predictClasses(xte);
                for (int j = 0; j < te.size(); j++) {
                    predClass[te.get(j)] = p[j];
                }
            } else {
                double[] p = LinearHead.regressor(xtr, etr.stream().mapToDouble(Example::target).toArray(), head)
                        .predictValues(xte);
                for (int j = 0; j < te.size(); j++) {
                    predValue[te.get(j)] = p[j];
                }
            }
        }
        Measured v = spec.kind() == TaskKind.CLASSIFICATION ? metrics(spec, predClass, labels)
                : metrics(spec, predValue, ex.stream().mapToDouble(Example::target).toArray());
        return score(data, v, ex.size(), "linear head on the frozen encoder, seeded stratified " + k
                + "-fold cross-validation on " + spec.eval() + " (no train split); out-of-fold predictions pooled" + f.says());
    }

    private static Measured fitAndScore(TaskSpec spec, INDArray xTrain, List<Example> train, INDArray xEval,
                                                   List<Example> eval, HeadConfig head) {
        if (spec.kind() == TaskKind.CLASSIFICATION) {
            LinearHead h = LinearHead.classifier(xTrain, train.stream().mapToInt(Example::label).toArray(),
                    spec.labels().size(), head);
            return metrics(spec, h.predictClasses(xEval), eval.stream().mapToInt(Example::label).toArray());
        }
        LinearHead h = LinearHead.regressor(xTrain, train.stream().mapToDouble(Example::target).toArray(), head);
        return metrics(spec, h.predictValues(xEval), eval.stream().mapToDouble(Example::target).toArray());
    }

    /** Every metric of a task on its scored items, with its standard error over them, and the items' outputs. */
    record Measured(Map<Metric, Double> values, Map<Metric, Double> stderr, ItemScores items) {}

    private static Measured metrics(TaskSpec spec, int[] pred, int[] gold) {
        Map<Metric, Double> v = new LinkedHashMap<>();
        Map<Metric, Double> se = new LinkedHashMap<>();
        for (Metric m : spec.metrics()) {
            v.put(m, m.of(pred, gold));
            se.put(m, Bootstrap.stderr(m, pred, gold));
        }
        return new Measured(v, se, new ItemScores.Classes(gold.clone(), pred.clone(), Set.copyOf(spec.metrics())));
    }

    private static Measured metrics(TaskSpec spec, double[] pred, double[] gold) {
        Map<Metric, Double> v = new LinkedHashMap<>();
        Map<Metric, Double> se = new LinkedHashMap<>();
        for (Metric m : spec.metrics()) {
            v.put(m, m.of(pred, gold));
            se.put(m, Bootstrap.stderr(m, pred, gold));
        }
        return new Measured(v, se, new ItemScores.Values(gold.clone(), pred.clone()));
    }

    private static TaskScore score(TaskData data, Measured v, int n, String protocol) {
        TaskSpec s = data.spec();
        return new TaskScore(s.name(), s.version(), v.values(), s.primary(), s.chance(), n, protocol, data.checksum(),
                data.skipped().size(), data.degenerate(), v.stderr(), v.items());
    }
}
