package painters.study.grid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import painters.eval.metric.Metric;
import painters.eval.metric.Normalization;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.NoiseRule;
import painters.study.StudyCells;

/**
 * A study's primary-metric results read back from {@code results.jsonl}, normalised against chance and
 * the full model ({@code (score - chance) / (full - chance)}, same task and head seed), and grouped
 * the way the paper plots them.
 */
public final class StudyTable {

    /** The chance rule's number of standard errors ({@link NoiseRule#Z_ABOVE_CHANCE}). */
    public static final double Z_ABOVE_CHANCE = NoiseRule.Z_ABOVE_CHANCE;

    /** The chance rule's fallback margin ({@link NoiseRule#MIN_ABOVE_CHANCE}). */
    public static final double MIN_FULL_ABOVE_CHANCE = NoiseRule.MIN_ABOVE_CHANCE;

    /**
     * One primary-metric result with its normalised value and their standard errors.
     *
     * @param stderr     of the value (over the scored items)
     * @param fullStderr of the full model's value on the same task and head seed
     * @param normStderr of the normalised value: paired with the full model (the standard deviation of its
     *                   replicates) when both have their per-item outputs; otherwise sqrt(se^2 + n^2 se_full^2) /
     *                   (full - chance), the two errors taken as independent (conservative)
     * @param normReps   bootstrap replicates of the normalised value ({@link ScoreReplicates}), null when not
     *                   normalised
     * @param paired     whether this value and the full model's come from their per-item outputs (paired errors)
     */
    public record Entry(String variant, int split, int affected, long planSeed, int layer, int loops, String plan, int depth,
                        int applications, String task, long headSeed, String metric, double value, double chance,
                        double full, double normalised, double stderr, double fullStderr, double normStderr,
                        Replicates normReps, boolean paired) {}

    /**
     * A plan's result across tasks: median and mean of the normalised scores, and the standard error of
     * the median (the median over tasks taken replicate by replicate).
     */
    public record PlanScore(String variant, int split, int affected, long planSeed, int layer, int loops, String plan,
                            int depth, int applications, long headSeed, Map<String, Double> byTask,
                            Map<String, Double> byTaskSe, double median, double mean, double medianSe,
                            Replicates medianReps, Map<String, Replicates> byTaskReps) {}

    /**
     * A (variant, split) point of the main figure: mean over seeds (random) and head seeds.
     *
     * @param spread standard deviation between random-order seeds (0 for one run)
     * @param se     standard error of the point: the mean over runs taken replicate by replicate (the runs
     *               are scored on the same items, so averaging them does not shrink the items' error), plus,
     *               for several runs, the error of a mean over the seeds drawn, spread / sqrt(runs)
     * @param reps   its bootstrap replicates (items and seeds)
     */
    public record Point(String variant, int split, int affected, double median, double spread, int runs,
                        Map<String, Double> byTask, double se, Map<String, Double> byTaskSe, Replicates reps,
                        Map<String, Replicates> byTaskReps) {}

    private final List<Entry> entries;
    private final Map<String, Integer> skippedRows;
    private final List<String> degenerate;

    private final Map<String, Double> seedSpread;

    private StudyTable(List<Entry> entries, Map<String, Integer> skippedRows, List<String> degenerate,
                       Map<String, Double> seedSpread) {
        this.entries = entries;
        this.skippedRows = skippedRows;
        this.degenerate = degenerate;
        this.seedSpread = seedSpread;
    }

    /** Malformed data rows skipped per task (tasks with {@code skipBadRows}). */
    public Map<String, Integer> skippedRows() {
        return skippedRows;
    }

    /** Tasks whose scored split cannot tell models apart (a single class): not normalised. */
    public List<String> degenerate() {
        return degenerate;
    }

