package painters.eval.task;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes a task's splits from its spec instead of reading them from files: the spec's {@code format} names the
 * generator (e.g. {@code wordnet}). Generators live where their data does (the WordNet suite in {@code eval.suite}) and
 * are found through {@link ServiceLoader} ({@code META-INF/services/painters.eval.task.TaskGenerator}), so this package
 * names none of them.
 */
public interface TaskGenerator {

    /** The spec {@code format} this generator answers. */
    String format();

    /** Every split the spec's parameters define, by split name. */
    Map<String, List<Example>> generate(TaskSpec spec);

    /** What the generated data depends on, in words: its checksum is the task's data checksum. */
    String source(TaskSpec spec);

    /** The generator of {@code format}, or null when the format is read from files. */
    static TaskGenerator of(String format) {
        for (TaskGenerator g : ServiceLoader.load(TaskGenerator.class)) {
            if (g.format().equals(format)) {
                return g;
            }
        }
        return null;
    }
}
