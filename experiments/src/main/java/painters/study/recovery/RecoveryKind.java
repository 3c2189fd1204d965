package painters.study.recovery;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.io.AtomicFiles;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.model.repair.LinearRepair;
import painters.results.ItemFiles;
import painters.results.Provenance;
import painters.results.ResultRow;
import painters.results.ResultsStore;
import painters.study.Cell;
import painters.study.StudyCells;
import painters.study.StudyKind;
import painters.study.StudySpec;
import painters.study.Unit;
import painters.study.finetune.CurveRows;
import painters.study.finetune.RecoverySettings;
import painters.subject.Subject;
import painters.training.CurvePoint;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;

/**
 * A recovery study: every distinct plan of the study's grid (and the full model, the reference) is
 * fine-tuned under every unfreeze policy of its {@code finetune} settings, on each of the subject's
 * fine-tuning targets (an encoder: each task; a decoder: its corpus, with the tasks scored along the
 * curve), and each run's curve is stored (one row per evaluation point, task and metric). Runs are
 * resumable twice over: finished runs are in {@code results.jsonl}, and a run interrupted part-way
 * continues from its checkpoint under {@code runs/}.
 */
final class RecoveryKind implements StudyKind {

    private static final Logger log = LoggerFactory.getLogger(RecoveryKind.class);

    private final StudySpec spec;
    private final Subject subject;
    private final Provenance prov = Provenance.current();
    private Path dir;

    RecoveryKind(StudySpec spec, Subject subject) {
        this.spec = spec;
        this.subject = subject;
    }

    /**
     * One fine-tuning run: a grid cell's plan, on a target, under a policy, with a seed (the first seed's key is the
     * one runs had before seeds could be repeated, so such a study resumes and is extended).
     */
    record Run(Cell cell, UnfreezePolicy policy, long seed, String repair) implements Unit {
        Run(Cell cell, UnfreezePolicy policy) {
            this(cell, policy, cell.headSeed(), NONE);
        }

        /** The run's key; a repaired run's names its repair and calibration (unrepaired runs keep their keys). */
        String key() {
            return cell.key() + "|ft:" + policy.print() + (seed == cell.headSeed() ? "" : "|rs" + seed)
                    + (repair.equals(NONE) ? "" : "|repair:" + repair);
        }

        String slug() {
            return key().replaceAll("[^A-Za-z0-9._-]+", "_");
        }

        @Override
        public List<String> keys() {
            return List.of(key());
        }

        @Override
        public String label() {
            return cell.variant() + " " + cell.plan().print() + " " + cell.task() + " " + policy.print()
                    + (seed == cell.headSeed() ? "" : " seed " + seed) + (repair.equals(NONE) ? "" : " repaired");
        }
    }

    /** The repair of unrepaired runs. */
    static final String NONE = "none";

    @Override
    public String name() {
        return "recovery";
    }

    @Override
    public Units units(ResultsStore store) {
        prepare(store.file().toAbsolutePath().getParent(), List.of());
        List<Run> all = runs(spec, subject.model().numLayers(), subject.fineTuneTargets(),
                p -> LinearRepair.applies(subject.model(), p));
        Map<String, String> left = leftOut(all);
        left.forEach((run, why) -> log.warn("recovery study {}: {} cannot train, left out: {}", spec.name(), run, why));
        List<Run> runs = all.stream().filter(r -> !left.containsKey(label(r))).toList();
        int resumed = (int) runs.stream().filter(r -> store.isDone(r.key())).count();
        log.info("recovery study {}: {} fine-tuning runs ({} policies, targets {})", spec.name(), runs.size(),
                spec.settings(RecoverySettings.class).policies().size(), subject.fineTuneTargets());
        return StudyKind.listed(runs.stream().filter(r -> !store.isDone(r.key())).toList(), runs.size(), resumed);
    }

    /**
     * The runs that cannot train, by {@link #label} (their seeds and repairs alike), with the reason: a policy that
     * trains no block its plan runs ({@code last:2} under a plan that skips the last blocks). Left out and listed in
     * the report instead of ending the study.
     */
    Map<String, String> leftOut(List<Run> runs) {
        Map<String, String> out = new LinkedHashMap<>();
        int t = subject.model().numLayers();
        boolean untie = spec.settings(RecoverySettings.class).untie();
        for (Run r : runs) {
            String key = label(r);
            if (out.containsKey(key)) {
                continue;
            }
            try {
                r.policy().unfreezing(subject.model().weights().layout(), r.cell().plan(), r.cell().split(t), untie);
            } catch (UserInputException e) {
                out.put(key, e.getMessage());
            }
        }
        return out;
    }

    /** A run's plan, target and policy in words (the same for its seeds and repairs). */
    static String label(Run r) {
        return r.cell().variant() + " " + r.cell().plan().print() + " on " + r.cell().task() + " [" + r.policy().print()
                + "]";
    }

    /** Runs keep their checkpoints under {@code dir/runs}. */
    @Override
    public void prepare(Path dir, List<? extends Unit> units) {
        this.dir = dir;
    }

