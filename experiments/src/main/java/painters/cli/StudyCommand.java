package painters.cli;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import painters.model.io.Utf8Text;
import painters.regimes.RegimesSpec;
import painters.regimes.RegimesStudy;
import painters.results.Results;
import painters.study.StrictJson;
import painters.study.StudyRunner;
import painters.study.StudySpec;
import painters.study.StudySpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** Runs (or resumes) a study and writes its results, summaries, figures and report. */
@Command(name = "study", description = "Run a study file (variants x splits x seeds over tasks), resuming where a "
        + "previous run stopped; writes results/<name>/{results.jsonl, summary/, figures/, report.md}. "
        + "Any study key can be overridden as --key=value (lists comma-separated).")
final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STUDY", description = "The study file, e.g. studies/default.json.")
    Path file;

    @Option(names = "--results", defaultValue = "results", paramLabel = "DIR",
            description = "Where study folders go (default ${DEFAULT-VALUE}).")
    Path results;

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JsonObject o0 = StrictJson.object(Utf8Text.read(file), file.toString());
        if (RegimesSpec.is(o0)) {
            List<String> rest = new ArrayList<>();
            RegimesSpec rs = RegimesSpec.of(o0, overrides, rest, file.toString());
            RegimesStudy.Outcome out = RegimesStudy.run(rs, rest, results, file.toString());
            System.out.printf("regimes study %s: %d models trained and put through the grid%nreport  %s%n", rs.name(),
                    out.models().size(), out.dir().resolve("report.md"));
            return 0;
        }
        StudySpec spec = StudySpecs.load(file, overrides);
        StudyRunner.Outcome o = StudyRunner.run(spec, results);
        System.out.printf("study %s: %d cells (%d resumed, %d computed) in %.0f s%n", spec.name(), o.cells(), o.resumed(),
                o.computed(), o.seconds());
        System.out.printf("report  %s%n", o.dir().resolve("report.md"));
        System.out.printf("results %s%n", o.dir().resolve(Results.FILE));
        System.out.printf("memory  %s (%s)%n", o.dir().resolve(StudyRunner.MEMORY),
                Files.readString(o.dir().resolve(StudyRunner.MEMORY)).strip());
        return 0;
    }
}
