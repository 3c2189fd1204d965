package painters.model.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;

/**
 * Reads a safetensors checkpoint as HF saves it: a single {@code model.safetensors}, or shards listed
 * by {@code model.safetensors.index.json} ({@code {"weight_map": {tensor: shard file}}}).
 */
public final class Safetensors {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private Safetensors() {}

    /**
     * Reads a checkpoint from a directory (sharded index if present, else {@code model.safetensors}),
     * from an index file, or from one {@code .safetensors} file.
     */
    public static TensorMap read(Path path) {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX);
            if (Files.isRegularFile(index)) {
                return readSharded(index);
            }
            Path single = path.resolve(SINGLE);
            if (Files.isRegularFile(single)) {
                return SafetensorsFile.open(single).readAll();
            }
            throw new ModelFormatException(path + ": no " + SINGLE + " or " + INDEX + " in this directory");
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path + ": no such file");
        }
        if (path.getFileName().toString().endsWith(".json")) {
            return readSharded(path);
        }
        return SafetensorsFile.open(path).readAll();
    }

    /** Whether {@code dir} holds a safetensors checkpoint. */
    public static boolean isCheckpointDir(Path dir) {
        return Files.isRegularFile(dir.resolve(INDEX)) || Files.isRegularFile(dir.resolve(SINGLE));
    }

    /** Reads every tensor listed in a {@code model.safetensors.index.json}, checking each shard holds it. */
    public static TensorMap readSharded(Path index) {
        Map<String, String> weightMap = readIndex(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        for (String shard : new LinkedHashSet<>(weightMap.values())) {
            Path p = dir.resolve(shard).normalize();
            if (!p.startsWith(dir)) {
                throw new ModelFormatException(index + ": shard \"" + shard + "\" points outside its directory");
            }
            if (!Files.isRegularFile(p)) {
                throw new ModelFormatException(index + ": shard \"" + shard + "\" listed in weight_map does not exist");
            }
            shards.put(shard, SafetensorsFile.open(p));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            SafetensorsFile f = shards.get(e.getValue());
            if (!f.entries().containsKey(e.getKey())) {
                throw new ModelFormatException(index + ": tensor \"" + e.getKey() + "\" is mapped to "
                        + e.getValue() + " but that shard does not contain it");
            }
            out.put(e.getKey(), f.read(e.getKey()));
        }
        for (SafetensorsFile f : shards.values()) {
            for (String name : f.entries().keySet()) {
                if (!weightMap.containsKey(name)) {
                    throw new ModelFormatException(f.path() + ": tensor \"" + name + "\" is not listed in " + index);
                }
            }
        }
        return new TensorMap(index.toString(), out);
    }

    private static Map<String, String> readIndex(Path index) {
        JsonObject root;
        try (Reader r = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(index + ": index is not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new ModelFormatException(index + ": cannot read index: " + e.getMessage(), e);
        }
        JsonElement wm = root.get("weight_map");
        if (wm == null || !wm.isJsonObject()) {
            throw new ModelFormatException(index + ": missing \"weight_map\" object");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : wm.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw new ModelFormatException(index + ": weight_map entry \"" + e.getKey() + "\" is not a file name");
            }
            m.put(e.getKey(), e.getValue().getAsString());
        }
        if (m.isEmpty()) {
            throw new ModelFormatException(index + ": weight_map is empty");
        }
        return m;
    }
}
