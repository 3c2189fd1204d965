package painters.eval.lm.task;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import painters.eval.lm.JsonLines;
import painters.eval.lm.LanguageModel;
import painters.eval.lm.LmRequests;
import painters.eval.lm.LmTask;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.task.TaskScore;

/**
 * GSM8K test, lm-eval's gsm8k: k-shot prompts ({@code "Question: q\nAnswer: a"} examples from the
 * train split joined by blank lines, drawn by a seeded RNG per question), greedy generation up to 256
 * tokens stopped at {@code "Question:"}, {@code "</s>"} or {@code "<|im_end|>"}, and exact match of the
 * number after {@code "#### "} (strict-match; commas, {@code $} and a trailing period ignored).
 */
public final class Gsm8k implements LmTask {

    public static final List<String> STOPS = List.of("Question:", "</s>", "<|im_end|>");
    static final Pattern STRICT = Pattern.compile("#### (-?[0-9.,]+)");

    private final int shots;
    private final long seed;
    private final int maxNewTokens;

    public Gsm8k(int shots, long seed, int maxNewTokens) {
        this.shots = shots;
        this.seed = seed;
        this.maxNewTokens = maxNewTokens;
    }

    @Override
    public String name() {
        return "gsm8k";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Metric primary() {
        return Metric.EXACT_MATCH;
    }

    @Override
    public double chance() {
        return 0;
    }

    @Override
    public List<String> files() {
        return List.of("gsm8k/test.jsonl", "gsm8k/train.jsonl");
    }

    /** The number after "#### ", normalised, or "[invalid]". */
    public static String extract(String text) {
        Matcher m = STRICT.matcher(text);
        return m.find() ? normalize(m.group(1)) : "[invalid]";
    }

    static String normalize(String s) {
        String t = s.replace(",", "").replace("$", "").strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /** The k-shot prompt for {@code question}. */
    public static String prompt(List<JsonLines.Row> train, int shots, Random rnd, String question) {
        StringBuilder sb = new StringBuilder();
        List<Integer> picked = new ArrayList<>();
        while (picked.size() < Math.min(shots, train.size())) {
            int i = rnd.nextInt(train.size());
            if (!picked.contains(i)) {
                picked.add(i);
            }
        }
        for (int i : picked) {
            JsonLines.Row r = train.get(i);
            sb.append("Question: ").append(r.string("question")).append("\nAnswer: ").append(r.string("answer"))
                    .append("\n\n");
        }
        return sb.append("Question: ").append(question).append("\nAnswer:").toString();
    }

    /** The train split's problems, each {@code "Question: q\nAnswer: a"} as the few-shot examples are written. */
    @Override
    public TrainSplit trainSplit(Path data) {
        List<String> docs = new ArrayList<>();
        for (JsonLines.Row r : JsonLines.read(data.resolve(files().get(1)))) {
            docs.add("Question: " + r.string("question") + "\nAnswer: " + r.string("answer"));
        }
        return new TrainSplit(docs, List.of(files().get(1)));
    }

    @Override
    public TaskScore evaluate(LanguageModel lm, LmRequests requests, Path data, int limit) {
        List<JsonLines.Row> test = JsonLines.read(data.resolve(files().get(0)));
        List<JsonLines.Row> train = JsonLines.read(data.resolve(files().get(1)));
        if (limit > 0 && test.size() > limit) {
            test = test.subList(0, limit);
        }
        Random rnd = new Random(seed);
        List<int[]> prompts = new ArrayList<>();
        List<String> gold = new ArrayList<>();
        for (JsonLines.Row r : test) {
            prompts.add(requests.prompt(prompt(train, shots, rnd, r.string("question"))));
            String g = extract(r.string("answer"));
            if (g.equals("[invalid]")) {
                throw r.bad("answer has no \"#### <number>\"");
            }
            gold.add(g);
        }
        List<int[]> out = lm.generate(prompts, maxNewTokens,
                (row, ids) -> {
                    String text = lm.tokenizer().decode(ids);
                    return LmRequests.cutAtStop(text, STOPS).length() < text.length();
                });
        int ok = 0;
        ItemScores.Sums.Builder items = ItemScores.Sums.builder();
        for (int i = 0; i < out.size(); i++) {
            String text = LmRequests.cutAtStop(lm.tokenizer().decode(out.get(i)), STOPS);
            String answer = extract(text);
            int hit = answer.equals(gold.get(i)) ? 1 : 0;
            ok += hit;
            JsonObject extra = new JsonObject();
            extra.addProperty("target", gold.get(i));
            extra.addProperty("answer", answer);
            items.add(Map.of(Metric.EXACT_MATCH, new double[] {hit, 1}), extra);
        }
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        v.put(Metric.EXACT_MATCH, (double) ok / test.size());
        return new TaskScore(name(), version(), v, primary(), chance(), test.size(),
                shots + "-shot greedy generation (seed " + seed + "), strict match after ####",
                dataChecksum(data), 0).withItems(items.build());
    }
}
