package painters.eval.lm.task;

import java.nio.charset.StandardCharsets;
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
 * Rolling perplexity on WikiText-2 (the word-level release in ../shared/data: {@code <unk>} and
 * {@code @-@} as they are, no detokenisation), one document per article (a {@code " = Title = "}
 * line starts one). Each document is scored in windows of the model's max length (lm-eval's
 * loglikelihood_rolling). Reports word perplexity (exp(-total ll / whitespace words)), byte
 * perplexity, bits per byte, and token perplexity (which depends on the tokenizer).
 */
public final class Wikitext implements LmTask {

    private final String split;

    /** @param split "test" or "valid" */
    public Wikitext(String split) {
        this.split = split;
    }

    @Override
    public String name() {
        return "wikitext2";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Metric primary() {
        return Metric.WORD_PERPLEXITY;
    }

    @Override
    public double chance() {
        return Double.NaN;
    }

    @Override
    public List<String> files() {
        return List.of("wikitext2/" + split + ".txt");
    }

    /** The articles of the file. */
    public static List<String> documents(List<String> lines) {
        List<String> docs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String l : lines) {
            if (l.matches("^ = [^=].* = $") && !cur.toString().isBlank()) {
                docs.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(l).append('\n');
        }
        if (!cur.toString().isBlank()) {
            docs.add(cur.toString());
        }
        return docs;
    }

    @Override
    public TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit) {
        List<String> docs = documents(JsonLines.lines(data.resolve(files().get(0))));
        if (limit > 0 && docs.size() > limit) {
            docs = docs.subList(0, limit);
        }
        List<LanguageModel.TokenPair> reqs = new ArrayList<>();
        int[] windows = new int[docs.size()];
        long[] docWords = new long[docs.size()];
        long[] docBytes = new long[docs.size()];
        long words = 0;
        long bytes = 0;
        for (int i = 0; i < docs.size(); i++) {
            String d = docs.get(i);
            List<LanguageModel.TokenPair> w = requests.rollingWindows(lm.tokenizer().encode(d), lm.maxLength());
            reqs.addAll(w);
            windows[i] = w.size();
            docWords[i] = d.strip().split("\\s+").length;
            docBytes[i] = d.getBytes(StandardCharsets.UTF_8).length;
            words += docWords[i];
            bytes += docBytes[i];
        }
        List<LanguageModel.LogLikelihood> lls = LmRuns.loglikelihood(lm, reqs, name());
        double ll = 0;
        long tokens = 0;
        ItemScores.Sums.Builder items = ItemScores.Sums.builder();
        int k = 0;
        for (int i = 0; i < docs.size(); i++) {
            double docLl = 0;
            long docTokens = 0;
            for (int j = 0; j < windows[i]; j++, k++) {
                docLl += lls.get(k).logProb();
                docTokens += lls.get(k).tokens();
            }
            ll += docLl;
            tokens += docTokens;
            Map<Metric, double[]> v = new EnumMap<>(Metric.class);
            v.put(Metric.WORD_PERPLEXITY, new double[] {docLl, docWords[i]});
            v.put(Metric.BYTE_PERPLEXITY, new double[] {docLl, docBytes[i]});
            v.put(Metric.BITS_PER_BYTE, new double[] {docLl, docBytes[i]});
            v.put(Metric.PERPLEXITY, new double[] {docLl, docTokens});
            items.add(v, null);
        }
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.WORD_PERPLEXITY, Math.exp(-ll / words));
        v.put(Metric.BYTE_PERPLEXITY, Math.exp(-ll / bytes));
        v.put(Metric.BITS_PER_BYTE, -ll / bytes / Math.log(2));
        v.put(Metric.PERPLEXITY, Math.exp(-ll / tokens));
        return new TaskScore(name(), version(), v, primary(), chance(), docs.size(),
                "rolling log-likelihood, windows of " + lm.maxLength() + " tokens", dataChecksum(data), 0)
                .withItems(items.build());
    }
}
