package painters.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import painters.model.llama.GreedyGenerator;
import painters.model.llama.LlamaDecoder;
import painters.model.llama.LlamaLoader;
import painters.model.llama.LlamaModel;
import painters.model.plan.LayerPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Greedy generation from a decoder under a layer plan, with the KV cache, and its speed. */
@Command(name = "generate", description = "Greedy (temperature 0) generation from a decoder under a layer plan, "
        + "with a KV cache (a parallel step caches the mean of its layers' keys and values).")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt (repeatable: one batch, left-padded). "
            + "Default: empty (BOS only).")
    List<String> prompts;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--no-bos", description = "Do not put BOS before the prompt.")
    boolean noBos;

    @Override
    public Integer call() {
        if (!LlamaLoader.isDecoder(model.model)) {
            throw new IllegalArgumentException("generate needs a decoder (--model DIR or FILE.bin), got " + model.model);
        }
        LlamaModel m = LlamaLoader.load(model.model);
        LayerPlan plan = planOption.resolve(m.config().numLayers());
        LlamaDecoder dec = LlamaDecoder.of(m.weights(), plan);
        List<String> texts = prompts == null ? List.of("") : prompts;
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            int[] enc = m.tokenizer().encode(t);
            int[] p = new int[enc.length + (noBos ? 0 : 1)];
            if (!noBos) {
                p[0] = m.tokenizer().bos();
            }
            System.arraycopy(enc, 0, p, noBos ? 0 : 1, enc.length);
            if (p.length == 0) {
                throw new IllegalArgumentException("empty prompt without BOS");
            }
            ids.add(p);
        }
        System.out.printf("model  %s%nplan   %s (depth %d)%n%n", m.id(), plan.print(), plan.depth());
        long t0 = System.nanoTime();
        List<int[]> out = GreedyGenerator.generate(dec, ids, maxTokens, m.tokenizer().eos(), (r, x) -> false);
        double secs = (System.nanoTime() - t0) / 1e9;
        int generated = 0;
        for (int i = 0; i < out.size(); i++) {
            generated += out.get(i).length;
            int[] all = new int[ids.get(i).length + out.get(i).length];
            System.arraycopy(ids.get(i), 0, all, 0, ids.get(i).length);
            System.arraycopy(out.get(i), 0, all, ids.get(i).length, out.get(i).length);
            System.out.println(m.tokenizer().decode(all));
            System.out.println();
        }
        System.out.printf("%d tokens generated in %.2f s (%.1f tokens/s, batch %d, KV cache)%n", generated, secs,
                generated / secs, out.size());
        return 0;
    }
}
