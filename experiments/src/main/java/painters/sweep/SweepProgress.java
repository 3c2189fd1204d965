package painters.sweep;

import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * The state Arbiter's termination conditions read (candidates completed and failed, the best score),
 * kept by the project's sweep runner; Arbiter's own runner, storage and UI are not used.
 */
public final class SweepProgress implements IOptimizationRunner {

    private int completed;
    private int failed;
    private Double best;
    private int bestIndex = -1;
    private Long bestTime;
    private final boolean maximize;

    public SweepProgress(boolean maximize) {
        this.maximize = maximize;
    }

    /** Records a finished candidate and its score. */
    public void completed(int index, double score) {
        completed++;
        if (best == null || (maximize ? score > best : score < best)) {
            best = score;
            bestIndex = index;
            bestTime = System.currentTimeMillis();
        }
    }

    public void failed() {
        failed++;
    }

    @Override
    public void execute() {
        throw new UnsupportedOperationException("the project's sweep runner executes candidates");
    }

    @Override
    public int numCandidatesTotal() {
        return completed + failed;
    }

    @Override
    public int numCandidatesCompleted() {
        return completed;
    }

    @Override
    public int numCandidatesFailed() {
        return failed;
    }

    @Override
    public int numCandidatesQueued() {
        return 0;
    }

    @Override
    public Double bestScore() {
        return best;
    }

    @Override
    public Long bestScoreTime() {
        return bestTime;
    }

    @Override
    public int bestScoreCandidateIndex() {
        return bestIndex;
    }

    @Override
    public List<ResultReference> getResults() {
        return List.of();
    }

    @Override
    public OptimizationConfiguration getConfiguration() {
        return null;
    }

    @Override
    public void addListeners(StatusListener... listeners) {}

    @Override
    public void removeListeners(StatusListener... listeners) {}

    @Override
    public void removeAllListeners() {}

    @Override
    public List<CandidateInfo> getCandidateStatus() {
        return List.of();
    }

    @Override
    public void shutdown(boolean awaitTermination) {}
}
