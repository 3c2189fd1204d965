package painters.eval.lm.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import painters.eval.lm.JsonLines;
import painters.eval.lm.LanguageModel;
import painters.eval.lm.LmRequests;
import painters.eval.lm.LmRuns;
import painters.eval.lm.LmTask;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;

/**
 * LAMBADA (OpenAI's test set), lm-eval's lambada_openai: the last word ({@code " " + word}) given the
 * passage. acc = every token of the word is the greedy choice; perplexity = exp(-mean over items of
 * the word's total log-likelihood).
 */
public final class Lambada implements LmTask {

    @Override
    public String name() {
        return "lambada";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Metric primary() {
        return Metric.ACCURACY;
    }

    @Override
    public double chance() {
        return 0;
    }

    @Override
    public List<String> files() {
        return List.of("lambada/lambada_openai.jsonl");
    }

    @Override
    public TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit) {
        List<JsonLines.Row> rows = JsonLines.read(data.resolve(files().get(0)));
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        List<LanguageModel.TokenPair> reqs = new ArrayList<>();
        for (JsonLines.Row r : rows) {
            reqs.add(requests.pair(r.string("context"), " " + r.string("continuation").strip()));
        }
        List<LanguageModel.LogLikelihood> lls = LmRuns.loglikelihood(lm, reqs, name());
        double[] s = score(lls);
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.ACCURACY, s[0]);
        v.put(Metric.PERPLEXITY, s[1]);
        return new TaskScore(name(), version(), v, primary(), chance(), rows.size(),
                "zero-shot last-word log-likelihood", dataChecksum(data), 0).withItems(items(lls));
    }

    /** Per item: acc (every token greedy, 0/1) and the word's log-likelihood (perplexity over items). */
    public static ItemScores.Sums items(List<LanguageModel.LogLikelihood> lls) {
        ItemScores.Sums.Builder b = ItemScores.Sums.builder();
        for (LanguageModel.LogLikelihood l : lls) {
            Map<Metric, double[]> v = new EnumMap<>(Metric.class);
            v.put(Metric.ACCURACY, new double[] {l.greedy() ? 1 : 0, 1});
            v.put(Metric.PERPLEXITY, new double[] {l.logProb(), 1});
            b.add(v, null);
        }
        return b.build();
    }

    /** {@code [acc, perplexity]}. */
    public static double[] score(List<LanguageModel.LogLikelihood> lls) {
        double sum = 0;
        int ok = 0;
        for (LanguageModel.LogLikelihood l : lls) {
            sum += l.logProb();
            ok += l.greedy() ? 1 : 0;
        }
        return new double[] {(double) ok / lls.size(), Math.exp(-sum / lls.size())};
    }
}
