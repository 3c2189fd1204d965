package painters.study.recovery;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.Replicates;
import painters.results.ItemFiles;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.NoiseRule;
import painters.training.RecoveryMetrics;

/**
 * A recovery study's numbers from its results: each run's curve with the item error of every point, the mean curve of
 * a plan over its seeds with the error of every point (seeds and items), and one summary row per plan, policy and
 * task (frozen, recovered, normalised, area under the curve, steps to recover, gap closed, change).
 *
 * <p>Normalised score = (score - chance) / (frozen full model - chance), as in the frozen study, so step 0 matches it
 * and a fine-tuned model may exceed 1. Steps to recover: first evaluated step at chance + f x (fine-tuned full model -
 * chance), the full model fine-tuned with the same policy (and split, for split-defined policies). Gap closed:
 * (recovered - frozen) / (frozen full - frozen).
 */
final class RecoverySummary {

    /**
     * One run's curve of a task's primary score (a decoder's run has one per task: held-out perplexity and each
     * language-model task).
     *
     * @param errors       each point's standard error over the scored items, in the metric's units (NaN where the run
     *                     did not record one: results written before errors were stored)
     * @param applications the plan's block applications (inference compute, in blocks; -1 where unknown)
     * @param flops        each point's training FLOPs so far (NaN where the run did not record them)
     * @param items        each point's held-out items as scored ({@link PairedItems}), null where not kept (results
     *                     written before they were, a mean curve); an empty list: none kept
     */
    record Curve(String task, String policy, String variant, int split, int affected, long planSeed, String plan,
                 long trainable, double chance, List<Integer> steps, List<Double> values, List<Double> errors,
                 List<Long> tokens, String metric, boolean higherIsBetter, long seed, int n, int applications,
                 List<Double> flops, List<ItemScores> items) {

        Curve(String task, String policy, String variant, int split, int affected, long planSeed, String plan,
              long trainable, double chance, List<Integer> steps, List<Double> values, List<Double> errors,
              List<Long> tokens, String metric, boolean higherIsBetter, long seed, int n, int applications,
              List<Double> flops) {
            this(task, policy, variant, split, affected, planSeed, plan, trainable, chance, steps, values, errors, tokens,
                    metric, higherIsBetter, seed, n, applications, flops, List.of());
        }

        /** Point {@code i}'s held-out items, or null where not kept. */
        ItemScores itemsAt(int i) {
            return i < items.size() ? items.get(i) : null;
        }

        /** The policy without the repair a repaired run names ({@link #REPAIRED}): its control's policy. */
        String basePolicy() {
            int i = policy.indexOf(REPAIRED);
            return i < 0 ? policy : policy.substring(0, i);
        }

        /** Normalised scores exist for higher-is-better metrics with a chance level. */
        boolean normalisable() {
            return higherIsBetter && !Double.isNaN(chance);
        }

        /** The runs of one plan under one policy on one task, whatever their seed. */
        String group() {
            return task + "|" + policy + "|" + variant + "|" + split + "|" + planSeed + "|" + plan;
        }

        /** Whether the metric is a proportion over its {@code n} items (binomial item error). */
        boolean proportion() {
            return List.of("accuracy", "acc_norm", "exact_match").contains(metric) && n > 0;
        }

        /**
         * Point {@code i}'s item error in the metric's units: as recorded, else the binomial error for a proportion,
         * else NaN.
         */
        double itemSe(int i) {
            double e = i < errors.size() ? errors.get(i) : Double.NaN;
            return Double.isFinite(e) ? e : proportion() ? Bootstrap.binomial(values.get(i), n) : Double.NaN;
        }

        /** Point {@code i}'s item error in {@link #score} units (nats per token for a perplexity). */
        double itemScoreSe(int i) {
            return higherIsBetter ? itemSe(i) : itemSe(i) / values.get(i);    // d(-ln v) = dv / v
        }
    }

