package painters.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.head.Featurizer;
import painters.eval.head.PrefixCache;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;
import painters.model.Backend;
import painters.model.UserInputException;
import painters.model.family.ModelFamilies;
import painters.model.family.Pooling;
import painters.model.family.SentenceEncoder;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.model.tokenizer.HfTokenizer;
import painters.study.Cell;
import painters.study.StudyCells;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A study's grid of encoder plans featurized from scratch and prefix-shared: times, ratios, largest difference. */
@Command(name = "grid", description = "Featurize every distinct plan of a study's grid over its tasks' texts, from "
        + "scratch and with the prefix cache; print both times, the ratio and the largest difference (encoders).")
final class BenchGrid implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STUDY", description = "The study file, e.g. studies/default.json.")
    Path grid;

    @Option(names = "--texts", paramLabel = "N", description = "Featurize only the first N texts of the tasks (a "
            + "quicker sample of the same grid; default all).")
    Integer maxTexts;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Study key overrides (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--plans", split = ",", paramLabel = "N", description = "Instead, the scaling curve: for each N, the "
            + "first N distinct plans of one seeded shuffle of the grid, featurized with prefix sharing, next to the sum "
            + "of their from-scratch times (e.g. 10,30,90).")
    List<Integer> curve;

    @Override
    public Integer call() throws Exception {
        return BenchSupport.withPeaks(this::grid);
    }

    /**
     * The study-grid benchmark: every distinct computation of the study's plans featurizes every text
     * its tasks score (train and eval splits), once from scratch and once with the prefix cache
     * (shared states computed inside its time), in the order a study runs them; the features must
     * agree. Plans of the grid that compute the same function (equal computation keys) cost their
     * computation's from-scratch time each in the "every plan from scratch" total.
     */
    int grid() throws Exception {
        StudySpec spec = StudySpecs.load(grid, sets);
        if (!(ModelFamilies.load(spec.model()) instanceof SentenceEncoder m)) {
            throw new UserInputException(spec.model() + ": bench grid measures the prefix cache of sentence encoders' "
                    + "feature grids; this model is not one");
        }
        int t = m.numLayers();
        Map<String, LayerPlan> plans = new LinkedHashMap<>();
        Map<String, Set<String>> gridPlans = new HashMap<>();
        for (Cell c : StudyCells.of(spec, t)) {
            plans.putIfAbsent(c.plan().computationKey(), c.plan());
            gridPlans.computeIfAbsent(c.plan().computationKey(), k -> new HashSet<>()).add(c.plan().print());
        }
        List<LayerPlan> order = plans.values().stream()
                .sorted(PlanPrefixes.TRIE_ORDER).toList();
        List<Example> texts = new ArrayList<>();
        Path data = spec.data() == null ? null : Path.of(spec.data());
        for (String task : spec.tasks()) {
            TaskData d = TaskData.load(TaskSpecs.load(task, data));
            if (d.train() != null) {
                texts.addAll(d.train());
            }
            texts.addAll(d.eval());
        }
        if (maxTexts != null && maxTexts < texts.size()) {
            texts = new ArrayList<>(texts.subList(0, maxTexts));
        }
        if (curve != null) {
            return curve(spec, m, new ArrayList<>(order), texts);
        }
        int everyPlan = gridPlans.values().stream().mapToInt(Set::size).sum();
        PrefixCache cache = new PrefixCache(m, order);
        int blocksScratch = 0;
        int blocksEvery = 0;
        for (LayerPlan p : order) {
            blocksScratch += p.applications();
            blocksEvery += p.applications() * gridPlans.get(p.computationKey()).size();
        }
        int blocksShared = cache.prefixes().applications(order);
        System.out.printf("study    %s: %d plans in the grid, %d distinct computations, x %d texts (tasks %s), batch %d, "
                + "max length %d%n", spec.name(), everyPlan, plans.size(), texts.size(), spec.tasks(), spec.batchSize(),
                spec.maxLength());
        System.out.printf("sharing  %d branch points; block applications per text: every plan %d, distinct %d, "
                + "prefix-shared %d%n", cache.prefixes().branchPoints().size(), blocksEvery, blocksScratch, blocksShared);
        System.out.printf("pooling  %s%s%n", m.pooling(), m.pooling() == Pooling.CLS
                ? ": each plan's last step computes the first position only, from scratch and shared alike" : "");
        System.out.printf("backend  %s%n%n", Backend.current());
        double scratch = 0;
        double every = 0;
        double cached = 0;
        double maxDiff = 0;
        try (HfTokenizer tok = m.tokenizer().withMaxLength(spec.maxLength())) {
            for (LayerPlan p : order) {
                long t0 = System.nanoTime();
                INDArray a = Featurizer.of(m, p, tok, spec.batchSize(), null).pooled(texts);
                long t1 = System.nanoTime();
                INDArray b = Featurizer.of(m, p, tok, spec.batchSize(), cache).pooled(texts);
                cache.release(p);
                long t2 = System.nanoTime();
                int copies = gridPlans.get(p.computationKey()).size();
                scratch += (t1 - t0) / 1e9;
                every += copies * (t1 - t0) / 1e9;
                cached += (t2 - t1) / 1e9;
                maxDiff = Math.max(maxDiff, a.sub(b).amaxNumber().doubleValue());
                System.out.printf("%-40s x%-2d scratch %6.1f s  shared %6.1f s  (states held %d)%n", p.print(), copies,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, cache.statesHeld());
            }
        }
        System.out.printf("%ngrid: every plan from scratch %.0f s, distinct computations from scratch %.0f s, prefix-shared "
                + "%.0f s%n", every, scratch, cached);
        System.out.printf("ratio: %.2fx vs every plan from scratch, %.2fx vs distinct computations from scratch "
                + "(block applications: %.2fx, %.2fx); largest feature difference %.1e%n",
                every / cached, scratch / cached, (double) blocksEvery / blocksShared,
                (double) blocksScratch / blocksShared, maxDiff);
        return 0;
    }

    /**
     * Cost against the number of plans: the grid's distinct computations shuffled once (seed 0); for each size
     * N, the first N of them (so each size contains the smaller ones) run in trie order through a fresh prefix
     * cache, timed, next to the sum of the same plans' from-scratch times (each plan timed once from scratch).
     */
    private int curve(StudySpec spec, SentenceEncoder m, List<LayerPlan> plans,
                      List<Example> texts) throws Exception {
        Collections.shuffle(plans, new Random(0));
        int largest = curve.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (largest > plans.size() || curve.stream().anyMatch(n -> n < 1)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--plans: sizes must be 1.."
                    + plans.size() + " (the grid's distinct computations), got " + curve);
        }
        System.out.printf("study    %s: %d distinct computations, shuffled with seed 0; sizes %s x %d texts, batch %d%n",
                spec.name(), plans.size(), curve, texts.size(), spec.batchSize());
        System.out.printf("backend  %s%n%n", Backend.current());
        double[] scratch = new double[largest];
        try (HfTokenizer tok = m.tokenizer().withMaxLength(spec.maxLength())) {
            for (int i = 0; i < largest; i++) {
                scratch[i] = featurize(m, plans.get(i), tok, spec.batchSize(), null, texts);
            }
            System.out.printf("%6s %14s %14s %12s %12s %14s %8s%n", "plans", "blocks/text", "blocks/text", "scratch s",
                    "shared s", "shared s/plan", "ratio");
            System.out.printf("%6s %14s %14s %12s %12s %14s %8s%n", "", "(scratch)", "(shared)", "", "", "", "");
            for (int n : curve) {
                List<LayerPlan> some = plans.subList(0, n).stream()
                        .sorted(PlanPrefixes.TRIE_ORDER).toList();
                PrefixCache cache = new PrefixCache(m, some);
                double shared = 0;
                for (LayerPlan p : some) {
                    shared += featurize(m, p, tok, spec.batchSize(), cache, texts);
                    cache.release(p);
                }
                double sum = Arrays.stream(scratch, 0, n).sum();
                int blocks = some.stream().mapToInt(LayerPlan::applications).sum();
                System.out.printf("%6d %14d %14d %12.1f %12.1f %14.2f %7.2fx%n", n, blocks,
                        cache.prefixes().applications(some), sum, shared, shared / n, sum / shared);
            }
        }
        System.out.println("\nratio = from-scratch time / prefix-shared time of the same plans (higher is better)");
        return 0;
    }

    /** Seconds to featurize {@code texts} under {@code plan} (through {@code cache} when not null); the features are freed. */
    private static double featurize(SentenceEncoder m, LayerPlan plan,
                                    HfTokenizer tok, int batch,
                                    PrefixCache cache, List<Example> texts) {
        long t0 = System.nanoTime();
        Featurizer f = Featurizer.of(m, plan, tok, batch,
                cache);
        f.pooled(texts);
        f.close();
        return (System.nanoTime() - t0) / 1e9;
    }
}