    public static StudyTable load(Path results) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : Results.read(results)) {
            if (r.score().primary() && r.training() == null) {
                rows.add(r);
            }
        }
        Map<String, Double> full = new HashMap<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        Set<String> degenerate = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (r.score().skipped() > 0) {
                skipped.merge(r.score().task(), r.score().skipped(), Math::max);
            }
            if (r.score().degenerate()) {
                degenerate.add(r.score().task());
            }
        }
        Map<String, Double> seedSpread = headSeedSpread(rows);
        rows = rows.stream().filter(r -> !r.plan().variant().equals(StudyCells.SEED_SPREAD)).map(r -> withSeedNoise(r,
                seedSpread.getOrDefault(r.score().task(), Double.NaN))).toList();
        Map<String, Double> fullSe = new HashMap<>();
        Map<String, Integer> fullRow = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            if (r.plan().variant().equals("full")) {
                full.put(r.score().task() + "|" + r.score().headSeed(), r.score().value());
                fullSe.put(r.score().task() + "|" + r.score().headSeed(), r.score().stderr());
                fullRow.put(r.score().task() + "|" + r.score().headSeed(), i);
            }
        }
        ScoreReplicates reps = ScoreReplicates.of(results.toAbsolutePath().getParent(), rows, seedSpread);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            ResultRow.PlanPart p = r.plan();
            ResultRow.Score s = r.score();
            String fk = s.task() + "|" + s.headSeed();
            Double f = full.get(fk);
            double fse = fullSe.getOrDefault(fk, Double.NaN);
            double chance = s.chance();
            double v = s.value();
            Metric metric = Metric.parse(s.metric());
            boolean ratio = f != null && Double.isNaN(chance) && !Double.isNaN(Normalization.crossEntropyRatio(metric,
                    v, f));
            boolean normalise = ratio || f != null && !Double.isNaN(chance) && clearlyAboveChance(f, chance, fse)
                    && !degenerate.contains(s.task());
            double norm = !normalise ? Double.NaN : ratio ? Normalization.crossEntropyRatio(metric, v, f)
                    : Normalization.normalize(v, chance, f);
            boolean paired = f != null && reps.paired(i) && reps.paired(fullRow.get(fk));
            Replicates normReps = !normalise ? null : reps.of(i).combine(reps.of(fullRow.get(fk)), ratio
                    ? (a, b) -> Normalization.crossEntropyRatio(metric, a, b) : (a, b) -> (a - chance) / (b - chance));
            double normSe = !normalise ? Double.NaN : paired ? normReps.se() : ratio
                    ? Normalization.crossEntropyRatioSe(metric, v, s.stderr(), f, fse) : Math.sqrt(s.stderr() * s.stderr() + norm * norm * fse * fse) / Math.abs(f - chance);
            out.add(new Entry(p.variant(), p.split(), p.affected(), p.planSeed(), p.layer(), p.loops(), p.plan(), p.depth(),
                    p.applications(), s.task(), s.headSeed(), s.metric(), v, chance, f == null ? Double.NaN : f, norm,
                    s.stderr(), fse, normSe, normReps, paired));
        }
        return new StudyTable(out, skipped, List.copyOf(degenerate), seedSpread);
    }

    /**
     * Per task, the standard deviation of the full model's primary score over head seeds (its "full"
     * rows and the seedSpread rows): the noise the head's seed adds to any score; tasks with one seed
     * are absent.
     */
    static Map<String, Double> headSeedSpread(List<ResultRow> rows) {
        Map<String, List<Double>> byTask = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            String v = r.plan().variant();
            if (v.equals("full") || v.equals(StudyCells.SEED_SPREAD)) {
                byTask.computeIfAbsent(r.score().task(), k -> new ArrayList<>()).add(r.score().value());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byTask.forEach((task, vs) -> {
            if (vs.size() >= 2) {
                double m = vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                out.put(task, Math.sqrt(vs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (vs.size() - 1)));
            }
        });
        return out;
    }

    /** A row whose standard error also carries the head's seed noise (added in quadrature), when measured. */
    private static ResultRow withSeedNoise(ResultRow r, double spread) {
        if (Double.isNaN(spread) || Double.isNaN(r.score().stderr())) {
            return r;
        }
        ResultRow.Score s = r.score();
        return new ResultRow(r.cell(), r.study(), r.model(), r.modelSha(), r.plan(), new ResultRow.Score(s.task(),
                s.taskVersion(), s.dataSha(), s.headSeed(), s.metric(), s.value(), s.primary(), s.chance(), s.n(),
                s.protocol(), s.skipped(), s.degenerate(), Math.sqrt(s.stderr() * s.stderr() + spread * spread)),
                r.training(), r.sweep(), r.run());
    }

    /** The head's seed noise per task (standard deviation of the full model over head seeds), where measured. */
    public Map<String, Double> headSeedSpread() {
        return seedSpread;
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * The rule a task must pass to be normalised: the full model at least {@link #Z_ABOVE_CHANCE} standard
     * errors above chance (without a standard error: {@link #MIN_FULL_ABOVE_CHANCE} above it).
     */
    public static boolean clearlyAboveChance(double full, double chance, double fullStderr) {
        return Double.isFinite(fullStderr) ? full - chance >= Z_ABOVE_CHANCE * fullStderr && full > chance
                : full - chance >= MIN_FULL_ABOVE_CHANCE;
    }

    /** Tasks whose full model is not clearly above chance (left out of normalised scores), with why. */
    public Map<String, String> atChance() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.stream().filter(e -> e.variant().equals("full") && !Double.isNaN(e.chance())
                        && !clearlyAboveChance(e.value(), e.chance(), e.stderr()))
                .forEach(e -> out.putIfAbsent(e.task(), Double.isFinite(e.stderr())
                        ? String.format(Locale.ROOT, "full %.4f vs chance %.3f: %.1f standard errors (se %.4f); "
                                + "needs %.0f", e.value(), e.chance(), (e.value() - e.chance()) / e.stderr(), e.stderr(),
                        Z_ABOVE_CHANCE)
                        : String.format(Locale.ROOT, "full %.4f vs chance %.3f: within %.2f (no standard error "
                                + "recorded)", e.value(), e.chance(), MIN_FULL_ABOVE_CHANCE)));
        return out;
    }

    /**
     * Tasks whose primary metric has no chance level (perplexities): normalised as the ratio of cross-entropies
     * ({@link Normalization#crossEntropyRatio}) instead of against chance.
     */
    public List<String> withoutChance() {
        return entries.stream().filter(e -> e.variant().equals("full") && Double.isNaN(e.chance()))
                .map(Entry::task).distinct().toList();
    }

    /**
     * Tasks on which some modified plan beats the full model clearly: its normalised score above 1 by more than
     * {@link Claims#Z} of its standard errors (paired with the full model where the items were kept; 1.1 where no
     * error is known), the best per task.
     */
    public Map<String, Entry> beatsFull() {
        Map<String, Entry> best = new LinkedHashMap<>();
        for (Entry e : entries) {
            boolean beats = Double.isFinite(e.normStderr()) ? e.normalised() - 1 > Claims.Z * e.normStderr()
                    : e.normalised() > 1.1;
            if (!e.variant().equals("full") && beats) {
                best.merge(e.task(), e, (a, b) -> b.normalised() > a.normalised() ? b : a);
            }
        }
        return best;
    }

    /** Tasks in first-seen order. */
    public List<String> tasks() {
        return entries.stream().map(Entry::task).distinct().toList();
    }

    /** Per (variant, split, seed, layer, plan, head seed): median and mean over tasks of the normalised score. */
    public List<PlanScore> planScores() {
        if (planScores == null) {
            planScores = List.copyOf(computePlanScores());
        }
        return planScores;
    }

    /** Computed once: every claim reads them, and each carries replicate medians over tasks. */
    private List<PlanScore> planScores;
    private List<Point> points;

    private List<PlanScore> computePlanScores() {
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry e : entries) {
            groups.computeIfAbsent(e.variant() + "|" + e.split() + "|" + e.planSeed() + "|" + e.layer() + "|" + e.loops()
                    + "|" + e.plan()
                    + "|" + e.headSeed(), k -> new ArrayList<>()).add(e);
        }
        List<PlanScore> out = new ArrayList<>();
        for (List<Entry> g : groups.values()) {
            Entry e = g.get(0);
            Map<String, Double> byTask = new LinkedHashMap<>();
            Map<String, Double> byTaskSe = new LinkedHashMap<>();
            Map<String, Replicates> byTaskReps = new LinkedHashMap<>();
            g.forEach(x -> {
                byTask.put(x.task(), x.normalised());
                byTaskSe.put(x.task(), x.normStderr());
                if (x.normReps() != null) {
                    byTaskReps.put(x.task(), x.normReps());
                }
            });
            List<Double> vals = byTask.values().stream().filter(Objects::nonNull).filter(d -> !d.isNaN()).toList();
            double med = vals.isEmpty() ? Double.NaN : Normalization.median(vals);
            double mean = vals.isEmpty() ? Double.NaN : Normalization.mean(vals);
            boolean errorsKnown = byTask.keySet().stream().filter(t -> !Double.isNaN(byTask.get(t)))
                    .allMatch(t -> Double.isFinite(byTaskSe.getOrDefault(t, Double.NaN)));
            Replicates medReps = byTaskReps.isEmpty() || !errorsKnown ? null
                    : Replicates.median(List.copyOf(byTaskReps.values()));
            out.add(new PlanScore(e.variant(), e.split(), e.affected(), e.planSeed(), e.layer(), e.loops(), e.plan(),
                    e.depth(), e.applications(), e.headSeed(), byTask, byTaskSe, med, mean,
                    medReps == null ? Double.NaN : medReps.se(), medReps, byTaskReps));
        }
        return out;
    }

    /** Points of the main figure: per (variant, split), the mean over random seeds and head seeds. */
    public List<Point> points() {
        if (points == null) {
            points = List.copyOf(computePoints());
        }
        return points;
    }

    private List<Point> computePoints() {
        Map<String, List<PlanScore>> groups = new LinkedHashMap<>();
        for (PlanScore p : planScores()) {
            if (p.split() >= 0 && !p.variant().equals("loop-grid")) {
                groups.computeIfAbsent(p.variant() + "|" + p.split(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Point> out = new ArrayList<>();
        for (List<PlanScore> g : groups.values()) {
            PlanScore p = g.get(0);
            double[] meds = g.stream().mapToDouble(PlanScore::median).toArray();
            double mean = Arrays.stream(meds).average().orElse(Double.NaN);
            double sd = Math.sqrt(Arrays.stream(meds).map(x -> (x - mean) * (x - mean)).sum()
                    / Math.max(1, meds.length - 1));
            String key = p.variant() + "|" + p.split();
            Map<String, Double> byTask = new LinkedHashMap<>();
            Map<String, Double> byTaskSe = new LinkedHashMap<>();
            Map<String, Replicates> byTaskReps = new LinkedHashMap<>();
            for (String t : p.byTask().keySet()) {
                double[] vs = g.stream().mapToDouble(x -> x.byTask().getOrDefault(t, Double.NaN)).toArray();
                byTask.put(t, Arrays.stream(vs).average().orElse(Double.NaN));
                List<Replicates> rs = g.stream().map(x -> x.byTaskReps().get(t)).filter(Objects::nonNull).toList();
                if (rs.size() == g.size()) {
                    Replicates r = withSeedDraw(Replicates.mean(rs), vs, key + "|" + t);
                    byTaskReps.put(t, r);
                    byTaskSe.put(t, r.se());
                } else {
                    byTaskSe.put(t, g.stream().mapToDouble(x -> x.byTaskSe().getOrDefault(t, Double.NaN)).average()
                            .orElse(Double.NaN));
                }
            }
            List<Replicates> rs = g.stream().map(PlanScore::medianReps).filter(Objects::nonNull).toList();
            Replicates reps = rs.size() == g.size() ? withSeedDraw(Replicates.mean(rs), meds, key) : null;
            double itemSe = g.stream().mapToDouble(PlanScore::medianSe).average().orElse(Double.NaN);
            double se = reps != null ? reps.se() : meds.length > 1 ? Math.sqrt(sq(itemSe) + sq(sd) / meds.length) : itemSe;
            out.add(new Point(p.variant(), p.split(), p.affected(), mean, meds.length > 1 ? sd : 0, meds.length, byTask, se,
                    byTaskSe, reps, byTaskReps));
        }
        out.sort(Comparator.comparing(Point::variant).thenComparingInt(Point::affected));
        return out;
    }

    /**
     * A mean over runs (random-order seeds, head seeds) with the error of which runs were drawn added: a normal draw
     * with standard deviation sd(values) / sqrt(runs), independent of every other point's (seeded by the point).
     * One run adds nothing.
     */
    static Replicates withSeedDraw(Replicates mean, double[] values, String key) {
        double[] vs = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (vs.length < 2) {
            return mean;
        }
        double sd = new Replicates(vs).se();           // the sample standard deviation of the runs
        return mean.plus(PairedBootstrap.noise("seeds|" + key, sd / Math.sqrt(vs.length)));
    }

    /**
     * One cell of the paper's Fig. 10: looped parallel over |M| blocks, R iterations.
     *
     * @param reps the median's bootstrap replicates (mean over head seeds), null when unknown
     */
    public record GridPoint(int affected, int loops, double median, Replicates reps) {
        public GridPoint(int affected, int loops, double median) {
            this(affected, loops, median, null);
        }
    }

    /** The loop-grid results (variant "loop-grid"), averaged over head seeds. */
    public List<GridPoint> loopGrid() {
        Map<String, List<PlanScore>> g = new LinkedHashMap<>();
        for (PlanScore p : planScores()) {
            if (p.variant().equals("loop-grid")) {
                g.computeIfAbsent(p.affected() + "|" + p.loops(), k -> new ArrayList<>()).add(p);
            }
        }
        List<GridPoint> out = new ArrayList<>();
        for (List<PlanScore> ps : g.values()) {
            List<Replicates> rs = ps.stream().map(PlanScore::medianReps).filter(Objects::nonNull).toList();
            out.add(new GridPoint(ps.get(0).affected(), ps.get(0).loops(),
                    ps.stream().mapToDouble(PlanScore::median).average().orElse(Double.NaN),
                    rs.size() == ps.size() ? Replicates.mean(rs) : null));
        }
        return out;
    }

    private static double sq(double x) {
        return x * x;
    }

    /**
     * A value with its standard error and, where known, its bootstrap replicates: two estimates that both have
     * them are compared replicate by replicate ({@link #minus}), which pairs them.
     */
    public record Estimate(double value, double se, Replicates reps) {
        public Estimate(double value, double se) {
            this(value, se, null);
        }

        public boolean known() {
            return !Double.isNaN(value);
        }

        /**
         * {@code this - o} with its standard error: paired (the replicates' difference) when both have replicates,
         * otherwise sqrt(se^2 + se_o^2).
         */
        public Estimate minus(Estimate o) {
            if (reps != null && o.reps != null) {
                Replicates d = reps.minus(o.reps);
                return new Estimate(value - o.value, d.se(), d);
            }
            return new Estimate(value - o.value, Math.sqrt(se * se + o.se * o.se));
        }

        /** The mean of estimates: replicate by replicate when all have replicates, else the mean of the errors. */
        public static Estimate mean(List<Estimate> es) {
            double v = es.stream().mapToDouble(Estimate::value).average().orElse(Double.NaN);
            if (es.stream().allMatch(e -> e.reps != null)) {
                Replicates r = Replicates.mean(es.stream().map(Estimate::reps).toList());
                return new Estimate(v, r.se(), r);
            }
            return new Estimate(v, es.stream().mapToDouble(Estimate::se).average().orElse(Double.NaN));
        }
    }

    /**
     * Mean over splits of a variant's points (optionally only those with |M| above a floor), with its
     * standard error: the mean of the points' errors (every point is scored on the same items, so their
     * errors are correlated; taking them as independent would shrink the error by sqrt(points)).
     */
    public Estimate variant(String variant, int minAffected) {
        List<Point> ps = points().stream().filter(p -> p.variant().equals(variant) && p.affected() >= minAffected
                && !Double.isNaN(p.median())).toList();
        if (ps.isEmpty()) {
            return new Estimate(Double.NaN, Double.NaN);
        }
        return Estimate.mean(ps.stream().map(p -> new Estimate(p.median(), p.se(), p.reps())).toList());
    }

    /** Mean over splits of a variant's points (optionally only those with |M| above a floor). */
    public double variantMean(String variant, int minAffected) {
        return variant(variant, minAffected).value();
    }

    /**
     * Mean over splits of a variant's normalised score on the given tasks, with its standard error (the
     * mean of the errors: the same items throughout).
     */
    public Estimate variantOnTasks(String variant, List<String> tasks) {
        List<Estimate> vs = new ArrayList<>();
        for (Point p : points()) {
            if (!p.variant().equals(variant)) {
                continue;
            }
            for (String t : tasks) {
                double v = p.byTask().getOrDefault(t, Double.NaN);
                if (!Double.isNaN(v)) {
                    vs.add(new Estimate(v, p.byTaskSe().getOrDefault(t, Double.NaN), p.byTaskReps().get(t)));
                }
            }
        }
        if (vs.isEmpty()) {
            return new Estimate(Double.NaN, Double.NaN);
        }
        return Estimate.mean(vs);
    }

    /** Mean over splits of a variant's normalised score on the given tasks. */
    public double variantTaskMean(String variant, List<String> tasks) {
        return variantOnTasks(variant, tasks).value();
    }
}
