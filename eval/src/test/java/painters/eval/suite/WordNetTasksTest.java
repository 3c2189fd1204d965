package painters.eval.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import painters.eval.data.WordNet;
import painters.eval.task.Example;
import painters.eval.task.TaskData;
import painters.eval.task.TaskSpecs;

class WordNetTasksTest {

    @Test
    void lexnameIsBalancedDeterministicAndDisjoint() {
        TaskData a = TaskData.load(TaskSpecs.load("wn-lexname", null));
        TaskData b = TaskData.load(TaskSpecs.load("wn-lexname", null));
        assertEquals(300, a.eval().size());
        assertEquals(600, a.train().size());
        assertEquals(a.eval(), b.eval(), "same seed, same task");
        assertEquals(a.checksum(), b.checksum());
        int[] perClass = new int[10];
        a.eval().forEach(e -> perClass[e.label()]++);
        for (int c : perClass) {
            assertEquals(30, c);
        }
        Set<String> train = new HashSet<>();
        a.train().forEach(e -> train.add(e.texts().get(0)));
        assertTrue(a.eval().stream().noneMatch(e -> train.contains(e.texts().get(0))), "train and test share a definition");
    }

    @Test
    void bigramShiftSwapsExactlyOneAdjacentPairInHalfTheSentences() {
        TaskData d = TaskData.load(TaskSpecs.load("wn-bshift", null));
        assertEquals(400, d.eval().size());
        assertEquals(800, d.train().size());
        long shifted = d.eval().stream().filter(e -> e.label() == 1).count();
        assertTrue(shifted > 160 && shifted < 240, "about half shifted: " + shifted);
        Set<String> train = new HashSet<>();
        d.train().forEach(e -> train.add(e.texts().get(0)));
        List<Example> test = d.eval();
        assertTrue(test.stream().noneMatch(e -> train.contains(e.texts().get(0))));
        // shifted and unshifted sentences have the same length distribution (6-30 words)
        assertTrue(test.stream().allMatch(e -> {
            int w = e.texts().get(0).split(" ").length;
            return w >= 6 && w <= 30;
        }));
        assertNotEquals(d.eval().get(0).texts(), d.eval().get(1).texts());
        // against WordNet itself: an unshifted sentence is one of its example sentences as it stands; a shifted one is
        // not, and swapping back exactly one pair of adjacent words gives one
        Set<String> examples = new HashSet<>();
        WordNet.load().forEach(s -> s.examples().forEach(e -> examples.add(String.join(" ",
                e.split("\\s+")))));
        for (Example e : test) {
            String text = e.texts().get(0);
            List<String> w = List.of(text.split(" "));
            int restoring = 0;
            for (int j = 0; j + 1 < w.size(); j++) {
                List<String> back = new ArrayList<>(w);
                Collections.swap(back, j, j + 1);
                if (!back.get(j).equalsIgnoreCase(back.get(j + 1)) && examples.contains(String.join(" ", back))) {
                    restoring++;
                }
            }
            if (e.label() == 0) {
                assertTrue(examples.contains(text), "unshifted but not a WordNet example: " + text);
            } else {
                assertTrue(!examples.contains(text) && restoring >= 1, "shifted, yet no adjacent swap gives a WordNet "
                        + "example (or it is one already): " + text);
            }
        }
    }

    @Test
    void isAStatementsOfAPairDifferOnlyInOrderAndTrainAndTestShareNoPair() {
        TaskData d = TaskData.load(TaskSpecs.load("wn-isa", null));
        assertEquals(400, d.eval().size());
        assertEquals(800, d.train().size());
        long truths = d.eval().stream().filter(e -> e.label() == 1).count();
        assertTrue(truths > 160 && truths < 240, "about half true: " + truths);
        Pattern form = Pattern.compile("^An? ([A-Za-z]+) is a kind of ([A-Za-z]+)\\.$");
        Set<String> trainPairs = new HashSet<>();
        for (Example e : d.train()) {
            Matcher m = form.matcher(e.texts().get(0));
            assertTrue(m.matches(), e.texts().get(0));
            trainPairs.add(pair(m.group(1), m.group(2)));
        }
        for (Example e : d.eval()) {
            Matcher m = form.matcher(e.texts().get(0));
            assertTrue(m.matches(), e.texts().get(0));
            assertFalse(trainPairs.contains(pair(m.group(1), m.group(2))), "a test pair was in train: " + e.texts());
        }
        // a known pair of WordNet 3.1: dog -> canine (noun.animal)
        TaskData again = TaskData.load(TaskSpecs.load("wn-isa", null));
        assertEquals(d.eval(), again.eval(), "deterministic from the seed");
    }

    /** The unordered pair of nouns of a statement (the same for both orders). */
    private static String pair(String a, String b) {
        return a.compareToIgnoreCase(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
