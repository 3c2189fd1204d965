package painters.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import painters.eval.metric.Normalization;
import painters.results.ResultRow;
import painters.results.Results;

/**
 * A study's primary-metric results read back from {@code results.jsonl}, normalised against chance and
 * the full model ({@code (score - chance) / (full - chance)}, same task and head seed), and grouped
 * the way the paper plots them.
 */
public final class StudyTable {

    /**
     * A task whose full model scores within this margin of chance is not normalised: dividing by
     * (full - chance) would only amplify noise (frozen BGE on CoLA: MCC 0.01 against chance 0).
     */
    public static final double MIN_FULL_ABOVE_CHANCE = 0.05;

    /** One primary-metric result with its normalised value. */
    public record Entry(String variant, int split, int affected, long planSeed, int layer, int loops, String plan, int depth,
                        int applications, String task, long headSeed, String metric, double value, double chance,
                        double full, double normalised) {}

    /** A plan's result across tasks: median and mean of the normalised scores. */
    public record PlanScore(String variant, int split, int affected, long planSeed, int layer, int loops, String plan,
                            int depth,
                            int applications, long headSeed, Map<String, Double> byTask, double median, double mean) {}

    /** A (variant, split) point of the main figure: mean over seeds (random) and head seeds, with spread. */
    public record Point(String variant, int split, int affected, double median, double spread, int runs,
                        Map<String, Double> byTask) {}

    private final List<Entry> entries;
    private final Map<String, Integer> skippedRows;
    private final List<String> degenerate;

    private StudyTable(List<Entry> entries, Map<String, Integer> skippedRows, List<String> degenerate) {
        this.entries = entries;
        this.skippedRows = skippedRows;
        this.degenerate = degenerate;
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
        Map<String, Integer> skipped = new java.util.LinkedHashMap<>();
        java.util.Set<String> degenerate = new java.util.LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (r.score().skipped() > 0) {
                skipped.merge(r.score().task(), r.score().skipped(), Math::max);
            }
            if (r.score().degenerate()) {
                degenerate.add(r.score().task());
            }
        }
        for (ResultRow r : rows) {
            if (r.plan().variant().equals("full")) {
                full.put(r.score().task() + "|" + r.score().headSeed(), r.score().value());
            }
        }
        List<Entry> out = new ArrayList<>();
        for (ResultRow r : rows) {
            ResultRow.PlanPart p = r.plan();
            ResultRow.Score s = r.score();
            Double f = full.get(s.task() + "|" + s.headSeed());
            double chance = s.chance();
            double v = s.value();
            double norm = f == null || Double.isNaN(chance) || f - chance < MIN_FULL_ABOVE_CHANCE
                    || degenerate.contains(s.task()) ? Double.NaN : Normalization.normalize(v, chance, f);
            out.add(new Entry(p.variant(), p.split(), p.affected(), p.planSeed(), p.layer(), p.loops(), p.plan(), p.depth(),
                    p.applications(), s.task(), s.headSeed(), s.metric(), v, chance, f == null ? Double.NaN : f, norm));
        }
        return new StudyTable(out, skipped, List.copyOf(degenerate));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Tasks whose full model is within {@link #MIN_FULL_ABOVE_CHANCE} of chance (left out of normalised scores). */
    public List<String> atChance() {
        return entries.stream().filter(e -> e.variant().equals("full") && !Double.isNaN(e.chance())
                        && e.value() - e.chance() < MIN_FULL_ABOVE_CHANCE)
                .map(Entry::task).distinct().toList();
    }

    /** Tasks whose primary metric has no chance level (perplexities): reported raw, never normalised. */
    public List<String> withoutChance() {
        return entries.stream().filter(e -> e.variant().equals("full") && Double.isNaN(e.chance()))
                .map(Entry::task).distinct().toList();
    }

    /** Tasks on which some modified plan beats the full model clearly (normalised score above 1.1), best first. */
    public Map<String, Entry> beatsFull() {
        Map<String, Entry> best = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (!e.variant().equals("full") && e.normalised() > 1.1) {
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
            g.forEach(x -> byTask.put(x.task(), x.normalised()));
            List<Double> vals = byTask.values().stream().filter(Objects::nonNull).filter(d -> !d.isNaN()).toList();
            double med = vals.isEmpty() ? Double.NaN : Normalization.median(vals);
            double mean = vals.isEmpty() ? Double.NaN : Normalization.mean(vals);
            out.add(new PlanScore(e.variant(), e.split(), e.affected(), e.planSeed(), e.layer(), e.loops(), e.plan(),
                    e.depth(),
                    e.applications(), e.headSeed(), byTask, med, mean));
        }
        return out;
    }

    /** Points of the main figure: per (variant, split), the mean over random seeds and head seeds. */
    public List<Point> points() {
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
            double mean = java.util.Arrays.stream(meds).average().orElse(Double.NaN);
            double sd = Math.sqrt(java.util.Arrays.stream(meds).map(x -> (x - mean) * (x - mean)).sum()
                    / Math.max(1, meds.length - 1));
            Map<String, Double> byTask = new LinkedHashMap<>();
            for (String t : p.byTask().keySet()) {
                byTask.put(t, g.stream().mapToDouble(x -> x.byTask().getOrDefault(t, Double.NaN)).average().orElse(Double.NaN));
            }
            out.add(new Point(p.variant(), p.split(), p.affected(), mean, meds.length > 1 ? sd : 0, meds.length, byTask));
        }
        out.sort(Comparator.comparing(Point::variant).thenComparingInt(Point::affected));
        return out;
    }

    /** One cell of the paper's Fig. 10: looped parallel over |M| blocks, R iterations. */
    public record GridPoint(int affected, int loops, double median) {}

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
            out.add(new GridPoint(ps.get(0).affected(), ps.get(0).loops(),
                    ps.stream().mapToDouble(PlanScore::median).average().orElse(Double.NaN)));
        }
        return out;
    }

    /** Mean over splits of a variant's points (optionally only those with |M| above a floor). */
    public double variantMean(String variant, int minAffected) {
        return points().stream().filter(p -> p.variant().equals(variant) && p.affected() >= minAffected)
                .mapToDouble(Point::median).average().orElse(Double.NaN);
    }

    /** Mean over splits of a variant's normalised score on the given tasks. */
    public double variantTaskMean(String variant, List<String> tasks) {
        return points().stream().filter(p -> p.variant().equals(variant))
                .flatMap(p -> p.byTask().entrySet().stream().filter(e -> tasks.contains(e.getKey())))
                .mapToDouble(Map.Entry::getValue).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }
}
