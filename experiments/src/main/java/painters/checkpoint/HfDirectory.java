package painters.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.family.LoadedModel;
import painters.model.weights.DType;
import painters.model.weights.SafetensorsWriter;

/**
 * A loaded model written as a Hugging Face directory: config.json, model.safetensors (the family's HF names, in the
 * precision the weights are held in) and the tokenizer files of the checkpoint it came from (convert, export).
 */
public final class HfDirectory {

    private HfDirectory() {}

    /**
     * Writes {@code m} to {@code out}; {@code source} is the model as the user named it (its directory's tokenizer and
     * generation files are copied; "default": the embedded tokenizer), {@code tokenizer} an explicit tokenizer.json or
     * null. Returns a line saying what was written.
     */
    public static String write(LoadedModel m, String source, Path tokenizer, Path out) throws IOException {
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
        Path dir = Path.of(source);
        if (tokenizer != null) {
            Files.copy(tokenizer, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        } else if (Files.isDirectory(dir)) {               // a HF directory: its tokenizer and generation files
            for (String f : List.of("tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                    "generation_config.json")) {
                if (Files.isRegularFile(dir.resolve(f)) && !dir.resolve(f).equals(out.resolve(f))) {
                    Files.copy(dir.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    copied.add(f);
                }
            }
        } else if (source.equals("default")) {
            try (InputStream in = HfDirectory.class.getResourceAsStream("/bge-small-en-v1.5-tokenizer.json")) {
                Files.copy(in, out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (tokenizer != null || source.equals("default")) {
            copied.add("tokenizer.json");
        }
        return String.format("wrote %s (config.json, model.safetensors as %s, %d tensors%s)", out, dtype, t.size(),
                copied.isEmpty() ? "" : ", " + String.join(", ", copied));
    }
}
