package painters.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.family.LoadedModel;
import painters.model.weights.DType;
import painters.model.weights.SafetensorsWriter;
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
        LoadedModel m = model.load();
        String config = m.hfConfigJson();
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), config, StandardCharsets.UTF_8);
        Map<String, INDArray> t = new LinkedHashMap<>(m.hfTensors());
        DType dtype = switch (m.weights().precision()) {           // --dtype: the precision the weights are held in
            case FP32 -> DType.F32;
            case BF16 -> DType.BF16;
            case FP16 -> DType.F16;
        };
        SafetensorsWriter.write(out.resolve("model.safetensors"), t, dtype, Map.of("format", "pt"));
        List<String> copied = new ArrayList<>();
        Path source = Path.of(m.id());
        if (tokenizer != null) {
            Files.copy(tokenizer, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        } else if (Files.isDirectory(source)) {               // a HF directory: its tokenizer and generation files
            for (String f : List.of("tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                    "generation_config.json")) {
                if (Files.isRegularFile(source.resolve(f)) && !source.resolve(f).equals(out.resolve(f))) {
                    Files.copy(source.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    copied.add(f);
                }
            }
        } else if (model.model.equals("default")) {
            try (var in = ConvertCommand.class.getResourceAsStream("/bge-small-en-v1.5-tokenizer.json")) {
                Files.copy(in, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (tokenizer != null || model.model.equals("default")) {
            copied.add("tokenizer.json");
        }
        System.out.printf("wrote %s (config.json, model.safetensors as %s, %d tensors%s)%n", out, dtype, t.size(),
                copied.isEmpty() ? "" : ", " + String.join(", ", copied));
        return 0;
    }
}
