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
    private int queued;
    private Double best;
    private int bestIndex = -1;
    private Long bestTime;
    private final boolean maximize;

    public SweepProgress(boolean maximize) {
        this.maximize = maximize;
    }

    /** A candidate is handed out to be run (queued until {@link #completed}). */
    public synchronized void handedOut() {
        queued++;
    }

    /** Records a finished candidate and its score (one handed out by this run, or found finished on resume). */
    public synchronized void completed(int index, double score) {
        completed(index, score, true);
    }

    /** Records a candidate found finished in the results file when the sweep resumes (never handed out). */
    public synchronized void resumed(int index, double score) {
        completed(index, score, false);
    }

    private void completed(int index, double score, boolean wasQueued) {
        if (wasQueued) {
            queued--;
        }
        completed++;
        if (best == null || (maximize ? score > best : score < best)) {
            best = score;
            bestIndex = index;
            bestTime = System.currentTimeMillis();
        }
    }

    public synchronized void failed() {
        failed++;
    }

    @Override
    public void execute() {
        throw new UnsupportedOperationException("the project's sweep runner executes candidates");
    }

    @Override
    public synchronized int numCandidatesTotal() {
        return completed + failed + queued;
    }

    @Override
    public synchronized int numCandidatesCompleted() {
        return completed;
    }

    @Override
    public synchronized int numCandidatesFailed() {
        return failed;
    }

    @Override
    public synchronized int numCandidatesQueued() {
        return queued;
    }

    @Override
    public synchronized Double bestScore() {
        return best;
    }

    @Override
    public synchronized Long bestScoreTime() {
        return bestTime;
    }

    @Override
    public synchronized int bestScoreCandidateIndex() {
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
