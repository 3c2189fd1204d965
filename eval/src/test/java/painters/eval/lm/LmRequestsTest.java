package painters.eval.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import painters.model.tokenizer.TextTokenizer;

/** lm-eval's request construction, with a one-character-per-token tokenizer (BOS = 1, 'a' = 10...). */
class LmRequestsTest {

    /** ' ' -> 3, 'a'.. -> 10.., and the pair "ab" merges into 50 (to test encode-whole-then-split). */
    static final TextTokenizer CHARS = new TextTokenizer() {
        @Override
        public int[] encode(String text) {
            return text.replace("ab", "\u0001").chars().map(c -> c == 1 ? 50 : c == ' ' ? 3 : 10 + (c - 'a')).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int i : ids) {
                sb.append(i == 50 ? "ab" : i == 3 ? " " : String.valueOf((char) ('a' + i - 10)));
            }
            return sb.toString();
        }

        @Override
        public String piece(int id) {
            return decode(new int[] {id});
        }

        @Override
        public int bos() {
            return 1;
        }

        @Override
        public int eos() {
            return 2;
        }

        @Override
        public int vocabSize() {
            return 60;
        }

        @Override
        public String source() {
            return "chars";
        }
    };

    @Test
    void trailingSpaceMovesToTheContinuation() {
        LanguageModel.TokenPair p = new LmRequests(CHARS, false).pair("c ", "d");
        assertArrayEquals(new int[] {12}, p.context());
        assertArrayEquals(new int[] {3, 13}, p.continuation());
    }

    @Test
    void wholeIsEncodedThenSplitAtTheContextLength() {
        // "ca" + "b": whole "cab" -> [c, ab] = [12, 50]; context "ca" -> 2 tokens; continuation = whole[2:] = []
        assertThrows(IllegalArgumentException.class, () -> new LmRequests(CHARS, false).pair("ca", "b"));
        // "a" + "bc": whole "abc" -> [50, 12]; context "a" -> 1 token; continuation [12] (the merge counts as context)
        LanguageModel.TokenPair p = new LmRequests(CHARS, false).pair("a", "bc");
        assertArrayEquals(new int[] {50}, p.context());
        assertArrayEquals(new int[] {12}, p.continuation());
    }

    @Test
    void emptyContextIsThePrefixTokenAndBosIsOptional() {
        assertArrayEquals(new int[] {1}, new LmRequests(CHARS, false).pair("", "c").context());
        assertArrayEquals(new int[] {1, 12}, new LmRequests(CHARS, true).pair("c", " d").context());
        assertArrayEquals(new int[] {12}, new LmRequests(CHARS, false).prompt("c"));
    }

    @Test
    void rollingWindowsCoverEveryTokenOnceWithDisjointTargets() {
        int[] t = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        List<LanguageModel.TokenPair> w = new LmRequests(CHARS, false).rollingWindows(t, 4);
        assertEquals(3, w.size());
        assertArrayEquals(new int[] {1}, w.get(0).context());
        assertArrayEquals(new int[] {10, 11, 12, 13}, w.get(0).continuation());
        assertArrayEquals(new int[] {13}, w.get(1).context());
        assertArrayEquals(new int[] {14, 15, 16, 17}, w.get(1).continuation());
        assertArrayEquals(new int[] {15, 16, 17}, w.get(2).context());
        assertArrayEquals(new int[] {18, 19}, w.get(2).continuation());
    }
}
