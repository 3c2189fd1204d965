package painters.study.grid;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.model.plan.LayerPlan;
import painters.results.ItemFiles;
import painters.results.ResultRow;

/**
 * The bootstrap replicates of a study's primary scores, one per row, paired wherever they can be: a row whose cell
 * has its per-item outputs ({@link ItemFiles}) is recomputed on the task's {@link PairedBootstrap} draws, the same
 * draws for every plan on that task, so the full model and each plan move together replicate by replicate and a
 * normalised score, a difference or a median over tasks carries its paired error. A row without items (a study
 * written before they were kept, or a count that does not match) gets independent normal draws with its recorded
 * standard error: the unpaired, conservative error it had before.
 *
 * <p>The head's seed noise, where a study measured it (the full model over head seeds), is added as a normal draw
 * per computation (plan's computation, task, head seed): results of one computation keep equal replicates, two
 * different computations get independent seed noise.
 */
final class ScoreReplicates {

    private final List<Replicates> replicates;
    private final List<Boolean> paired;

    private ScoreReplicates(List<Replicates> replicates, List<Boolean> paired) {
        this.replicates = replicates;
        this.paired = paired;
    }

    /** The replicates of {@code rows.get(i)}. */
    Replicates of(int i) {
        return replicates.get(i);
    }

    /** Whether row {@code i}'s replicates come from its items (paired with every other such row of its task). */
    boolean paired(int i) {
        return paired.get(i);
    }

    /**
     * @param dir        the study folder (its {@code items/})
     * @param rows       primary frozen rows, their errors already including the head's seed noise
     * @param seedSpread per task, the head's seed noise (sd), where measured
     */
    static ScoreReplicates of(Path dir, List<ResultRow> rows, Map<String, Double> seedSpread) throws IOException {
        int numLayers = rows.stream().filter(r -> r.plan().variant().equals("full")).mapToInt(r -> r.plan().depth())
                .max().orElse(-1);
        Map<String, Map<String, List<JsonObject>>> items = new HashMap<>();
        Map<String, int[][]> draws = new HashMap<>();
        List<Replicates> out = new ArrayList<>();
        List<Boolean> paired = new ArrayList<>();
        for (ResultRow r : rows) {
            ResultRow.Score s = r.score();
            Map<String, List<JsonObject>> byCell = dir == null ? Map.of() : items.computeIfAbsent(s.task(), t -> {
                try {
                    return ItemFiles.read(dir, t);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<JsonObject> block = r.cell() == null ? null : byCell.get(r.cell());
            ItemScores is = block != null && block.size() == s.n() && s.n() > 1 ? ItemScores.fromItems(block) : null;
            Metric m = Metric.parse(s.metric());
            double spread = seedSpread.getOrDefault(s.task(), Double.NaN);
            Replicates rep;
            if (is != null && is.metrics().contains(m)) {
                int[][] d = draws.computeIfAbsent(s.task() + "|" + s.n(), k -> PairedBootstrap.draws(s.task(), s.n()));
                rep = PairedBootstrap.replicates(is, m, d);
                if (Double.isFinite(spread)) {
                    rep = rep.plus(PairedBootstrap.noise("head|" + computation(r, numLayers) + "|" + s.task() + "|h"
                            + s.headSeed(), spread));
                }
                paired.add(true);
            } else {
                double se = Double.isFinite(s.stderr()) ? s.stderr() : 0;   // row error already has the seed noise
                double v = s.value();
                rep = new Replicates(Arrays.stream(PairedBootstrap.noise("row|" + r.cell() + "|" + s.metric(),
                        se).values()).map(x -> v + x).toArray());
                paired.add(false);
            }
            out.add(rep);
        }
        return new ScoreReplicates(out, paired);
    }

    /** The computation a row's plan performs (equal plans up to a seed or a loop run once share it). */
    private static String computation(ResultRow r, int numLayers) {
        if (numLayers > 0) {
            try {
                return LayerPlan.parse(r.plan().plan(), numLayers).computationKey();
            } catch (RuntimeException e) {
                // a plan this table cannot parse keeps its printed form as its identity
            }
        }
        return r.plan().plan();
    }
}