    /**
     * The runs: every distinct computation of the frozen grid (first head seed) under every policy, on
     * every target, plus the full model per policy (per split for policies defined by the split:
     * middle, adjacent).
     */
    static List<Run> runs(StudySpec spec, int numLayers, List<String> targets, Predicate<LayerPlan> repairable) {
        List<Cell> cells = StudyCells.of(spec, numLayers).stream()
                .filter(c -> c.headSeed() == spec.headSeeds().get(0) && c.task().equals(spec.tasks().get(0))).toList();
        List<Integer> splits = cells.stream().map(Cell::split).filter(Objects::nonNull).distinct().sorted().toList();
        List<Run> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String p : spec.settings(RecoverySettings.class).policies()) {
            UnfreezePolicy policy = UnfreezePolicy.parse(p);
            for (String target : targets) {
                for (Cell plan : cells) {
                    Cell c = plan.onTask(target);
                    if (c.variant().equals("full")) {
                        if (policy.needsSplit()) {
                            for (int s : splits) {
                                out.add(new Run(new Cell("full", s, 0, null, null, null, LayerPlan.identity(numLayers), target,
                                        c.headSeed()), policy));
                            }
                        } else {
                            out.add(new Run(c, policy));
                            seen.add(c.plan().computationKey() + "|" + target + "|" + policy.print());
                        }
                        continue;
                    }
                    if (policy.needsSplit() && c.split() == null) {
                        continue;           // hand-written plans and single-layer skips have no split
                    }
                    String k = c.plan().computationKey() + "|" + target + "|" + policy.print()
                            + (policy.needsSplit() ? "|s" + c.split() : "");
                    if (seen.add(k)) {
                        out.add(new Run(c, policy));
                    }
                }
            }
        }
        RecoverySettings ft = spec.settings(RecoverySettings.class);
        List<Run> seeded = new ArrayList<>();
        for (String repair : ft.repairs()) {
            for (Run r : out) {
                if (!repair.equals(NONE) && !repairable.test(r.cell().plan())) {
                    continue;           // the full model, and plans the repair does not take
                }
                String how = repair.equals(NONE) ? NONE : String.format(Locale.ROOT, "%s:w%d:r%s", repair,
                        ft.repairWindows(), ft.repairRidge());
                for (int k = 0; k < ft.seeds(); k++) {
                    seeded.add(new Run(r.cell(), r.policy(), r.cell().headSeed() + k, how));
                }
            }
        }
        return seeded;
    }

    @Override
    public Worker worker() {
        return (unit, sink) -> {
            Run r = (Run) unit;
            Cell c = r.cell();
            Split split = c.split(subject.model().numLayers());
            RecoverySettings ft = spec.settings(RecoverySettings.class);
            Subject on = subject;
            String repaired = null;
            if (!r.repair().equals(NONE)) {
                Subject.Repaired fix = subject.repairedFor(c.plan(), ft.repairWindows(), ft.repairRidge())
                        .orElseThrow(() -> new IllegalStateException("no repair for " + c.plan().print()));
                on = fix.subject();
                repaired = fix.repair().describe();
                log.info("{}", repaired);
            }
            TrainingLoop.Result res = on.fineTune(c.plan(), split, c.task(),
                    ft.config(r.policy(), r.seed(), spec.maxLength()), 0,
                    dir.resolve("runs").resolve(r.slug()));
            List<ResultRow> rows = rows(r, res, on, repaired);
            sink.store(r.key(), rows, items(r, res, rows.get(0).score().task()), r.label());
        };
    }

    /** One row per curve point, task and metric. */
    List<ResultRow> rows(Run r, TrainingLoop.Result res, Subject on, String repaired) {
        LoadedModel m = subject.model();
        RecoverySettings ft = spec.settings(RecoverySettings.class);
        Provenance.Run run = prov.run(ft.trainMax(), ft.batchSize(), spec.maxLength());
        JsonObject how = ft.toJson();
        if (repaired != null) {
            how.addProperty("repair", r.repair());
            how.addProperty("repaired", repaired);
        }
        String settings = how.toString();
        double flops = m.trainingFlopsPerToken(r.cell().plan(), spec.maxLength());
        List<ResultRow> rows = new ArrayList<>();
        for (CurvePoint pt : res.curve()) {
            ResultRow.Training t = CurveRows.training(r.policy(), res, pt, settings, flops);
            for (Subject.CurveScore s : on.curveScores(r.cell().task(), pt)) {
                rows.add(new ResultRow(null, spec.name(), m.id(), m.sha256(), r.cell().planPart(),
                        new ResultRow.Score(s.task(), s.version(), s.dataChecksum(), r.seed(), s.metric(),
                                s.value(), s.primary(), s.chance(), s.n(), "fine-tuned", 0, false, s.stderr()), t, null,
                        run));
            }
        }
        return rows;
    }

    /**
     * What each held-out item scored at every curve point that kept them, one JSON object per item with its task (the
     * held-out split's, {@code task}), {@code doc_id} and the point's cell ({@link RecoverySummary#pointCell}); none
     * where the task's name cannot name an items file.
     */
    static List<JsonObject> items(Run r, TrainingLoop.Result res, String task) {
        List<JsonObject> out = new ArrayList<>();
        if (!ItemFiles.names(task)) {
            log.warn("{}: held-out items not kept: \"{}\" cannot name an items file", r.label(), task);
            return out;
        }
        for (CurvePoint pt : res.curve()) {
            if (pt.items() == null) {
                continue;
            }
            for (int i = 0; i < pt.items().size(); i++) {
                JsonObject o = pt.items().item(i);
                o.addProperty("cell", RecoverySummary.pointCell(r.key(), pt.step()));
                o.addProperty("task", task);
                o.addProperty("doc_id", i);
                out.add(o);
            }
        }
        return out;
    }

    @Override
    public void outputs(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("RUNS_DONE"), Instant.now() + "\n");
        RecoveryOutputs.write(dir, spec, subject.model().numLayers(), subject.fineTuneProtocol(), leftOut(runs(spec,
                subject.model().numLayers(), subject.fineTuneTargets(), p -> LinearRepair.applies(subject.model(), p))));
    }

    static boolean hasRuns(Path dir) {
        return Files.exists(dir.resolve("RUNS_DONE"));
    }
}
