package painters.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.AngularDistance;
import painters.eval.analysis.StateAnalysis;
import painters.eval.data.WordNet;
import painters.model.UserInputException;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanText;
import painters.model.tokenizer.TokenBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hidden-state analyses of a model under a plan: the paper's cosine-similarity heatmap, Block
 * Influence per step, angular distances and how alike a text's tokens are per state, written to a results folder.
 */
@Command(name = "analyze", description = "Cosine-similarity heatmap of the hidden states (Sun et al. 2024), "
        + "Block Influence (ShortGPT), angular distances (Gromov et al.) and token similarity (rank collapse, Dong et "
        + "al.), as CSV and PNG.")
final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    PlannedModelOptions model;

    @Mixin
    InputOptions input;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Texts, one per line (default: WordNet 3.1 example sentences from Maven Central).")
    Path file;

    @Option(names = "--texts", defaultValue = "256", description = "How many texts (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--text-seed", defaultValue = "0", description = "Seed of the text sample (default ${DEFAULT-VALUE}).")
    long textSeed;

    @Option(names = "--angular-token", defaultValue = "last", description = "last (Gromov et al.) or mean "
            + "(default ${DEFAULT-VALUE}).")
    String angularToken;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default results/analysis/<model>/<plan>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> texts = texts();
        if (count < 1) {
            throw new UserInputException("--texts must be at least 1, got " + count);
        }
        input.check();
        AngularDistance.Token token;
        try {
            token = AngularDistance.Token.valueOf(angularToken.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--angular-token must be last or mean, got " + angularToken);
        }
        LoadedModel m = model.load();
        String id = m.id();
        LayerPlan plan = model.plan(m.numLayers());
        HiddenStates states = m.hiddenStates(plan);
        List<PlanGraph.ExecutedStep> steps = states.steps();
        List<TokenBatch> batches = states.batches(texts, input.batchSize, input.maxLength);
        List<String> labels = labels(steps);
        System.out.printf("model    %s%nplan     %s (%d executed steps)%ntexts    %d (%s), max %d tokens%n", id,
                plan.print(), steps.size(), texts.size(),
                file != null ? file : "WordNet 3.1 examples, seed " + textSeed, input.maxLength);
        long t0 = System.nanoTime();
        StateAnalysis.Result r = StateAnalysis.run(batches, states::states, labels, token);
        Path dir = out != null ? out : Path.of("results", "analysis", slug(id), PlanText.slug(plan));
        AnalysisFiles.write(dir, r, id + "  " + plan.print() + "  (" + r.examples() + " texts)");
        System.out.printf("analysed %d texts, %d tokens in %.1f s%n%n", r.examples(), r.tokens(),
                (System.nanoTime() - t0) / 1e9);
        printMatrix(r);
        printInfluence(r);
        printAngular(r);
        printTokenSimilarity(r);
        System.out.printf("%nwrote %s/{%s}%n", dir, String.join(",", AnalysisFiles.FILES));
        return 0;
    }

    private List<String> texts() throws IOException {
        if (file != null) {
            List<String> lines = TextFiles.lines(file);
            return lines.subList(0, Math.min(count, lines.size()));
        }
        return WordNet.exampleSentences(WordNet.load(), count, 5, textSeed);
    }

    /** State labels: the step each state enters ("6", "P(6-11)#2"), then "out". */
    static List<String> labels(List<PlanGraph.ExecutedStep> steps) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        for (PlanGraph.ExecutedStep s : steps) {
            total.merge(PlanText.print(s.step()), 1, Integer::sum);
        }
        List<String> labels = new ArrayList<>();
        for (PlanGraph.ExecutedStep s : steps) {
            String p = PlanText.print(s.step());
            int k = seen.merge(p, 1, Integer::sum);
            labels.add(total.get(p) > 1 ? p + "#" + k : p);
        }
        labels.add("out");
        return labels;
    }

    private static void printMatrix(StateAnalysis.Result r) {
        System.out.println("cosine similarity of hidden states (state k enters executed step k; the last is the output)");
        System.out.printf("%-16s", "");
        for (int j = 0; j < r.labels().size(); j++) {
            System.out.printf("%6d", j);
        }
        System.out.println();
        for (int i = 0; i < r.labels().size(); i++) {
            System.out.printf("%3d %-12s", i, abbreviate(r.labels().get(i)));
            for (double v : r.cosine()[i]) {
                System.out.printf("%6.2f", v);
            }
            System.out.println();
        }
    }

    private static void printInfluence(StateAnalysis.Result r) {
        System.out.println("\nBlock Influence (1 - mean token cosine between a step's input and output; low = removable)");
        for (int i = 0; i < r.blockInfluence().length; i++) {
            System.out.printf("  step %-10s %.4f%n", r.labels().get(i), r.blockInfluence()[i]);
        }
    }

    private static void printAngular(StateAnalysis.Result r) {
        System.out.printf("%nAngular distance (%s token): best n-step run to drop = argmin_l d(x_l, x_{l+n})%n",
                r.token().name().toLowerCase(Locale.ROOT));
        int n = r.labels().size();
        for (int k = 1; k < n; k++) {
            int best = -1;
            for (int l = 0; l + k < n; l++) {
                if (best < 0 || r.angular()[l][k] < r.angular()[best][k]) {
                    best = l;
                }
            }
            System.out.printf("  n=%-3d drop steps %s..%s  d=%.4f%n", k, r.labels().get(best),
                    r.labels().get(best + k - 1), r.angular()[best][k]);
        }
    }

    private static void printTokenSimilarity(StateAnalysis.Result r) {
        System.out.printf("%nToken similarity (mean cosine between two tokens of a text; 1 = every position alike, "
                + "%d texts)%n", r.tokenSimilarity().examples());
        for (int i = 0; i < r.labels().size(); i++) {
            System.out.printf("  state %-10s %.4f +- %.4f%n", r.labels().get(i), r.tokenSimilarity().mean()[i],
                    r.tokenSimilarity().se()[i]);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 12 ? s : s.substring(0, 11) + "~";
    }

    static String slug(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
