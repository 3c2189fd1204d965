package painters.eval.task;

import java.util.List;

/**
 * One row of a task.
 *
 * @param source where it came from ({@code file:line}), for error messages
 * @param texts  one text, or two for pair tasks
 * @param label  class id (classification), or -1
 * @param target real target (regression, similarity), or NaN
 */
public record Example(String source, List<String> texts, int label, double target) {

    public Example {
        texts = List.copyOf(texts);
    }
}
