package painters.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        + "model.safetensors with the family's HF names, tokenizer.json); BERT-family encoders, e.g. an ONNX export.")
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
        Map<String, INDArray> t = new LinkedHashMap<>(m.weights().tensors());
        DType dtype = switch (m.weights().precision()) {           // --dtype: the precision the weights are held in
            case FP32 -> DType.F32;
            case BF16 -> DType.BF16;
            case FP16 -> DType.F16;
        };
        SafetensorsWriter.write(out.resolve("model.safetensors"), t, dtype, Map.of("format", "pt"));
        if (tokenizer != null) {
            Files.copy(tokenizer, out.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else if (model.model.equals("default")) {
            try (var in = ConvertCommand.class.getResourceAsStream("/bge-small-en-v1.5-tokenizer.json")) {
                Files.copy(in, out.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.printf("wrote %s (config.json, model.safetensors as %s, %d tensors%s)%n", out, dtype, t.size(),
                Files.exists(out.resolve("tokenizer.json")) ? ", tokenizer.json" : "");
        return 0;
    }
}
