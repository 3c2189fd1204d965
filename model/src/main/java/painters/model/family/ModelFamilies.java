package painters.model.family;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import painters.model.ModelFormatException;
import painters.model.hf.HfCache;

/**
 * The registry of model families: which family reads a {@code --model} argument, and loading it.
 * Exactly one family must recognise a checkpoint; none or two is an error that names them.
 */
public final class ModelFamilies {

    private static final List<ModelFamily> ALL = ServiceLoader.load(ModelFamily.class, ModelFamily.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private ModelFamilies() {}

    /** Every registered family. */
    public static List<ModelFamily> all() {
        return ALL;
    }

    /** The family whose checkpoint {@code model} is ({@code null} or "default": the embedded default model). */
    public static ModelFamily of(String argument) {
        String model = HfCache.resolve(argument);
        List<ModelFamily> hits = ALL.stream().filter(f -> f.recognises(model)).toList();
        if (hits.size() == 1) {
            return hits.get(0);
        }
        if (hits.size() > 1) {
            throw new ModelFormatException(model + ": recognised by several model families ("
                    + hits.stream().map(ModelFamily::name).collect(Collectors.joining(", ")) + ")");
        }
        String known = ALL.stream().map(f -> f.name() + ": " + f.accepts()).collect(Collectors.joining("; "));
        if (model != null && !Files.exists(Path.of(model))) {
            throw new ModelFormatException(model + ": no such file or directory (models: " + known + ")");
        }
        throw new ModelFormatException(model + ": not a checkpoint of any model family (" + known + ")");
    }

    /** The registered family that reads ONNX exports (the reference path of {@code verify} and {@code bench forward}). */
    public static OnnxExports onnxExports() {
        return ALL.stream().filter(f -> f instanceof OnnxExports).map(f -> (OnnxExports) f).findFirst()
                .orElseThrow(() -> new IllegalStateException("no registered model family reads ONNX exports"));
    }

    /** Loads {@code model} with the family that recognises it. */
    public static LoadedModel load(String model) {
        String resolved = HfCache.resolve(model);
        return of(resolved).load(resolved);
    }

    /** The architecture of {@code model} (a checkpoint or a bare config.json), from the family that reads it. */
    public static Architecture architecture(String argument) {
        String model = HfCache.resolve(argument);
        List<ModelFamily> hits = ALL.stream().filter(f -> f.recognisesConfig(model)).toList();
        if (hits.size() == 1) {
            return hits.get(0).architecture(model);
        }
        if (hits.size() > 1) {
            throw new ModelFormatException(model + ": recognised by several model families ("
                    + hits.stream().map(ModelFamily::name).collect(Collectors.joining(", ")) + ")");
        }
        if (model != null && !Files.exists(Path.of(model))) {
            throw new ModelFormatException(model + ": no such file or directory");
        }
        throw new ModelFormatException(model + ": neither a checkpoint nor a config.json of any model family ("
                + ALL.stream().map(f -> f.name() + ": " + f.accepts()).collect(Collectors.joining("; ")) + ")");
    }

    /**
     * {@link ModelFamily#surgeryNotes} of {@code model}'s family: empty for a model no family recognises or whose
     * family binds nothing to a block's position.
     */
    public static List<String> surgeryNotes(String argument) {
        String model;
        try {
            model = HfCache.resolve(argument);
        } catch (ModelFormatException e) {
            return List.of();
        }
        List<ModelFamily> hits = ALL.stream().filter(f -> f.recognisesConfig(model)).toList();
        return hits.size() == 1 ? hits.get(0).surgeryNotes(model) : List.of();
    }
}
