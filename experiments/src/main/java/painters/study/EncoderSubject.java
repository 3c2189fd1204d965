package painters.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.eval.analysis.AnalysisFiles;
import painters.eval.analysis.AngularDistance;
import painters.eval.analysis.StateAnalysis;
import painters.eval.data.WordNet;
import painters.eval.head.Featurizer;
import painters.eval.head.HeadConfig;
import painters.eval.head.TaskEvaluator;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.tokenizer.HfTokenizer;
import painters.model.tokenizer.TokenBatch;

/** A BERT-family encoder in a study: linear heads on frozen features (the paper's frozen protocol), zero-shot STS. */
final class EncoderSubject implements StudySubject {

    private final StudySpec spec;
    private final BertModel m;
    private final Map<String, TaskData> data = new LinkedHashMap<>();
    private volatile painters.eval.head.PrefixCache cache;

    EncoderSubject(StudySpec spec) {
        this.spec = spec;
        this.m = BertLoader.load(spec.model());
        Path dataDir = spec.data() == null ? null : Path.of(spec.data());
        for (String task : spec.tasks()) {
            data.put(task, TaskData.load(TaskSpecs.load(task, dataDir)));
        }
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

    /** With the study's prefixCache on, shares the plans' common prefixes (see {@link painters.eval.head.PrefixCache}). */
    @Override
    public void prepare(List<painters.model.plan.LayerPlan> plans) {
        cache = spec.prefixCache() && !plans.isEmpty() ? new painters.eval.head.PrefixCache(m.weights(), plans) : null;
    }

    @Override
    public Worker worker() {
        HfTokenizer tok = m.tokenizer().withMaxLength(spec.maxLength());
        return new Worker() {
            @Override
            public PlanScorer plan(painters.model.plan.LayerPlan plan) {
                painters.eval.head.PrefixCache shared = cache;
                Featurizer f = Featurizer.of(m.weights(), plan, tok, m.pooling(), spec.batchSize(), shared);
                return new PlanScorer() {
                    @Override
                    public painters.eval.head.TaskScore score(Cell c) {
                        return TaskEvaluator.evaluate(data.get(c.task()), f, HeadConfig.frozenProtocol(c.headSeed()),
                                spec.trainMax());
                    }

                    @Override
                    public void done() {
                        if (shared != null) {
                            shared.release(plan);
                        }
                    }
                };
            }

            @Override
            public void close() {
                tok.close();
            }
        };
    }

    @Override
    public void cossim(StudySpec spec, Path out) throws IOException {
        BertEncoder full = BertEncoder.of(m.weights());
        List<String> texts = WordNet.exampleSentences(WordNet.load(), spec.cossimTexts(), 5, 0);
        List<TokenBatch> batches;
        try (HfTokenizer tok = m.tokenizer().withMaxLength(spec.maxLength())) {
            batches = tok.encodeInBatches(texts, spec.batchSize());
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < m.config().numLayers(); i++) {
            labels.add(Integer.toString(i));
        }
        labels.add("out");
        StateAnalysis.Result r = StateAnalysis.run(batches, full::hiddenStates, labels, AngularDistance.Token.LAST);
        AnalysisFiles.write(out, r, m.id() + ": cosine similarity of hidden states (" + r.examples() + " texts)");
    }
}
