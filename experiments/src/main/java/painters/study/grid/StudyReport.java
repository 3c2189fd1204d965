package painters.study.grid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.model.family.ModelFamilies;
import painters.study.StudySpec;

/** The study's report.md: what ran, the tables, the figures, and the paper's claims with verdicts. */
public final class StudyReport {

    private StudyReport() {}

    static String markdown(StudySpec spec, StudyTable t, List<Claims.Verdict> claims, boolean hasPoints, boolean cossim,
                           boolean loopGrid) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Study ").append(spec.name()).append("\n\n");
        if (!spec.description().isBlank()) {
            sb.append(spec.description()).append("\n\n");
        }
        sb.append("Model `").append(spec.model()).append("`; tasks ").append(spec.tasks()).append("; variants ")
                .append(spec.variants()).append(" at ").append(spec.splits().isEmpty() ? "every split" : "splits " + spec.splits())
                .append("; ").append(spec.seeds()).append(" random-order seeds; looped parallel R = ").append(spec.loops())
                .append("; head seeds ").append(spec.headSeeds()).append(". The resolved spec is `spec.resolved.json`; ")
                .append("every number below comes from `results.jsonl` (one row per plan x task x seed x metric, with ")
                .append("provenance).\n\n");
        ModelFamilies.surgeryNotes(spec.model()).forEach(n -> sb.append(n).append("\n\n"));
        sb.append("Normalised score = (score - chance) / (full model - chance) per task, on the primary metric; ")
                .append("curves show the median over tasks; random order is the mean over seeds. **Uncertainty**: every ")
                .append("score carries its standard error over the scored items (bootstrap, 1000 seeded resamples; ")
                .append("binomial for language-model accuracies), recorded in `results.jsonl` (`stderr`). Every plan is ")
                .append("scored on the same items as the full model and every other plan, so comparisons are **paired**: ")
                .append("one bootstrap resamples each task's items once per replicate (")
                .append(PairedBootstrap.REPLICATES).append(" replicates, from the per-item ")
                .append("outputs in `items/<task>.jsonl`) and applies the draw to every plan, and normalised scores, ")
                .append("medians over tasks, means over splits and differences between variants are computed replicate ")
                .append("by replicate; their standard error is the spread of the replicates. ").append(pairing(t))
                .append(" A mean over random-order seeds adds the error of the seeds drawn (their spread / sqrt(seeds)). ")
                .append("`+-` below is one standard error; error bars on the figures are the same. A task enters ")
                .append("the normalised scores only when the full model is at least ").append(
                        String.format(Locale.ROOT, "%.0f", StudyTable.Z_ABOVE_CHANCE)).append(" standard errors above ")
                .append("chance. A claim's ordering counts only when the difference exceeds ").append(
                        String.format(Locale.ROOT, "%.0f", Claims.Z)).append(" standard errors of the difference (paired ")
                .append("where marked); otherwise the verdict is *indistinguishable*. A claim made of several orderings ")
                .append("names which held, which were reversed and which could not be told apart.\n\n");
        sb.append("Heads (encoder tasks): ").append(HEAD_PROTOCOL).append("\n\n");
        sb.append("## Full model\n\n| task | metric | score | +- se | chance | standard errors above chance |\n")
                .append("|---|---|---|---|---|---|\n");
        t.entries().stream().filter(e -> e.variant().equals("full")).forEach(e -> sb.append(String.format(Locale.ROOT,
                "| %s | %s | %.4f | %s | %.3f | %s |%n", e.task(), e.metric(), e.value(), num(e.stderr()), e.chance(),
                Double.isFinite(e.stderr()) && e.stderr() > 0 ? String.format(Locale.ROOT, "%.1f",
                        (e.value() - e.chance()) / e.stderr()) : "-")));
        if (!t.headSeedSpread().isEmpty()) {
            sb.append("\n**Head seeds.** The full model's primary score varies with the head's seed (standard deviation "
                    + "over the seeds scored, study key seedSpread): ");
            t.headSeedSpread().forEach((task, sd) -> sb.append(String.format(Locale.ROOT, "%s %.4f; ", task, sd)));
            sb.append("this spread is added to every score's error above and below (in quadrature; in the paired ")
                    .append("replicates as a draw per computation, so a plan identical to the full model keeps a ")
                    .append("difference of 0).\n");
        }
        if (!t.atChance().isEmpty()) {
            sb.append("\nNot clearly above chance, so normalising against the full model would only amplify noise; left ")
                    .append("out of the normalised scores below:\n\n");
            t.atChance().forEach((task, why) -> sb.append("- ").append(task).append(": ").append(why).append('\n'));
        }
        if (!t.degenerate().isEmpty()) {
            sb.append("\n**Degenerate tasks** ").append(t.degenerate()).append(": the scored split holds a single class, ")
                    .append("so any model that predicts it scores 1.0; reported, left out of the normalised scores.\n");
        }
        if (!t.skippedRows().isEmpty()) {
            sb.append("\n**Skipped data rows** (tasks with skipBadRows): ");
            t.skippedRows().forEach((task, n) -> sb.append(task).append(" ").append(n).append(" rows; "));
            sb.append("every score of these tasks is on the rows that were read (the count is in each result row, "
                    + "`skipped_rows`).\n");
        }
        if (!t.withoutChance().isEmpty()) {
            sb.append("\nThe primary metric of ").append(t.withoutChance()).append(" is a perplexity (lower is better, no ")
                    .append("chance level): its normalised score is the ratio of cross-entropies ln ppl(full) / ln ppl(plan)")
                    .append(" (1 = the full model, towards 0 as the plan's perplexity grows, above 1 when the plan does ")
                    .append("better), paired with the full model on the same items where they were kept; the claims' ")
                    .append("thresholds (0.5, 0.8, 0.9) apply to it as to a score normalised against chance.\n");
        }
        if (!t.beatsFull().isEmpty()) {
            sb.append("\n**Modified models that beat the full one.** The normalisation assumes the full model is the best; ")
                    .append("normalised scores above 1 (by more than ").append(String.format(Locale.ROOT, "%.0f", Claims.Z))
                    .append(" standard errors) mean a modified plan scores higher than the unmodified model:\n\n");
            t.beatsFull().forEach((task, e) -> sb.append(String.format(Locale.ROOT,
                    "- %s: `%s` (%s) scores %.4f vs the full model's %.4f (normalised %.2f +- %.2f%s)%n", task, e.plan(),
                    e.variant(), e.value(), e.full(), e.normalised(), e.normStderr(), e.paired() ? ", paired" : "")));
            sb.append("\nSuch a task pulls the median over tasks above 1; the per-task panels and the per-task means in ")
                    .append("the claims table show each task separately.\n");
        }
        if (hasPoints) {
            sb.append("\n## The paper's figure\n\n");
            if (t.entries().stream().anyMatch(e -> !Double.isNaN(e.normalised()))) {
                sb.append("![normalised score vs affected layers](figures/main.png)\n\n").append(table(t));
            } else {
                sb.append("No task is clearly above chance, so nothing is normalised: the raw scores per task below are ")
                        .append("the study's result.\n");
            }
            sb.append("\n### Per task\n\n");
            for (String task : t.tasks()) {
                sb.append("![").append(task).append("](figures/task_").append(task).append(".png)\n");
            }
            sb.append("\nRaw scores (the primary metric, not normalised; random order: mean over its seeds; `+-`: the ")
                    .append("items' standard error, with the seeds' spread / sqrt(seeds) in quadrature for a mean over ")
                    .append("seeds):\n");
            for (String task : t.tasks()) {
                sb.append('\n').append(rawTable(t, task));
            }
        }
        sb.append("\n## Accuracy vs latency\n\nEvery plan's normalised score against its sequential depth (block ")
                .append("applications on the critical path; a parallel step counts once per iteration). The Pareto ")
                .append("front joins the plans that no shallower-or-equal plan beats.\n\n")
                .append("![score vs depth](figures/depth_pareto.png)\n");
        if (loopGrid) {
            sb.append("\n## Loop iterations x parallel width (the paper's Fig. 10)\n\nLooped parallel over the |M| middle ")
                    .append("blocks with R iterations; the best R for each |M| is marked.\n\n![loop grid](figures/loop_grid.png)\n");
        }
        if (cossim) {
            sb.append("\n## Hidden-state similarity\n\nCosine similarity of the states entering each block and the final ")
                    .append("state, flattened over real tokens per example, mean over WordNet example sentences ")
                    .append("(`analysis/`; `token_similarity.csv` there: per state, the mean cosine between two tokens ")
                    .append("of a text, 1 when every position holds the same state).\n\n![cos-sim](analysis/cossim.png)\n");
        }
        sb.append("\n## The paper's claims\n\n| # | claim | verdict | evidence |\n|---|---|---|---|\n");
        for (Claims.Verdict v : claims) {
            // a pipe in a claim ("|M|=1") would end its table cell: escaped, as markdown tables take it
            sb.append(String.format("| %d | %s | **%s** | %s |%n", v.number(), v.claim().replace("|", "\\|"),
                    v.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), v.evidence().replace("|", "\\|")));
        }
        return sb.toString();
    }

    /** The frozen protocol's head, as every report states it (the README's Tasks and scoring has the why). */
    static final String HEAD_PROTOCOL = "a linear head on the plan's frozen pooled features, trained as HF run_glue "
            + "trains one (Adam, batch 32, 3 epochs, learning rate decaying linearly to 0, zero init, features "
            + "standardised with the training statistics) with two measured departures: at least 200 steps (3 epochs "
            + "of a small fold do not converge) and learning rate 1e-3 instead of the paper's 3e-2 (on CoLA 3e-2 left "
            + "the head below the majority rate on its own training set); tasks without a train split use seeded "
            + "stratified 5-fold cross-validation; similarity tasks are zero-shot cosine.";

    /** Which normalised scores have paired errors, and which fell back to independent ones (no per-item outputs). */
    static String pairing(StudyTable t) {
        long normalised = t.entries().stream().filter(e -> !Double.isNaN(e.normalised())).count();
        long paired = t.entries().stream().filter(e -> !Double.isNaN(e.normalised()) && e.paired()).count();
        if (normalised == 0 || paired == normalised) {
            return "";
        }
        return String.format(Locale.ROOT, "Here %d of %d normalised scores have no per-item outputs (a study written "
                + "before they were kept): those carry sqrt(se^2 + n^2 se_full^2) / (full - chance) and independent "
                + "draws, an unpaired and conservative error.", normalised - paired, normalised);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    /**
     * One task's raw primary score per variant and number of affected layers: the mean over the runs of a (variant,
     * split) point (random-order seeds, head seeds), with the runs' mean item error and, for several runs, their
     * spread / sqrt(runs) in quadrature. Header {@code | TASK METRIC: affected layers |}.
     */
    public static String rawTable(StudyTable t, String task) {
        Map<Integer, Map<String, List<StudyTable.Entry>>> groups = new TreeMap<>();
        for (StudyTable.Entry e : t.entries()) {
            if (e.task().equals(task) && e.split() >= 0 && !e.variant().equals("loop-grid")) {
                groups.computeIfAbsent(e.affected(), k -> new TreeMap<>())
                        .computeIfAbsent(e.variant(), k -> new ArrayList<>()).add(e);
            }
        }
        List<String> variants = groups.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        String metric = t.entries().stream().filter(e -> e.task().equals(task)).map(StudyTable.Entry::metric).findFirst()
                .orElse("");
        StringBuilder sb = header(task + " " + metric + ": affected layers", variants);
        groups.forEach((a, byVariant) -> {
            sb.append("| ").append(a).append(" |");
            for (String v : variants) {
                List<StudyTable.Entry> runs = byVariant.get(v);
                if (runs == null) {
                    sb.append(" |");
                    continue;
                }
                double[] vs = runs.stream().mapToDouble(StudyTable.Entry::value).toArray();
                double mean = Arrays.stream(vs).average().orElse(Double.NaN);
                double item = runs.stream().mapToDouble(StudyTable.Entry::stderr).average().orElse(Double.NaN);
                double seeds = vs.length > 1 ? new Replicates(vs).se() / Math.sqrt(vs.length) : 0;
                double se = Math.hypot(Double.isFinite(item) ? item : 0, seeds);
                sb.append(Double.isFinite(item) || vs.length > 1 ? String.format(Locale.ROOT, " %.3f +- %.3f |", mean, se)
                        : String.format(Locale.ROOT, " %.3f |", mean));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /** A markdown table's header row ({@code first}, then one column per variant) and its rule. */
    private static StringBuilder header(String first, List<String> variants) {
        StringBuilder sb = new StringBuilder("| " + first + " |");
        variants.forEach(v -> sb.append(' ').append(v).append(" |"));
        sb.append("\n|---|");
        variants.forEach(v -> sb.append("---|"));
        return sb.append('\n');
    }

    public static String table(StudyTable t) {
        Map<Integer, Map<String, Double>> rows = new TreeMap<>();
        List<String> variants = t.points().stream().map(StudyTable.Point::variant).distinct().toList();
        Map<Integer, Map<String, String>> cells = new TreeMap<>();
        for (StudyTable.Point p : t.points()) {
            rows.computeIfAbsent(p.affected(), k -> new TreeMap<>()).put(p.variant(), p.median());
            cells.computeIfAbsent(p.affected(), k -> new TreeMap<>()).put(p.variant(),
                    Double.isFinite(p.se()) ? String.format(Locale.ROOT, " %.3f +- %.3f |", p.median(), p.se())
                            : String.format(Locale.ROOT, " %.3f |", p.median()));
        }
        StringBuilder sb = header("affected layers", variants);
        rows.forEach((a, m) -> {
            sb.append("| ").append(a).append(" |");
            variants.forEach(v -> sb.append(m.containsKey(v) ? cells.get(a).get(v) : " |"));
            sb.append('\n');
        });
        return sb.toString();
    }
}
