package painters.model.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        // 0-1,2 is both the start of 0-3 and a member of the parallel step P(2-3) after 0-1
        assertEquals(Set.of(steps("0-1"), steps("0-2"), steps("0-1,P(2-3)")), p.branchPoints());
        assertEquals(List.of(steps("0-2"), steps("0-1,3")), p.members(steps("0-1,P(2-3)")),
                "the parallel step is the mean of its blocks' states after 0-1");
        assertEquals(List.of(), p.members(steps("0-1")));
        assertEquals(3, p.start(steps("0-1,P(2-3)x2")), "looped parallel starts after the shared parallel step");
        assertEquals(2, p.start(steps("0-1,P(2-3)")), "a plan that is a branch point runs its last step itself");
        assertEquals(3, p.start(steps("0-3")), "block 2 after 0-1 is shared with the parallel step");
        assertEquals(2, p.start(steps("0-1,3")), "a plan runs its last step itself");
        assertEquals(0, p.start(steps("5,4")));
        assertEquals(steps("0-1"), p.parent(steps("0-1,P(2-3)")));
        assertEquals(List.of(), p.parent(steps("0-1")));
        assertEquals(List.of(steps("0-1"), steps("0-1,P(2-3)")), p.chain(steps("0-1,P(2-3)")));
        // 0-1 (2) + block 2 (1) + block 3 for the mean (1); then the plans' own steps: 3 (1), 3 (1),
        // P(2-3) (2), the second P(2-3) (2), 5,4 (2); from scratch 4 + 3 + 4 + 6 + 2 = 19
        assertEquals(12, p.applications(plans));
    }

    @Test
    void branchPointsAreExactlyThePairwiseCommonPrefixesWithParallelMembers() {
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
            // p + m, for a parallel step P(M) after p and m in M, when some plan runs m right after p, or
            // another parallel step after p has m too; then p + m, p and p + P(M) are branch points
            Map<List<Step>, Set<List<Step>>> parallelsWith = new HashMap<>();
            for (List<Step> s : distinct) {
                for (int k = 0; k < s.size(); k++) {
                    if (s.get(k) instanceof Step.Parallel par) {
                        for (int m : par.layers()) {
                            List<Step> member = new ArrayList<>(s.subList(0, k));
                            member.add(new Step.Run(m));
                            parallelsWith.computeIfAbsent(member, x -> new HashSet<>()).add(s.subList(0, k + 1));
                        }
                    }
                }
            }
            parallelsWith.forEach((member, qs) -> {
                boolean continued = distinct.stream().anyMatch(s -> s.size() > member.size()
                        && s.subList(0, member.size()).equals(member));
                if (continued || qs.size() > 1) {
                    brute.add(member);
                    qs.forEach(q -> brute.add(List.copyOf(q)));
                    if (member.size() > 1) {
                        brute.add(member.subList(0, member.size() - 1));
                    }
                }
            });
            assertEquals(brute, new PlanPrefixes(plans).branchPoints(), "trial " + trial);
        }
    }
}
