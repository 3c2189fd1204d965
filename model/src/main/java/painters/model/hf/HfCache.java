package painters.model.hf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import painters.model.ModelFormatException;

/**
 * Model names as researchers write them ({@code Qwen/Qwen2.5-0.5B}, {@code org/name@revision}) resolved offline
 * through the local Hugging Face hub cache: {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else
 * {@code ~/.cache/huggingface/hub}; the repository's folder {@code models--org--name}, the revision's commit from
 * {@code refs/<revision>} (default {@code main}) or the revision itself as a commit, and its
 * {@code snapshots/<commit>/} folder. Nothing is downloaded: a name not in the cache is a one-line error saying
 * where it looked. An argument that is an existing path, or not of the form {@code org/name}, is left as it is.
 */
public final class HfCache {

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][\\w.-]*)/([\\w.-]+)(?:@([\\w./-]+))?");

    private HfCache() {}

    /** {@code model} resolved with this process's environment and home directory. */
    public static String resolve(String model) {
        return resolve(model, System.getenv(), System.getProperty("user.home"));
    }

    /** {@code model} resolved with the given environment variables and home directory. */
    public static String resolve(String model, Map<String, String> env, String home) {
        if (model == null || model.equals("default") || Files.exists(Path.of(model))) {
            return model;
        }
        Matcher m = NAME.matcher(model);
        if (!m.matches()) {
            return model;
        }
        Path hub = hub(env, home);
        Path repo = hub.resolve("models--" + m.group(1) + "--" + m.group(2));
        if (!Files.isDirectory(repo)) {
            throw new ModelFormatException(model + ": not a path, and not in the local Hugging Face cache (looked for "
                    + repo + "; nothing is downloaded: fetch it first, e.g. huggingface-cli download " + m.group(1)
                    + "/" + m.group(2) + ")");
        }
        String rev = m.group(3) == null ? "main" : m.group(3);
        String commit = rev;
        Path ref = repo.resolve("refs").resolve(rev);
        if (Files.isRegularFile(ref)) {
            try {
                commit = Files.readString(ref).trim();
            } catch (IOException e) {
                throw new ModelFormatException(ref + ": " + e.getMessage(), e);
            }
        }
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        if (!Files.isDirectory(snapshot)) {
            throw new ModelFormatException(model + ": revision " + rev + " is not in the local Hugging Face cache (looked "
                    + "for " + snapshot + (Files.isRegularFile(ref) ? ", the commit " + ref + " names" : "") + ")");
        }
        return snapshot.toString();
    }

    /** The hub cache folder: HF_HUB_CACHE, HF_HOME/hub, or ~/.cache/huggingface/hub. */
    static Path hub(Map<String, String> env, String home) {
        if (env.get("HF_HUB_CACHE") != null && !env.get("HF_HUB_CACHE").isBlank()) {
            return Path.of(env.get("HF_HUB_CACHE"));
        }
        if (env.get("HF_HOME") != null && !env.get("HF_HOME").isBlank()) {
            return Path.of(env.get("HF_HOME"), "hub");
        }
        return Path.of(home, ".cache", "huggingface", "hub");
    }
}
