package painters.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import painters.checkpoint.HfDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a loaded model as a HF directory: config.json, model.safetensors (HF names), tokenizer.json. */
@Command(name = "convert", description = "Write a model as a Hugging Face directory (config.json, "
        + "model.safetensors with the family's HF names in the --dtype precision, the tokenizer files): an ONNX export "
        + "as safetensors, or a checkpoint in another precision.")
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json to copy (default: the "
            + "default model's, for --model default).")
    Path tokenizer;

    @Override
    public Integer call() throws Exception {
        System.out.println(HfDirectory.write(model.load(), model.model, tokenizer, out));
        return 0;
    }
}
