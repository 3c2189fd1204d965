package painters.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import painters.model.io.AtomicFiles;

/**
 * Writes what a researcher opens after a study, all regenerated from {@code results.jsonl} (so a
 * resumed run reports every cell): {@code summary/*.csv}, {@code figures/*.png}, {@code report.md}.
 */
public final class StudyOutputs {

    private StudyOutputs() {}

    public static void write(Path dir, StudySpec spec) throws IOException {
        StudyTable t = StudyTable.load(dir.resolve(StudyRunner.RESULTS));
        Path summary = dir.resolve("summary");
        Path figures = dir.resolve("figures");
        Files.createDirectories(summary);
        Files.createDirectories(figures);
        AtomicFiles.writeString(summary.resolve("cells.csv"), cellsCsv(t));
        AtomicFiles.writeString(summary.resolve("variants.csv"), variantsCsv(t));
        AtomicFiles.writeString(summary.resolve("plans.csv"), plansCsv(t));
        String title = spec.name();
        boolean hasPoints = !t.points().isEmpty();
        if (hasPoints) {
            StudyFigures.main(figures.resolve("main.png"), t, title);
            for (String task : t.tasks()) {
                StudyFigures.task(figures.resolve("task_" + task + ".png"), t, task, title);
            }
        }
        StudyFigures.depth(figures.resolve("depth_pareto.png"), t, title);
        boolean grid = !t.loopGrid().isEmpty();
        if (grid) {
            StudyFigures.loopGrid(figures.resolve("loop_grid.png"), t, title);
        }
        Path cossim = dir.resolve("analysis").resolve("cossim.csv");
        List<Claims.Verdict> claims = Claims.check(t, spec, Files.exists(cossim) ? cossim : null);
        AtomicFiles.writeString(dir.resolve("report.md"), StudyReport.markdown(spec, t, claims, hasPoints,
                Files.exists(dir.resolve("analysis").resolve("cossim.png")), grid));
    }

    static String cellsCsv(StudyTable t) {
        StringBuilder sb = new StringBuilder("variant,split,affected,plan_seed,layer,loops,plan,depth,applications,task,"
                + "head_seed,metric,value,chance,full,normalised\n");
        for (StudyTable.Entry e : t.entries()) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,\"%s\",%d,%d,%s,%d,%s,%.6f,%.6f,%.6f,%.6f%n", e.variant(),
                    e.split(), e.affected(), e.planSeed(), e.layer(), e.loops(), e.plan(), e.depth(), e.applications(), e.task(),
                    e.headSeed(), e.metric(), e.value(), e.chance(), e.full(), e.normalised()));
        }
        return sb.toString();
    }

    static String variantsCsv(StudyTable t) {
        StringBuilder sb = new StringBuilder("variant,split,affected,normalised_median,spread_sd,runs");
        t.tasks().forEach(x -> sb.append(",").append(x));
        sb.append('\n');
        for (StudyTable.Point p : t.points()) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%d", p.variant(), p.split(), p.affected(), p.median(),
                    p.spread(), p.runs()));
            t.tasks().forEach(x -> sb.append(String.format(Locale.ROOT, ",%.6f", p.byTask().getOrDefault(x, Double.NaN))));
            sb.append('\n');
        }
        return sb.toString();
    }

    static String plansCsv(StudyTable t) {
        StringBuilder sb = new StringBuilder("variant,split,plan_seed,layer,plan,depth,applications,head_seed,"
                + "normalised_median,normalised_mean\n");
        for (StudyTable.PlanScore p : t.planScores()) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,\"%s\",%d,%d,%d,%.6f,%.6f%n", p.variant(), p.split(),
                    p.planSeed(), p.layer(), p.plan(), p.depth(), p.applications(), p.headSeed(), p.median(), p.mean()));
        }
        return sb.toString();
    }
}
