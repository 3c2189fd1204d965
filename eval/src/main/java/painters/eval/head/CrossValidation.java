package painters.eval.head;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import painters.model.UserInputException;

/**
 * Seeded k-fold assignment, stratified by class for classification (each class is shuffled and dealt
 * round-robin over the folds), so every fold keeps the label balance.
 */
public final class CrossValidation {

    private CrossValidation() {}

    /** Fold of each example, 0..k-1. {@code labels} may be null (then plain shuffled folds). */
    public static int[] folds(int n, int k, int[] labels, long seed) {
        if (k < 2 || k > n) {
            throw new UserInputException("k-fold needs 2 <= k <= n, got k=" + k + ", n=" + n);
        }
        Random r = new Random(seed);
        int[] fold = new int[n];
        List<List<Integer>> groups = new ArrayList<>();
        if (labels == null) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            groups.add(all);
        } else {
            int classes = 0;
            for (int l : labels) {
                classes = Math.max(classes, l + 1);
            }
            for (int c = 0; c < classes; c++) {
                groups.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                groups.get(labels[i]).add(i);
            }
        }
        int next = 0;
        for (List<Integer> g : groups) {
            Collections.shuffle(g, r);
            for (int i : g) {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }
}
