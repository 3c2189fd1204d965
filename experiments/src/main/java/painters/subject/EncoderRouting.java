package painters.subject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.head.CrossValidation;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.LinearHead;
import painters.eval.head.PrefixCache;
import painters.eval.head.TaskEvaluator;
import painters.eval.route.PlanOutcomes;
import painters.eval.route.RouteData;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskKind;
import painters.eval.task.TaskSpec;
import painters.model.UserInputException;
import painters.model.family.SentenceEncoder;
import painters.model.graph.FrozenGraphs;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.model.tokenizer.HfTokenizer;

/**
 * A router's data on an encoder's classification task, under the frozen protocol: each plan's pooled features of
 * the train split (the settings' seeded subsample when capped) and of the scored split, a linear head per plan.
 * A training input's cost under a plan is the cross-entropy of the plan's head on it from seeded stratified
 * k-fold cross-validation on the train split (out of fold, so a head never scores the inputs it was fitted on);
 * a scored input's outcome is whether the plan's head trained on the whole train split gets it right, exactly
 * as the frozen grid scores the plan with that head seed. The router's features are the pooled state after the
 * shared prefix, pooled as the model's readout pools.
 */
final class EncoderRouting {

    private static final Logger log = LoggerFactory.getLogger(EncoderRouting.class);

    private EncoderRouting() {}

    static RouteData compute(SentenceEncoder m, SubjectSettings s, TaskData d, RouteRequest r) {
        TaskSpec spec = d.spec();
        if (spec.kind() != TaskKind.CLASSIFICATION || d.train() == null) {
            throw new UserInputException(spec.name() + ": a router is trained on a classification task's train "
                    + "split; this task is " + spec.kind().name().toLowerCase(Locale.ROOT)
                    + (d.train() == null ? " without a train split" : ""));
        }
        List<Example> train = TaskEvaluator.trainSubsample(d.train(), s.trainMax(), r.seed());
        List<Example> eval = d.eval();
        int classes = spec.labels().size();
        int[] ytr = train.stream().mapToInt(Example::label).toArray();
        int[] yte = eval.stream().mapToInt(Example::label).toArray();
        int k = r.plans().size();
        double[][] cost = new double[train.size()][k];
        double[][] outcome = new double[eval.size()][k];
        double[][][] routerFeatures = new double[2][][];
        LayerPlan prefix = r.prefixPlan();
        List<LayerPlan> all = new ArrayList<>(r.plans());
        all.add(prefix);
        all.sort(PlanPrefixes.TRIE_ORDER);
        PrefixCache cache = s.prefixCache() ? new PrefixCache(m, all) : null;
        HeadConfig head = HeadConfig.frozenProtocol(r.seed());
        int[] fold = CrossValidation.folds(train.size(), r.folds(), ytr, r.seed());
        HfTokenizer tok = m.tokenizer().withMaxLength(s.maxLength());
        try {
            int done = 0;
            for (LayerPlan plan : all) {
                log.info("{}: router data, plan {} ({}/{})", spec.name(), plan.print(), ++done, all.size());
                Featurizer f = Featurizer.of(m, plan, tok, s.batchSize(), cache);
                try {
                    // the features belong to the featurizer's graph: used before it is closed
                    INDArray xtr = f.pooled(train);
                    INDArray xte = f.pooled(eval);
                    if (plan == prefix) {
                        routerFeatures[0] = xtr.toDoubleMatrix();
                        routerFeatures[1] = xte.toDoubleMatrix();
                    } else {
                        int c = r.plans().indexOf(plan);
                        outOfFold(xtr, ytr, classes, fold, r.folds(), head, cost, c);
                        int[] pred = LinearHead.classifier(xtr, ytr, classes, head).predictClasses(xte);
                        for (int i = 0; i < yte.length; i++) {
                            outcome[i][c] = pred[i] == yte[i] ? 1 : 0;
                        }
                    }
                } finally {
                    f.close();
                    if (cache != null) {
                        cache.release(plan);
                    }
                }
            }
        } finally {
            tok.close();
        }
        double[] w = new double[eval.size()];
        Arrays.fill(w, 1);
        String protocol = String.format(Locale.ROOT, "linear head per plan on frozen %s features; training costs: "
                + "out-of-fold cross-entropy (seeded stratified %d-fold on train, n=%d%s); scored: head trained on all of "
                + "train, accuracy on %s (n=%d); router features: %s-pooled state after blocks 0..%d", m.pooling(),
                r.folds(), train.size(), train.size() < d.train().size() ? " of " + d.train().size() : "", spec.eval(),
                eval.size(), m.pooling(), r.prefix() - 1);
        return new RouteData(spec.name(), spec.version(), d.checksum(), spec.primary().id(), spec.chance(), r.plans(),
                r.prefix(), routerFeatures[0], cost, routerFeatures[1], new PlanOutcomes(outcome, w, false), protocol);
    }

    /** Column {@code c} of {@code cost}: each training input's cross-entropy under the head fitted without its fold. */
    private static void outOfFold(INDArray x, int[] y, int classes, int[] fold, int folds, HeadConfig head,
                                  double[][] cost, int c) {
        for (int f = 0; f < folds; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                (fold[i] == f ? out : in).add(i);
            }
            INDArray xin = x.get(Nd4j.createFromArray(in.stream().mapToInt(Integer::intValue).toArray()));
            INDArray xout = x.get(Nd4j.createFromArray(out.stream().mapToInt(Integer::intValue).toArray()));
            double[][] p = LinearHead.classifier(xin, in.stream().mapToInt(i -> y[i]).toArray(), classes, head)
                    .probabilities(xout);
            for (int j = 0; j < out.size(); j++) {
                int i = out.get(j);
                cost[i][c] = -Math.log(Math.max(p[j][y[i]], 1e-12));
            }
            FrozenGraphs.free(xin);
            FrozenGraphs.free(xout);
        }
    }
}
