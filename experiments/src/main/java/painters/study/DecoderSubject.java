package painters.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.AngularDistance;
import painters.eval.analysis.DecoderStates;
import painters.eval.analysis.StateAnalysis;
import painters.eval.data.WordNet;
import painters.eval.lm.DecoderLm;
import painters.eval.lm.LmEvaluator;
import painters.eval.lm.LmTasks;
import painters.model.llama.LlamaDecoder;
import painters.model.llama.LlamaLoader;
import painters.model.llama.LlamaModel;
import painters.model.tokenizer.TokenBatch;

/** A Llama-family decoder in a study: zero-shot language-model tasks (no heads, so one head seed). */
final class DecoderSubject implements StudySubject {

    private final StudySpec spec;
    private final LlamaModel m;
    private final LmEvaluator ev;

    DecoderSubject(StudySpec spec) {
        if (spec.headSeeds().size() > 1) {
            throw new IllegalArgumentException("headSeeds " + spec.headSeeds() + ": decoder tasks are zero-shot and "
                    + "deterministic, give one head seed");
        }
        if (spec.data() == null) {
            throw new IllegalArgumentException("a decoder study needs \"data\" (the folder laid out as ../shared/data)");
        }
        spec.tasks().forEach(LmTasks::get);
        this.spec = spec;
        this.m = LlamaLoader.load(spec.model());
        this.ev = new LmEvaluator(Path.of(spec.data()), spec.batchSize(), spec.context(), spec.bos(), spec.limit());
    }

    @Override
    public String id() {
        return m.id();
    }

    @Override
    public String sha256() {
        return m.sha256();
    }

    @Override
    public int numLayers() {
        return m.config().numLayers();
    }

    @Override
    public Worker worker() {
        return new Worker() {
            @Override
            public PlanScorer plan(painters.model.plan.LayerPlan plan) {
                DecoderLm lm = ev.lm(m, plan);
                return c -> ev.score(lm, LmTasks.get(c.task()));
            }

            @Override
            public void close() {}
        };
    }

    /** Cos-sim of the full decoder's states on WordNet example sentences (BOS first; padding excluded). */
    @Override
    public void cossim(StudySpec spec, Path out) throws IOException {
        LlamaDecoder full = m.decoder();
        List<String> texts = WordNet.exampleSentences(WordNet.load(), spec.cossimTexts(), 5, 0);
        List<TokenBatch> batches = DecoderStates.batches(m.tokenizer(), texts, spec.batchSize(), spec.maxLength());
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < m.config().numLayers(); i++) {
            labels.add(Integer.toString(i));
        }
        labels.add("out");
        StateAnalysis.Result r = StateAnalysis.run(batches, DecoderStates.of(full), labels, AngularDistance.Token.LAST);
        AnalysisFiles.write(out, r, m.id() + ": cosine similarity of hidden states (" + r.examples() + " texts)");
    }
}