    /**
     * One plan's summary over its seeds.
     *
     * @param c             the mean curve over the seeds (values averaged step by step; errors: see {@link #mean})
     * @param m             the metrics of the mean curve
     * @param seeds         runs averaged
     * @param recoveredSe   standard error of the recovered score: between seeds (sd / sqrt(seeds)) and the items'
     *                      error, in quadrature; NaN when neither is known
     * @param steps         steps to recover of each seed's run (-1: never)
     * @param gapClosed     (recovered - frozen) / (frozen full - frozen), in log space (nats per token) for perplexities
     * @param gapVsControl  1 - (fine-tuned full - recovered) / (frozen full - frozen), in log space (nats per token)
     *                      for perplexities: the share of the plan's frozen gap that is gone once the control (the
     *                      full model fine-tuned with the same policy, budget and data) is the reference
     * @param change        fine-tuned minus frozen, normalised (or in nats per token for a perplexity: ln frozen -
     *                      ln recovered, > 0 better), with its standard error {@code changeSe}
     * @param gapClosedSe   the standard error of {@code gapClosed}: {@link #ratioSe} of its numerator (the change:
     *                      seeds and items) and its denominator (the frozen gap: the items and seeds of both frozen ends)
     * @param gapVsControlSe the standard error of {@code gapVsControl}: {@link #ratioSe} of fine-tuned full minus
     *                      recovered (each seed's run against the control's run with the same seed, the spread of
     *                      those differences / sqrt(seeds), and the items' error of both ends) and the frozen gap
     */
    record Row(Curve c, RecoveryMetrics m, double frozenNorm, double recoveredNorm, double aucNorm, int seeds,
               double recoveredSe, List<Integer> steps, double gapClosed, double gapVsControl, double change,
               double changeSe, double gapClosedSe, double gapVsControlSe) {}

    /** What a repaired run's policy label adds to its policy: the full model, never repaired, is its control. */
    static final String REPAIRED = " after repair ";

    private RecoverySummary() {}

    /** A run's policy as the summaries label it: its policy, and the repair it started from (none: the policy alone). */
    static String policyLabel(ResultRow.Training t) {
        if (t.settings() == null || !t.settings().contains("\"repair\"")) {
            return t.policy();
        }
        JsonObject o = JsonParser.parseString(t.settings()).getAsJsonObject();
        return o.has("repair") ? t.policy() + REPAIRED + o.get("repair").getAsString() : t.policy();
    }

    /** The items-file cell of a run's curve point: the run's key and the point's step. */
    static String pointCell(String runKey, int step) {
        return runKey + "|step:" + step;
    }

