package painters.eval.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.slf4j.LoggerFactory;
import painters.model.UserInputException;
import painters.model.weights.Checksums;

/**
 * A task's examples, loaded from its spec: the scored split, the training split if the spec has one,
 * the rows skipped (only when the spec allows), and a checksum of the data for provenance.
 *
 * @param spec     the task
 * @param eval     the scored split
 * @param train    the training split, or null (then heads are scored by k-fold CV on {@code eval})
 * @param skipped  {@code file:line: reason} of every skipped row
 * @param checksum sha256 of the split files (or of the generator parameters, for generated tasks)
 */
public record TaskData(TaskSpec spec, List<Example> eval, List<Example> train, List<String> skipped, String checksum) {

    /**
     * Whether the scored split cannot tell models apart: a classification task whose eval split holds a
     * single class (accuracy 1.0 for any model that learns the majority). Its scores are reported but
     * left out of normalised scores and claims.
     */
    public boolean degenerate() {
        return spec.kind() == TaskKind.CLASSIFICATION && eval.stream().map(Example::label).distinct().count() < 2;
    }

    /**
     * The view a search scores candidates on: a seeded {@code share} of the train split becomes the scored split
     * and the rest the training split, so the task's own scored split stays unseen until the chosen plans are
     * scored on it once. Needs a train split.
     */
    public TaskData validation(double share, long seed) {
        if (train == null) {
            throw new UserInputException(spec.name() + ": no train split to hold a validation share out of (a "
                    + "search scores candidates on validation, never on " + spec.eval() + ")");
        }
        if (!(share > 0 && share < 1)) {
            throw new UserInputException("validation share must be in (0, 1), got " + share);
        }
        List<Example> copy = new ArrayList<>(train);
        Collections.shuffle(copy, new Random(seed));
        int v = Math.max(1, Math.min(copy.size() - 1, (int) Math.round(copy.size() * share)));
        Map<String, String> splits = new LinkedHashMap<>(spec.splits());
        splits.put("validation", String.format(Locale.ROOT, "%.0f%% of train, seed %d", 100 * share, seed));
        TaskSpec v2 = new TaskSpec(spec.name(), spec.version(), spec.description(), spec.kind(), spec.format(), splits,
                "validation", spec.header(), spec.text(), spec.label(), spec.labels(), spec.metrics(), spec.chance(),
                spec.skipBadRows(), spec.folds(), spec.params());
        return new TaskData(v2, List.copyOf(copy.subList(0, v)), List.copyOf(copy.subList(v, copy.size())), skipped,
                sha256((checksum + " validation " + share + " seed " + seed).getBytes()));
    }

    public static TaskData load(TaskSpec spec) {
        TaskGenerator generator = TaskGenerator.of(spec.format());
        if (generator != null) {
            Map<String, List<Example>> g = generator.generate(spec);
            List<Example> eval = g.get(spec.eval());
            if (eval == null) {
                throw new UserInputException(spec.name() + ": generator has no split \"" + spec.eval() + "\"");
            }
            return new TaskData(spec, eval, spec.hasTrainSplit() ? g.get("train") : null, List.of(),
                    sha256(generator.source(spec).getBytes()));
        }
        List<String> skipped = new ArrayList<>();
        DatasetReader.Split e = DatasetReader.read(spec, spec.eval());
        skipped.addAll(e.skipped());
        List<Example> train = null;
        StringBuilder sums = new StringBuilder(fileSha(spec.splits().get(spec.eval())));
        if (spec.hasTrainSplit()) {
            DatasetReader.Split t = DatasetReader.read(spec, "train");
            skipped.addAll(t.skipped());
            train = t.examples();
            sums.append(fileSha(spec.splits().get("train")));
        }
        TaskData d = new TaskData(spec, e.examples(), train, List.copyOf(skipped), sha256(sums.toString().getBytes()));
        if (!skipped.isEmpty()) {
            LoggerFactory.getLogger(TaskData.class).warn("{}: skipped {} malformed rows (skipBadRows), first: {}",
                    spec.name(), skipped.size(), skipped.get(0));
        }
        if (d.degenerate()) {
            LoggerFactory.getLogger(TaskData.class).warn("{}: its {} split holds a single class: any model "
                    + "that predicts it scores 1.0; the task is marked degenerate and left out of normalised scores",
                    spec.name(), spec.eval());
        }
        return d;
    }

    private static String fileSha(String path) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(Path.of(path)), md())) {
            MessageDigest d = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UserInputException(path + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(md().digest(b));
    }

    private static MessageDigest md() {
        return Checksums.sha256();
    }
}
