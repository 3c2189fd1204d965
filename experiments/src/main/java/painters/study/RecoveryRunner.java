package painters.study;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.io.AtomicFiles;
import painters.model.plan.LayerPlan;
import painters.model.plan.Split;
import painters.training.CurvePoint;
import painters.training.FineTuner;
import painters.training.TrainingLoop;
import painters.training.UnfreezePolicy;

/**
 * A recovery study: every plan of the study's grid (and the full model, the reference) is fine-tuned
 * under every unfreeze policy of its {@code finetune} settings, and the held-out curve of each run is
 * stored (one row per evaluation point and metric, with provenance). Runs are resumable twice over:
 * finished runs are in {@code results.jsonl}, and a run interrupted part-way continues from its
 * checkpoint under {@code runs/}.
 */
public final class RecoveryRunner {

    private static final Logger log = LoggerFactory.getLogger(RecoveryRunner.class);

    /** One fine-tuning run of a study: a frozen cell's plan under a policy. */
    record Run(Cell cell, UnfreezePolicy policy) {
        String key() {
            return cell.key() + "|ft:" + policy.print();
        }

        String slug() {
            return key().replaceAll("[^A-Za-z0-9._-]+", "_");
        }
    }

    private RecoveryRunner() {}

    public static StudyRunner.Outcome run(StudySpec spec, Path dir) throws IOException {
        long t0 = System.nanoTime();
        RecoverySettings ft = spec.finetune();
        BertModel m = BertLoader.load(spec.model());
        int t = m.config().numLayers();
        long seed = spec.headSeeds().get(0);
        List<Run> runs = runs(spec, t);
        Path dataDir = spec.data() == null ? null : Path.of(spec.data());
        Map<String, TaskData> data = new LinkedHashMap<>();
        for (String task : spec.tasks()) {
            data.put(task, TaskData.load(TaskSpecs.load(task, dataDir)));
        }
        Provenance prov = Provenance.of(m.id(), m.sha256(), ft.batchSize(), spec.maxLength());
        int resumed;
        int computed = 0;
        try (ResultsStore store = ResultsStore.open(dir.resolve(StudyRunner.RESULTS))) {
            resumed = (int) runs.stream().filter(r -> store.isDone(r.key())).count();
            Progress progress = new Progress(runs.size(), resumed);
            log.info("recovery study {}: {} fine-tuning runs ({} policies), {} already done", spec.name(), runs.size(),
                    ft.policies().size(), resumed);
            for (Run r : runs) {
                if (store.isDone(r.key())) {
                    continue;
                }
                Cell c = r.cell();
                Split split = c.split() >= 0 ? new Split(t, c.split()) : null;
                FineTuner tuner = new FineTuner(m, data.get(c.task()), c.plan(), split,
                        ft.config(r.policy(), seed, spec.maxLength()));
                Path ck = dir.resolve("runs").resolve(r.slug());
                TrainingLoop.Result res = tuner.run(ck);
                store.append(r.key(), rows(spec, r, res, data.get(c.task()), prov));
                computed++;
                progress.step(c.variant() + " " + c.plan().print() + " " + c.task() + " " + r.policy().print());
            }
        }
        AtomicFiles.writeString(dir.resolve("RUNS_DONE"), Instant.now() + "\n");
        RecoveryOutputs.write(dir, spec, t);
        return new StudyRunner.Outcome(dir, runs.size(), resumed, computed, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The runs: every distinct computation of the frozen grid (first head seed) under every policy,
     * plus the full model per policy (per split for policies defined by the split: middle, adjacent).
     */
    static List<Run> runs(StudySpec spec, int numLayers) {
        List<Cell> cells = StudyCells.of(spec, numLayers).stream()
                .filter(c -> c.headSeed() == spec.headSeeds().get(0)).toList();
        List<Integer> splits = cells.stream().map(Cell::split).filter(s -> s >= 0).distinct().sorted().toList();
        List<Run> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String p : spec.finetune().policies()) {
            UnfreezePolicy policy = UnfreezePolicy.parse(p);
            for (Cell c : cells) {
                if (c.variant().equals("full")) {
                    if (policy.needsSplit()) {
                        for (int s : splits) {
                            Split sp = new Split(numLayers, s);
                            out.add(new Run(new Cell("full", s, 0, -1, -1, -1, LayerPlan.identity(numLayers), c.task(),
                                    c.headSeed()), policy));
                        }
                    } else {
                        out.add(new Run(c, policy));
                        seen.add(c.plan().computationKey() + "|" + c.task() + "|" + policy.print());
                    }
                    continue;
                }
                if (policy.needsSplit() && c.split() < 0) {
                    continue;           // hand-written plans and single-layer skips have no split
                }
                String k = c.plan().computationKey() + "|" + c.task() + "|" + policy.print()
                        + (policy.needsSplit() ? "|s" + c.split() : "");
                if (seen.add(k)) {
                    out.add(new Run(c, policy));
                }
            }
        }
        return out;
    }

    static List<JsonObject> rows(StudySpec spec, Run r, TrainingLoop.Result res, TaskData data, Provenance p) {
        List<JsonObject> rows = new ArrayList<>();
        String now = Instant.now().toString();
        Cell c = r.cell();
        for (CurvePoint pt : res.curve()) {
            for (var e : pt.scores().entrySet()) {
                JsonObject o = StudyRunner.cellRow(spec, c, p);
                o.addProperty("task", data.spec().name());
                o.addProperty("task_version", data.spec().version());
                o.addProperty("data_sha256", data.checksum());
                o.addProperty("policy", r.policy().print());
                o.addProperty("trainable_params", res.trainableParameters());
                o.addProperty("step", pt.step());
                o.addProperty("examples", pt.examples());
                o.addProperty("tokens", pt.tokens());
                o.addProperty("train_loss", Double.isFinite(pt.loss()) ? pt.loss() : null);
                o.addProperty("seconds", pt.seconds());
                o.addProperty("metric", e.getKey().id());
                o.addProperty("value", e.getValue());
                o.addProperty("primary", e.getKey() == data.spec().primary());
                o.addProperty("chance", data.spec().chance());
                o.addProperty("stopped_early", res.stoppedEarly());
                o.addProperty("finetune", spec.finetune().toJson().toString());
                o.addProperty("backend", p.backend());
                o.addProperty("dl4j", p.dl4j());
                o.addProperty("jvm", p.jvm());
                o.addProperty("git_commit", p.gitCommit());
                o.addProperty("timestamp", now);
                rows.add(o);
            }
        }
        return rows;
    }

    static boolean hasRuns(Path dir) {
        return Files.exists(dir.resolve("RUNS_DONE"));
    }
}
