package painters.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import painters.results.ResultRow;
import painters.results.Results;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One study run by the local runner and by another engine, in one process, each into a fresh folder: wall times
 * (model loading and, for Spark, starting its context included), their ratio, and whether every stored value is
 * the same.
 */
@Command(name = "engines", description = "Run a study with the local runner and with another engine (--engine=spark), "
        + "alternately, each into a fresh folder; print the wall times, the ratio and whether the rows are the same.")
final class BenchEngines implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STUDY", description = "The study file, e.g. studies/default.json.")
    Path study;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Study key overrides (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--repeats", defaultValue = "1", paramLabel = "N", description = "Runs per engine, alternating "
            + "(default 1); medians are printed.")
    int repeats;

    @Option(names = "--results", paramLabel = "DIR", description = "Where the runs' folders go (default: a new "
            + "temporary folder, kept for inspection).")
    Path results;

    @Option(names = "--engine", required = true, paramLabel = "NAME",
            description = "The engine measured against the local runner: spark (its settings from the study's spark "
                    + "object or --set spark.KEY=VALUE).")
    String engine;

    @Override
    public Integer call() throws Exception {
        return BenchSupport.withPeaks(this::engines);
    }

    private int engines() throws Exception {
        Path root = results != null ? results : Files.createTempDirectory("painters-bench-engines");
        List<Double> local = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        Map<String, String> reference = null;
        boolean same = true;
        for (int r = 0; r < repeats; r++) {
            for (String e : List.of("local", engine)) {
                List<String> ov = new ArrayList<>(sets);
                ov.add("--engine=" + e);
                StudySpec spec = StudySpecs.load(study, ov);
                StudyRunner.Outcome o = StudyRunner.run(spec, root.resolve(e + "-" + r));
                if (o.resumed() > 0) {
                    throw new IllegalStateException(o.dir() + " already held results: give an empty --results folder");
                }
                (e.equals("local") ? local : other).add(o.seconds());
                Map<String, String> m = measured(o.dir());
                if (reference == null) {
                    reference = m;
                } else if (!reference.equals(m)) {
                    same = false;
                    System.out.println("DIFFERENT: " + o.dir() + " does not hold the values of the first run");
                }
            }
        }
        double l = median(local);
        double s = median(other);
        System.out.printf(Locale.ROOT, "study %s, %d run(s) per engine, alternating, in one process (folders under %s)%n",
                study, repeats, root);
        System.out.printf(Locale.ROOT, "%-8s %10s%n", "engine", "seconds");
        System.out.printf(Locale.ROOT, "%-8s %10.1f   %s%n", "local", l, local);
        System.out.printf(Locale.ROOT, "%-8s %10.1f   %s%n", engine, s, other);
        System.out.printf(Locale.ROOT, "ratio %s / local = %.2fx (above 1: the engine's overhead); rows %s%n", engine, s / l,
                same ? "identical (every key, metric, value and standard error)" : "DIFFER");
        return same ? 0 : 1;
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    /** Each stored key, metric and step with its value and standard error. */
    private static Map<String, String> measured(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (ResultRow r : Results.read(dir.resolve(Results.FILE))) {
            out.put(r.cell() + " " + r.score().task() + " " + r.score().metric()
                    + (r.training() != null ? " " + r.training().step() : ""), r.score().value() + " " + r.score().stderr());
        }
        return out;
    }
}
