package painters.study.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.io.Csv;
import painters.model.io.AtomicFiles;
import painters.results.Results;
import painters.study.StudySpec;

/**
 * Writes what a researcher opens after a study, all regenerated from {@code results.jsonl} (so a
 * resumed run reports every cell): {@code summary/*.csv}, {@code figures/*.png}, {@code report.md}.
 */
public final class StudyOutputs {

    private StudyOutputs() {}

    public static void write(Path dir, StudySpec spec) throws IOException {
        StudyTable t = StudyTable.load(dir.resolve(Results.FILE));
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

    public static String cellsCsv(StudyTable t) {
        Csv csv = Csv.withHeader("variant", "split", "affected", "plan_seed", "layer", "loops", "plan", "depth",
                "applications", "task", "head_seed", "metric", "value", "chance", "full", "normalised");
        for (StudyTable.Entry e : t.entries()) {
            csv.row(e.variant(), e.split(), e.affected(), e.planSeed(), e.layer(), e.loops(), e.plan(), e.depth(),
                    e.applications(), e.task(), e.headSeed(), e.metric(), Csv.fixed(e.value(), 6), Csv.fixed(e.chance(), 6),
                    Csv.fixed(e.full(), 6), Csv.fixed(e.normalised(), 6));
        }
        return csv.text();
    }

    public static String variantsCsv(StudyTable t) {
        List<Object> header = new ArrayList<>(List.of("variant", "split", "affected", "normalised_median", "spread_sd", "runs"));
        header.addAll(t.tasks());
        Csv csv = Csv.withHeader(header.toArray());
        for (StudyTable.Point p : t.points()) {
            List<Object> row = new ArrayList<>(List.of(p.variant(), p.split(), p.affected(), Csv.fixed(p.median(), 6),
                    Csv.fixed(p.spread(), 6), p.runs()));
            t.tasks().forEach(x -> row.add(Csv.fixed(p.byTask().getOrDefault(x, Double.NaN), 6)));
            csv.row(row);
        }
        return csv.text();
    }

    public static String plansCsv(StudyTable t) {
        Csv csv = Csv.withHeader("variant", "split", "plan_seed", "layer", "plan", "depth", "applications", "head_seed",
                "normalised_median", "normalised_mean");
        for (StudyTable.PlanScore p : t.planScores()) {
            csv.row(p.variant(), p.split(), p.planSeed(), p.layer(), p.plan(), p.depth(), p.applications(), p.headSeed(),
                    Csv.fixed(p.median(), 6), Csv.fixed(p.mean(), 6));
        }
        return csv.text();
    }
}
