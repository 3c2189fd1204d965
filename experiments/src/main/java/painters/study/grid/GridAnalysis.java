package painters.study.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.AngularDistance;
import painters.eval.analysis.StateAnalysis;
import painters.eval.data.WordNet;
import painters.model.family.HiddenStates;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;
import painters.study.StudySpec;

/**
 * A grid study's hidden-state analyses of a full model (the cos-sim heatmap, Block Influence, angular distance, token
 * similarity) on the study's {@code cossimTexts} WordNet example sentences, batched as the study batches: the grid
 * writes its model's into {@code analysis/}, and a regimes study the same of each model's untrained weights.
 */
public final class GridAnalysis {

    private GridAnalysis() {}

    /** Whether {@code dir} holds every file an analysis writes. */
    public static boolean complete(Path dir) {
        return AnalysisFiles.FILES.stream().allMatch(f -> Files.exists(dir.resolve(f)));
    }

    /** Analyses {@code m}'s full depth into {@code out}; {@code title} heads the heatmap. */
    public static void write(LoadedModel m, StudySpec spec, Path out, String title) throws IOException {
        HiddenStates full = m.hiddenStates(LayerPlan.identity(m.numLayers()));
        List<String> texts = WordNet.exampleSentences(WordNet.load(), spec.cossimTexts(), 5, 0);
        List<TokenBatch> batches = full.batches(texts, spec.batchSize(), spec.maxLength());
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < m.numLayers(); i++) {
            labels.add(Integer.toString(i));
        }
        labels.add("out");
        StateAnalysis.Result r = StateAnalysis.run(batches, full::states, labels, AngularDistance.Token.LAST);
        AnalysisFiles.write(out, r, title + ": cosine similarity of hidden states (" + r.examples() + " texts)");
    }
}
