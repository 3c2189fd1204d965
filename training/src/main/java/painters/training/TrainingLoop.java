package painters.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;
import painters.model.graph.TrainingGraph;

/**
 * The optimisation loop shared by every fine-tuning run: gradient accumulation, NaN/Inf checks,
 * global-norm clipping, AdamW at the scheduled learning rate, held-out evaluation every
 * {@code evalEvery} steps (and at step 0 and the end), early stop at a target, and checkpoints from
 * which a killed run resumes to the same curve.
 */
public final class TrainingLoop {

    private static final Logger log = LoggerFactory.getLogger(TrainingLoop.class);

    /** A run's outcome: the curve, the trainable parameter count, whether it stopped early, the step it resumed from (-1). */
    public record Result(List<CurvePoint> curve, long trainableParameters, boolean stoppedEarly, int resumedFrom) {
        public CurvePoint last() {
            return curve.get(curve.size() - 1);
        }
    }

    /**
     * The loss has exploded when a step's mean training loss exceeds this multiple of the first step's
     * and the first step's by {@link #EXPLODED_MARGIN}: a healthy run's loss falls, and a spike past both
     * bounds (e.g. 29.9 -> 1,734 at learning rate 1) means the weights are ruined.
     */
    public static final double EXPLODED = 10;

    /** Nats (or squared units) the loss must also rise by before it counts as exploded. */
    public static final double EXPLODED_MARGIN = 5;

    private TrainingLoop() {}

    /** Seconds as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** Why the run stopped, with the last good checkpoint named if one exists. */
    private static TrainingDivergedException diverged(String label, String what, int step, Path checkpoints) {
        Path last;
        try {
            last = Checkpoints.latest(checkpoints);
        } catch (IOException e) {
            last = null;
        }
        String kept = last != null ? "; the last good checkpoint is kept: " + last
                : checkpoints != null ? "; no checkpoint had been written yet in " + checkpoints : "";
        return new TrainingDivergedException(label + ": training diverged at step " + step + " (" + what + ")" + kept
                + "; try a lower learning rate");
    }

    /**
     * @param label       names the run in logs and errors
     * @param fingerprint identifies the run; a checkpoint of another run is refused
     * @param crashAfter  for tests: throw after this many steps of this call (0: never)
     */
    public static Result run(Trainable t, FineTuneConfig cfg, Path checkpoints, String fingerprint, String label,
                             int crashAfter) throws IOException {
        return run(t, cfg, checkpoints, fingerprint, Map.of(), label, crashAfter);
    }

