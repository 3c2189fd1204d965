package painters.study.figures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The Pareto front of items by a cost (lower is better) and a score (higher is better). */
public final class Pareto {

    private Pareto() {}

    /** Items no other item beats on score at a cost no higher, by increasing cost. */
    public static <T> List<T> front(List<T> items, ToDoubleFunction<T> cost, ToDoubleFunction<T> score) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(score).reversed()));
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
