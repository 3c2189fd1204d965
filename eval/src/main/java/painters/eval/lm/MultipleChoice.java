package painters.eval.lm;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;
import painters.model.UserInputException;

/**
 * Scores multiple-choice items by log-likelihood, as lm-eval does: {@code acc} picks the choice with
 * the highest {@code log P(continuation | context)}; {@code acc_norm} divides each by the length in
 * characters (Unicode code points) of the choice text, without the leading space (lm-eval v0.4's
 * {@code len(choice)}). Ties go to the first choice (numpy argmax).
 */
public abstract class MultipleChoice implements LmTask {

    /** The task's items. */
    public abstract List<ChoiceDoc> docs(Path data);

    /** Whether acc_norm is reported (not for WinoGrande's partial scoring). */
    protected boolean reportsAccNorm() {
        return true;
    }

    @Override
    public Metric primary() {
        return reportsAccNorm() ? Metric.ACC_NORM : Metric.ACCURACY;
    }

    @Override
    public double chance() {
        return Double.NaN;      // computed from the items: mean of 1/choices
    }

    /** Mean of 1/choices over the items scored with this limit. */
    @Override
    public double chance(Path data, int limit) {
        List<ChoiceDoc> docs = docs(data);
        if (limit > 0 && docs.size() > limit) {
            docs = docs.subList(0, limit);
        }
        double chance = 0;
        for (ChoiceDoc d : docs) {
            chance += 1.0 / d.size();         // summed as score() sums it: the same value
        }
        return chance / docs.size();
    }

    @Override
    public TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit) {
        List<ChoiceDoc> docs = docs(data);
        if (limit > 0 && docs.size() > limit) {
            docs = docs.subList(0, limit);
        }
        List<LanguageModel.TokenPair> reqs = new ArrayList<>();
        for (ChoiceDoc d : docs) {
            for (int i = 0; i < d.size(); i++) {
                reqs.add(requests.pair(d.contexts().get(i), d.continuations().get(i)));
            }
        }
        List<LanguageModel.LogLikelihood> lls = LmRuns.loglikelihood(lm, reqs, name());
        double[] s = score(docs, lls);
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.ACCURACY, s[0]);
        if (reportsAccNorm()) {
            values.put(Metric.ACC_NORM, s[1]);
        }
        return new TaskScore(name(), version(), values, primary(), s[2], docs.size(),
                "zero-shot log-likelihood of each choice", dataChecksum(data), 0).withItems(items(docs, lls,
                reportsAccNorm()));
    }

    /**
     * Per item: acc and acc_norm (0/1, by the rule of {@link #score}), the gold index and each choice's
     * log-likelihood (lm-eval's {@code target} and {@code resps}).
     */
    static ItemScores.Sums items(List<ChoiceDoc> docs, List<LanguageModel.LogLikelihood> lls, boolean accNorm) {
        ItemScores.Sums.Builder b = ItemScores.Sums.builder();
        int k = 0;
        for (ChoiceDoc d : docs) {
            List<ChoiceDoc> one = List.of(d);
            double[] s = score(one, lls.subList(k, k + d.size()));
            JsonObject extra = new JsonObject();
            extra.addProperty("target", d.gold());
            JsonArray ll = new JsonArray();
            for (int i = 0; i < d.size(); i++) {
                ll.add(lls.get(k + i).logProb());
            }
            extra.add("loglikelihoods", ll);
            k += d.size();
            Map<Metric, double[]> v = new EnumMap<>(Metric.class);
            v.put(Metric.ACCURACY, new double[] {s[0], 1});
            if (accNorm) {
                v.put(Metric.ACC_NORM, new double[] {s[1], 1});
            }
            b.add(v, extra);
        }
        return b.build();
    }

    /** {@code [acc, acc_norm, chance]} of items given their choices' log-likelihoods, in order. */
    public static double[] score(List<ChoiceDoc> docs, List<LanguageModel.LogLikelihood> lls) {
        int choices = docs.stream().mapToInt(ChoiceDoc::size).sum();
        if (choices != lls.size()) {
            throw new UserInputException(lls.size() + " log-likelihoods for " + choices + " choices");
        }
        int k = 0;
        int acc = 0;
        int accNorm = 0;
        double chance = 0;
        for (ChoiceDoc d : docs) {
            int best = 0;
            int bestNorm = 0;
            double[] ll = new double[d.size()];
            double[] norm = new double[d.size()];
            for (int i = 0; i < d.size(); i++) {
                ll[i] = lls.get(k++).logProb();
                int len = d.choiceTexts().get(i).codePointCount(0, d.choiceTexts().get(i).length());
                norm[i] = ll[i] / Math.max(1, len);
                if (ll[i] > ll[best]) {
                    best = i;
                }
                if (norm[i] > norm[bestNorm]) {
                    bestNorm = i;
                }
            }
            acc += best == d.gold() ? 1 : 0;
            accNorm += bestNorm == d.gold() ? 1 : 0;
            chance += 1.0 / d.size();
        }
        int n = docs.size();
        return new double[] {(double) acc / n, (double) accNorm / n, chance / n};
    }
}