    static List<Curve> curves(Path results) throws IOException {
        Map<String, Map<String, List<JsonObject>>> itemsByTask = new LinkedHashMap<>();
        Map<String, List<ResultRow>> byRun = new LinkedHashMap<>();
        for (ResultRow r : Results.read(results)) {
            if (r.training() != null && r.sweep() == null && r.score().primary()) {
                byRun.computeIfAbsent(r.cell() + "|" + r.score().task(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Curve> out = new ArrayList<>();
        for (List<ResultRow> pts : byRun.values()) {
            pts.sort(Comparator.comparingInt(r -> r.training().step()));
            ResultRow f = pts.get(0);
            ResultRow.PlanPart p = f.plan();
            String metric = f.score().metric();
            String task = f.score().task();
            Map<String, List<JsonObject>> stored = !ItemFiles.names(task) ? Map.of() : itemsByTask.computeIfAbsent(task,
                    t -> {
                        try {
                            return ItemFiles.read(results.toAbsolutePath().getParent(), t);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            List<ItemScores> items = new ArrayList<>();
            for (ResultRow r : pts) {
                List<JsonObject> kept = stored.get(pointCell(f.cell(), r.training().step()));
                items.add(kept == null ? null : ItemScores.fromItems(kept));
            }
            out.add(new Curve(f.score().task(), policyLabel(f.training()), p.variant(), p.split(), p.affected(), p.planSeed(),
                    p.plan(), f.training().trainableParams(), f.score().chance(),
                    pts.stream().map(r -> r.training().step()).toList(),
                    pts.stream().map(r -> r.score().value()).toList(),
                    pts.stream().map(r -> r.score().stderr()).toList(),
                    pts.stream().map(r -> r.training().tokens()).toList(), metric, Metric.parse(metric).higherIsBetter(),
                    f.score().headSeed(), f.score().n(), p.applications(),
                    pts.stream().map(r -> r.training().flops()).toList(), Collections.unmodifiableList(items)));
        }
        return out;
    }

    /** Each plan's mean curve over its seeds (policy, task and plan as {@link Curve#group}), in the results' order. */
    static Map<String, Curve> means(List<Curve> curves) {
        Map<String, List<Curve>> groups = groups(curves);
        Map<String, Curve> mean = new LinkedHashMap<>();
        groups.forEach((k, g) -> mean.put(k, mean(g)));
        return mean;
    }

    /** The runs of each plan, policy and task ({@link Curve#group}), in the results' order. */
    static Map<String, List<Curve>> groups(List<Curve> curves) {
        Map<String, List<Curve>> groups = new LinkedHashMap<>();
        curves.forEach(c -> groups.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c));
        return groups;
    }

    /**
     * One row per plan, policy and task, over its seeds: the mean curve's metrics, with errors from the seeds and the
     * items. Targets and gaps are taken against the fine-tuned full model (the control, same policy and split), in
     * log space for perplexities.
     */
    static List<Row> summarise(List<Curve> curves, double fraction) {
        Map<String, List<Curve>> groups = groups(curves);
        Map<String, Curve> mean = means(curves);
        Map<String, Double> frozenFull = new LinkedHashMap<>();
        Map<String, Double> frozenFullSe = new LinkedHashMap<>();
        Map<String, Double> frozenFullSeedsSe = new LinkedHashMap<>();
        Map<String, Double> tunedFull = new LinkedHashMap<>();
        Map<String, List<Curve>> controls = new LinkedHashMap<>();
        Map<String, Replicates> frozenFullReps = new LinkedHashMap<>();     // per task: one bootstrap of its items
        for (Curve c : mean.values()) {
            if (c.variant().equals("full")) {
                frozenFull.putIfAbsent(c.task(), c.values().get(0));
                frozenFullReps.computeIfAbsent(c.task(), t -> PairedItems.mean(groups.get(c.group()), 0));
                frozenFullSe.putIfAbsent(c.task(), itemScoreSe(groups.get(c.group()), 0));
                frozenFullSeedsSe.putIfAbsent(c.task(), seedsScoreSe(groups.get(c.group()), 0));
                tunedFull.put(c.task() + "|" + c.policy() + "|" + c.split(), c.values().get(c.values().size() - 1));
                controls.put(c.task() + "|" + c.policy() + "|" + c.split(), groups.get(c.group()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Curve>> e : groups.entrySet()) {
            Curve c = mean.get(e.getKey());
            List<Curve> runs = e.getValue();
            double chance = c.chance();
            Double ff = frozenFull.get(c.task());
            Double tf = tunedFull.getOrDefault(c.task() + "|" + c.basePolicy() + "|" + c.split(),
                    tunedFull.get(c.task() + "|" + c.basePolicy() + "|-1"));
            List<Curve> controlRuns = controls.getOrDefault(c.task() + "|" + c.basePolicy() + "|" + c.split(),
                    controls.get(c.task() + "|" + c.basePolicy() + "|-1"));
            List<Integer> steps = runs.stream().map(r -> metrics(r, tf, fraction, ff).stepsToTarget()).toList();
            RecoveryMetrics m = metrics(c, tf, fraction, ff);
            boolean norm = c.normalisable() && ff != null && ff - chance >= NoiseRule.MIN_ABOVE_CHANCE;
            double scale = norm ? ff - chance : Double.NaN;
            int last = c.values().size() - 1;
            // fine-tuned minus frozen of each seed's run, in score units; the items' error of both ends (unpaired:
            // the per-item outputs of curve points are not kept, so this is an upper bound of the paired error)
            double[] delta = runs.stream().mapToDouble(r -> score(r, r.values().get(last)) - score(r, r.values().get(0)))
                    .toArray();
            double change = Arrays.stream(delta).average().orElse(Double.NaN) / (norm ? scale : 1);
            double changeSe = quadrature(runs.size() > 1 ? sd(delta) / Math.sqrt(runs.size()) : Double.NaN,
                    quadrature(itemScoreSe(runs, last), itemScoreSe(runs, 0))) / (norm ? scale : 1);
            if (c.normalisable() && !norm) {
                change = Double.NaN;
            }
            double gap0 = ff == null ? Double.NaN : score(c, ff) - score(c, m.frozen());
            double gap1 = tf == null ? Double.NaN : score(c, tf) - score(c, m.recovered());
            double control = c.variant().equals("full") || Math.abs(gap0) < 1e-12 ? Double.NaN : 1 - gap1 / gap0;
            double closed = Math.abs(gap0) < 1e-12 ? Double.NaN : (score(c, m.recovered()) - score(c, m.frozen())) / gap0;
            // the frozen gap's error: the items of both frozen ends (unpaired, as above) and their seeds' spread (none for
            // a decoder, whose frozen plan is one computation; an encoder's step 0 is a probe trained with the seed)
            double gap0Se = ff == null ? Double.NaN : quadrature(quadrature(frozenFullSe.get(c.task()),
                    itemScoreSe(runs, 0)), quadrature(frozenFullSeedsSe.get(c.task()), seedsScoreSe(runs, 0)));
            double closedSe = ratioSe(Arrays.stream(delta).average().orElse(Double.NaN),
                    changeSe * (norm ? scale : 1), gap0, gap0Se);
            // where every run kept its held-out items at the points involved, the items' part is paired instead
            Replicates frozenReps = PairedItems.mean(runs, 0);
            Replicates recoveredReps = PairedItems.mean(runs, last);
            Replicates fullReps = frozenFullReps.get(c.task());
            double pairedClosed = PairedItems.ratioSe(recoveredReps, frozenReps, fullReps, frozenReps);
            if (Double.isFinite(pairedClosed)) {
                closedSe = quadrature(runs.size() > 1 ? sd(delta) / Math.sqrt(runs.size()) / Math.abs(gap0)
                        : Double.NaN, pairedClosed);
            }
            double controlSe = Double.NaN;
            if (!Double.isNaN(control) && controlRuns != null) {
                // each seed's run against the control's run with the same seed (the same data order): paired by seed
                double[] behind = new double[runs.size()];
                boolean paired = true;
                for (int k = 0; k < runs.size(); k++) {
                    Curve run = runs.get(k);
                    Curve twin = controlRuns.stream().filter(x -> x.seed() == run.seed()).findFirst().orElse(null);
                    paired &= twin != null && twin.values().size() == run.values().size();
                    behind[k] = twin == null ? Double.NaN : score(twin, twin.values().get(twin.values().size() - 1))
                            - score(run, run.values().get(last));
                }
                if (paired) {
                    double seedsSe = runs.size() > 1 ? sd(behind) / Math.sqrt(runs.size()) : Double.NaN;
                    double gap1Se = quadrature(seedsSe, quadrature(itemScoreSe(runs, last),
                            itemScoreSe(controlRuns, controlRuns.get(0).values().size() - 1)));
                    controlSe = ratioSe(gap1, gap1Se, gap0, gap0Se);
                    double pairedItems = PairedItems.ratioSe(PairedItems.mean(controlRuns,
                            controlRuns.get(0).values().size() - 1), recoveredReps, fullReps, frozenReps);
                    if (Double.isFinite(pairedItems)) {
                        controlSe = quadrature(seedsSe / Math.abs(gap0), pairedItems);
                    }
                }
            }
            rows.add(new Row(c, m, norm ? (m.frozen() - chance) / scale : Double.NaN,
                    norm ? (m.recovered() - chance) / scale : Double.NaN, norm ? (m.auc() - chance) / scale : Double.NaN,
                    runs.size(), pointSe(runs, last), steps, closed, control, change, changeSe,
                    Double.isNaN(closed) ? Double.NaN : closedSe, controlSe));
        }
        rows.sort(Comparator.comparing((Row r) -> r.c().task()).thenComparing(r -> r.c().policy())
                .thenComparing(r -> r.c().variant()).thenComparingInt(r -> r.c().split()));
        return rows;
    }

    /**
     * The standard error of the mean curve's point {@code i} in the metric's units: the spread between the seeds'
     * values / sqrt(seeds) and the runs' mean item error in quadrature (the runs are scored on the same items, so the
     * item error does not shrink with seeds); NaN when neither is known.
     */
    static double pointSe(List<Curve> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r.values().get(i)).toArray();
        double seeds = runs.size() > 1 ? sd(v) / Math.sqrt(runs.size()) : Double.NaN;
        double[] items = runs.stream().mapToDouble(r -> r.itemSe(i)).filter(Double::isFinite).toArray();
        double item = items.length == runs.size() ? Arrays.stream(items).average().orElseThrow() : Double.NaN;
        return quadrature(seeds, item);
    }

    /** The seeds' standard error of the runs' mean point {@code i} in score units (sd / sqrt(runs)); NaN for one run. */
    static double seedsScoreSe(List<Curve> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> score(r, r.values().get(i))).toArray();
        return runs.size() > 1 ? sd(v) / Math.sqrt(runs.size()) : Double.NaN;
    }

    /** The runs' mean item error of point {@code i} in score units; NaN unless every run has one. */
    private static double itemScoreSe(List<Curve> runs, int i) {
        double[] e = runs.stream().mapToDouble(r -> r.itemScoreSe(i)).filter(Double::isFinite).toArray();
        return e.length == runs.size() ? Arrays.stream(e).average().orElseThrow() : Double.NaN;
    }

    /**
     * A curve's metrics: the target is chance + f x (fine-tuned full - chance); without a chance level (held-out
     * perplexity) f of the way from the run's frozen score to the fine-tuned full model's, in log space; none where the
     * fine-tuned full model is not clearly above chance (every step would reach it).
     */
    static RecoveryMetrics metrics(Curve c, Double tf, double fraction, Double ff) {
        double chance = c.chance();
        boolean meaningful = tf != null && (Double.isNaN(chance) || tf - chance >= NoiseRule.MIN_ABOVE_CHANCE);
        double target = Double.NaN;
        if (meaningful) {
            if (!c.higherIsBetter() && Double.isNaN(chance)) {
                double from = Math.log(c.values().get(0));
                target = Math.exp(from + fraction * (Math.log(tf) - from));
            } else {
                double from = Double.isNaN(chance) ? c.values().get(0) : chance;
                target = from + fraction * (tf - from);
            }
        }
        return RecoveryMetrics.of(c.steps(), c.values(), target, ff == null ? Double.NaN : ff, c.higherIsBetter());
    }

    /** A value in units where higher is better and differences mean something: -ln of a perplexity (nats), else itself. */
    static double score(Curve c, double v) {
        return c.higherIsBetter() ? v : -Math.log(v);
    }

    /**
     * The step-by-step mean of curves that share their evaluation steps (the runs of one plan over seeds); its errors
     * are each point's {@link #pointSe} (seeds and items).
     */
    static Curve mean(List<Curve> runs) {
        Curve f = runs.get(0);
        int len = runs.stream().mapToInt(r -> r.values().size()).min().orElseThrow();
        List<Double> v = new ArrayList<>();
        List<Double> se = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            final int k = i;
            v.add(runs.stream().mapToDouble(r -> r.values().get(k)).average().orElseThrow());
            se.add(pointSe(runs, k));
        }
        return new Curve(f.task(), f.policy(), f.variant(), f.split(), f.affected(), f.planSeed(), f.plan(), f.trainable(),
                f.chance(), f.steps().subList(0, len), v, se, f.tokens().subList(0, len), f.metric(), f.higherIsBetter(),
                f.seed(), f.n(), f.applications(), f.flops().subList(0, len));
    }

    static double sd(double[] xs) {
        return new Replicates(xs).se();      // sample standard deviation (n - 1)
    }

    /**
     * The standard error of a ratio a / b by the delta method, |a / b| sqrt((se_a / a)^2 + (se_b / b)^2), written as
     * sqrt(se_a^2 + (a / b)^2 se_b^2) / |b| so that a = 0 is fine; an unknown error counts as 0 when the other is known;
     * NaN when neither is.
     */
    static double ratioSe(double a, double seA, double b, double seB) {
        double both = quadrature(seA, Double.isNaN(seB) ? Double.NaN : a / b * seB);
        return both / Math.abs(b);
    }

    /** sqrt(a^2 + b^2) of the known ones; NaN when neither is. */
    static double quadrature(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return Double.NaN;
        }
        return Math.hypot(Double.isNaN(a) ? 0 : a, Double.isNaN(b) ? 0 : b);
    }
}
