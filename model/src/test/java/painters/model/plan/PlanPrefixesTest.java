package painters.model.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Branch points of plan tries, by hand and against a brute-force pairwise count. */
class PlanPrefixesTest {

    static List<Step> steps(String text) {
        return LayerPlan.parse(text, 12).flattened().steps();
    }

    @Test
    void handWorkedGrid() {
        List<LayerPlan> plans = List.of(LayerPlan.parse("0-3", 12), LayerPlan.parse("0-1,3", 12),
                LayerPlan.parse("0-1,P(2-3)", 12), LayerPlan.parse("0-1,P(2-3)x2", 12), LayerPlan.parse("5,4", 12));
        PlanPrefixes p = new PlanPrefixes(plans);
        assertEquals(Set.of(steps("0-1"), steps("0-1,P(2-3)")), p.branchPoints());
        assertEquals(3, p.start(steps("0-1,P(2-3)x2")), "looped parallel starts after the shared parallel step");
        assertEquals(2, p.start(steps("0-1,P(2-3)")), "a plan that is a branch point runs its last step itself");
        assertEquals(2, p.start(steps("0-3")));
        assertEquals(2, p.start(steps("0-1,3")));
        assertEquals(0, p.start(steps("5,4")));
        assertEquals(steps("0-1"), p.parent(steps("0-1,P(2-3)")));
        assertEquals(List.of(), p.parent(steps("0-1")));
        assertEquals(List.of(steps("0-1"), steps("0-1,P(2-3)")), p.chain(steps("0-1,P(2-3)")));
    }

    @Test
    void branchPointsAreExactlyThePairwiseCommonPrefixes() {
        Random r = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            List<LayerPlan> plans = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                List<Step> s = new ArrayList<>();
                int n = 1 + r.nextInt(6);
                for (int k = 0; k < n; k++) {
                    int a = r.nextInt(3);
                    s.add(r.nextInt(4) == 0 ? new Step.Parallel(List.of(a, a + 1)) : new Step.Run(a));
                }
                plans.add(new LayerPlan(12, s));
            }
            // equal plans are one computation (a study scores them once): distinct step lists only
            List<List<Step>> distinct = plans.stream().map(LayerPlan::steps).distinct().toList();
            Set<List<Step>> brute = new HashSet<>();
            for (int i = 0; i < distinct.size(); i++) {
                for (int j = i + 1; j < distinct.size(); j++) {
                    List<Step> a = distinct.get(i);
                    List<Step> b = distinct.get(j);
                    int l = 0;
                    while (l < Math.min(a.size(), b.size()) && a.get(l).equals(b.get(l))) {
                        l++;
                    }
                    if (l > 0) {
                        brute.add(List.copyOf(a.subList(0, l)));
                    }
                }
            }
            assertEquals(brute, new PlanPrefixes(plans).branchPoints(), "trial " + trial);
        }
    }
}