    /**
     * As above, with what the run is ({@link RunFacts}) written into every checkpoint for readers of its weights.
     */
    public static Result run(Trainable t, FineTuneConfig cfg, Path checkpoints, String fingerprint, Map<String, String> run,
                             String label, int crashAfter) throws IOException {
        AdamW opt = AdamW.withDefaults(cfg.weightDecay(), t.decayed());
        if (t.dropsBlocks()) {
            opt.allowIdle();
        }
        LrSchedule lr = cfg.lrSchedule();
        List<CurvePoint> curve = new ArrayList<>();
        int step = 0;
        long examples = 0;
        long tokens = 0;
        double elapsedBefore = 0;
        double lossSum = 0;
        int lossCount = 0;
        Checkpoints.State resumed = checkpoints == null ? null : Checkpoints.load(checkpoints);
        if (resumed != null) {
            if (!resumed.fingerprint().equals(fingerprint)) {
                throw new UserInputException(checkpoints + " holds a checkpoint of another run ("
                        + resumed.fingerprint() + "), not of " + fingerprint + "; use another folder");
            }
            Map<String, INDArray> live = t.parameters();
            resumed.params().forEach((k, a) -> {
                INDArray p = live.get(k);
                if (p == null) {
                    throw new UserInputException(checkpoints + ": checkpoint has unknown parameter " + k);
                }
                p.assign(a);
            });
            opt.restore(resumed.optimizer(), resumed.step());
            step = resumed.step();
            examples = resumed.examples();
            tokens = resumed.tokens();
            curve.addAll(resumed.curve());
            lossSum = resumed.lossSum();
            lossCount = resumed.lossCount();
            elapsedBefore = curve.isEmpty() ? 0 : curve.get(curve.size() - 1).seconds();
            log.info("{}: resuming from step {} ({} points)", label, step, curve.size());
        }
        log.info("{}: {} trainable parameters, {} steps of {} x {}", label, t.trainableCount(), cfg.steps(),
                cfg.batchSize(), cfg.gradAccum());
        if (curve.isEmpty()) {
            Trainable.Evaluation e = t.evaluate();
            curve.add(CurvePoint.of(0, 0, 0, Double.NaN, e, elapsedBefore));
            log.info("{}: step 0 (frozen): {}", label, String.format("%.4f", e.primary()));
        }
        int startedAt = step;
        // the first step's loss, the reference of the explosion rule (a resumed run reads it from its checkpoint)
        double firstLoss = resumed == null ? Double.NaN : resumed.firstLoss();
        long tStart = System.nanoTime();
        boolean early = false;
        while (step < cfg.steps()) {
            Map<String, INDArray> acc = null;
            double loss = 0;
            for (int a = 0; a < cfg.gradAccum(); a++) {
                Trainable.Micro m = t.micro((long) step * cfg.gradAccum() + a);
                if (!Double.isFinite(m.loss())) {
                    throw diverged(label, "loss " + m.loss(), step + 1, checkpoints);
                }
                String bad = Gradients.firstNonFinite(m.grads());
                if (bad != null) {
                    throw diverged(label, "gradient of " + bad + " not finite", step + 1, checkpoints);
                }
                loss += m.loss() / cfg.gradAccum();
                if (acc == null) {
                    acc = new LinkedHashMap<>(m.grads());
                    if (cfg.gradAccum() > 1) {
                        acc.replaceAll((k, v) -> v.divi(cfg.gradAccum()));
                    }
                } else {
                    for (Map.Entry<String, INDArray> e : m.grads().entrySet()) {
                        INDArray part = e.getValue().divi(cfg.gradAccum());
                        INDArray sum = acc.get(e.getKey());
                        if (sum == null) {                  // idle in the earlier micro-batches (LayerDrop)
                            acc.put(e.getKey(), part.dup());
                        } else {
                            sum.addi(part);
                        }
                    }
                    TrainingGraph.free(m.grads());
                }
                examples += m.examples();
                tokens += m.tokens();
            }
            if (Double.isNaN(firstLoss)) {
                firstLoss = loss;
            } else if (loss > EXPLODED * firstLoss && loss > firstLoss + EXPLODED_MARGIN) {
                throw diverged(label, String.format(Locale.ROOT, "loss %.4g, %.0fx the first step's %.4g",
                        loss, loss / firstLoss, firstLoss), step + 1, checkpoints);
            }
            Gradients.clip(acc, cfg.clipNorm());
            opt.step(t.parameters(), acc, lr.at(step));
            TrainingGraph.free(acc);   // the step's gradients, freed now rather than at a collection
            step++;
            lossSum += loss;
            lossCount++;
            System.gc();   // what else a step leaves (feeds, small arrays) is freed only by the GC
            double secs = elapsedBefore + (System.nanoTime() - tStart) / 1e9;
            if (step % cfg.evalEvery() == 0 || step == cfg.steps()) {
                Trainable.Evaluation e = t.evaluate();
                CurvePoint p = CurvePoint.of(step, examples, tokens, lossSum / lossCount, e, secs);
                curve.add(p);
                lossSum = 0;
                lossCount = 0;
                double thisCall = (System.nanoTime() - tStart) / 1e9;
                log.info("{}: step {}/{}: loss {}, held-out {} ({} s, ETA {})", label, step, cfg.steps(),
                        String.format("%.4f", p.loss()), String.format("%.4f", p.primary()), String.format("%.0f", secs),
                        eta(thisCall / (step - startedAt) * (cfg.steps() - step)));
                if (!Double.isNaN(cfg.target()) && p.primary() >= cfg.target()) {
                    early = true;
                }
            }
            if (checkpoints != null && (early || step == cfg.steps()
                    || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0))) {
                Checkpoints.save(checkpoints, new Checkpoints.State(step, examples, tokens,
                        new LinkedHashMap<>(t.parameters()), opt.state(), curve, fingerprint, lossSum, lossCount, firstLoss,
                        run));
            }
            if (early) {
                log.info("{}: target {} reached at step {}", label, cfg.target(), step);
                break;
            }
            if (crashAfter > 0 && step - startedAt >= crashAfter) {
                throw new IllegalStateException("simulated crash after step " + step);
            }
        }
        return new Result(List.copyOf(curve), t.trainableCount(), early, resumed == null ? -1 : resumed.step());
    }
}
