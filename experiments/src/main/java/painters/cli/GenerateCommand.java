package painters.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import painters.eval.lm.LanguageModel;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.subject.SubjectSettings;
import painters.subject.Subjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Greedy generation from a language model under a layer plan, with the KV cache, and its speed. */
@Command(name = "generate", description = "Greedy (temperature 0) generation from a model with a next-token readout "
        + "(a decoder) under a layer plan, with a KV cache (a parallel step caches the mean of its layers' keys and "
        + "values).")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Mixin
    RepairOptions repair;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt (repeatable: one batch, left-padded). "
            + "Default: empty (BOS only).")
    List<String> prompts;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--no-bos", description = "Do not put BOS before the prompt.")
    boolean noBos;

    @Override
    public Integer call() {
        repair.check();
        LoadedModel loaded = model.load();
        LayerPlan plan = planOption.resolve(loaded.numLayers());
        LoadedModel m = repair.apply(loaded, plan, 32, 128);
        if (maxTokens < 1) {
            throw new UserInputException("--max-tokens must be at least 1, got " + maxTokens);
        }
        List<String> texts = prompts == null ? List.of("") : prompts;
        LanguageModel lm = Subjects.of(m, new SubjectSettings(List.of(), null, Math.max(1, texts.size()), 2, 0, null, 0,
                        0, false, false, null, 0.1)).languageModel(plan)
                .orElseThrow(() -> new UserInputException("generate needs a model with a next-token readout (a "
                        + "decoder); " + m.id() + " reads out " + m.readout()));
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            int[] enc = lm.tokenizer().encode(t);
            int[] p = new int[enc.length + (noBos ? 0 : 1)];
            if (!noBos) {
                p[0] = lm.tokenizer().bos();
            }
            System.arraycopy(enc, 0, p, noBos ? 0 : 1, enc.length);
            if (p.length == 0) {
                throw new UserInputException("empty prompt without BOS");
            }
            ids.add(p);
        }
        System.out.printf("model  %s%nplan   %s (depth %d)%n%n", m.id(), plan.print(), plan.depth());
        long t0 = System.nanoTime();
        List<int[]> out = lm.generate(ids, maxTokens, (r, x) -> false);
        double secs = (System.nanoTime() - t0) / 1e9;
        int generated = 0;
        for (int i = 0; i < out.size(); i++) {
            generated += out.get(i).length;
            int[] all = new int[ids.get(i).length + out.get(i).length];
            System.arraycopy(ids.get(i), 0, all, 0, ids.get(i).length);
            System.arraycopy(out.get(i), 0, all, ids.get(i).length, out.get(i).length);
            System.out.println(lm.tokenizer().decode(all));
            System.out.println();
        }
        System.out.printf("%d tokens generated in %.2f s (%.1f tokens/s, batch %d, KV cache)%n", generated, secs,
                generated / secs, out.size());
        return 0;
    }
}
