package painters.study.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/** The Pareto front of items by an integer cost (lower is better) and a score (higher is better). */
public final class Pareto {

    private Pareto() {}

    /** Items no other item beats on score at a cost no higher, by increasing cost. */
    public static <T> List<T> front(List<T> items, ToIntFunction<T> cost, ToDoubleFunction<T> score) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(cost).thenComparing(Comparator.comparingDouble(score).reversed()));
        List<T> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T x : sorted) {
            if (score.applyAsDouble(x) > best) {
                front.add(x);
                best = score.applyAsDouble(x);
            }
        }
        return front;
    }
}
