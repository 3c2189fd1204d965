package painters.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import painters.checkpoint.HfDirectory;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.results.Provenance;
import painters.training.FineTunedWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a model run as a plan as a plain Hugging Face checkpoint of its family. */
@Command(name = "export", description = "Write a model run as a layer plan as a plain Hugging Face checkpoint of its "
        + "family: config.json at the plan's depth, model.safetensors with the blocks in plan order (repeats copied, "
        + "merges averaged, a linear repair folded into its block, a fine-tuning checkpoint's weights with LoRA merged in), "
        + "the tokenizer files, and painters-plan.json with the "
        + "plan and its provenance. Plans a plain model cannot express (parallel steps) are refused.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    PlanOption planOption;

    @Mixin
    RepairOptions repair;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A fine-tuning run's checkpoint folder (finetune "
            + "--checkpoints) of this model, plan and repair: its newest weights are written, LoRA adapters merged in.")
    Path checkpoint;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json to copy (default: the source "
            + "checkpoint's).")
    Path tokenizer;

    @Override
    public Integer call() throws Exception {
        repair.check();
        LoadedModel m = model.load();
        LayerPlan plan = planOption.resolve(m.numLayers());
        LoadedModel repaired = repair.apply(m, plan, 32, 128);
        FineTunedWeights.Applied trained = checkpoint == null ? null : FineTunedWeights.apply(repaired, plan, checkpoint);
        LoadedModel plain = (trained == null ? repaired : trained.model()).plainModel(plan);
        String written = HfDirectory.write(plain, model.model, tokenizer, out);
        JsonObject o = new JsonObject();
        o.addProperty("plan", plan.print());
        o.addProperty("source_model", m.id());
        o.addProperty("source_sha256", m.sha256());
        o.addProperty("family", m.family());
        o.addProperty("num_hidden_layers", plain.numLayers());
        o.addProperty("depth", plan.depth());
        o.addProperty("applications", plan.applications());
        o.addProperty("model", plain.id());
        if (trained != null) {
            o.addProperty("checkpoint", checkpoint.toAbsolutePath().toString());
            o.addProperty("trained_tensors", trained.replaced());
            o.addProperty("lora_merged", trained.merged());
            o.addProperty("left_out", String.join(",", trained.leftOut()));
        }
        o.addProperty("painters_git_commit", Provenance.current().gitCommit());
        o.addProperty("created", Instant.now().toString());
        Files.writeString(out.resolve("painters-plan.json"), new GsonBuilder().setPrettyPrinting().create().toJson(o)
                + "\n", StandardCharsets.UTF_8);
        System.out.println(written + ", painters-plan.json: " + plan.print() + " as a plain " + m.family() + " model of "
                + plain.numLayers() + " blocks" + (trained == null ? "" : "; from " + checkpoint + ": " + trained.replaced()
                + " trained tensors, " + trained.merged() + " LoRA adapters merged" + (trained.leftOut().isEmpty() ? ""
                : ", left out (not part of the model): " + String.join(", ", trained.leftOut()))));
        return 0;
    }
}
