package painters.eval.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.lm.task.Gsm8k;
import painters.eval.task.TaskScore;
import painters.model.tokenizer.TextTokenizer;

/** GSM8K end to end with a scripted model: k-shot prompt, stop strings, strict-match exact match. */
class Gsm8kTest {

    /** One token per character (id = code point + 3); BOS 1, EOS 2. */
    static final TextTokenizer CHARS = new TextTokenizer() {
        @Override
        public int[] encode(String text) {
            return text.codePoints().map(c -> c + 3).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int i : ids) {
                if (i > 2) {
                    sb.appendCodePoint(i - 3);
                }
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
            return 70000;
        }

        @Override
        public String source() {
            return "chars";
        }
    };

    /** "Generates" a scripted text per prompt, token by token, honouring the stop predicate. */
    static final class Scripted implements LanguageModel {
        final List<String> scripts;
        final List<String> prompts = new ArrayList<>();

        Scripted(List<String> scripts) {
            this.scripts = scripts;
        }

        @Override
        public TextTokenizer tokenizer() {
            return CHARS;
        }

        @Override
        public int maxLength() {
            return 100000;
        }

        @Override
        public List<LogLikelihood> loglikelihood(List<TokenPair> requests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<int[]> generate(List<int[]> in, int maxNewTokens, BiPredicate<Integer, int[]> stop) {
            List<int[]> out = new ArrayList<>();
            for (int r = 0; r < in.size(); r++) {
                prompts.add(CHARS.decode(in.get(r)));
                int[] all = CHARS.encode(scripts.get(r));
                int n = 0;
                while (n < all.length && n < maxNewTokens) {
                    n++;
                    if (stop.test(r, Arrays.copyOf(all, n))) {
                        break;
                    }
                }
                out.add(Arrays.copyOf(all, n));
            }
            return out;
        }
    }

    @Test
    void fiveShotPromptsStopStringsAndStrictMatch(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("gsm8k"));
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            train.append("{\"question\": \"q").append(i).append("?\", \"answer\": \"a").append(i).append("\\n#### ")
                    .append(i).append("\"}\n");
        }
        Files.writeString(data.resolve("gsm8k/train.jsonl"), train);
        Files.writeString(data.resolve("gsm8k/test.jsonl"), "{\"question\": \"How many?\", \"answer\": \"x\\n#### 1,234\"}\n"
                + "{\"question\": \"And now?\", \"answer\": \"y\\n#### 7\"}\n");
        // right answer, then the model keeps going into a new question: cut at "Question:"
        // wrong answer (8), and its "#### 7" comes only after the stop string
        Scripted lm = new Scripted(List.of(" so 1234.\n#### 1,234\n\nQuestion: more", " 8\n#### 8\nQuestion: #### 7"));
        TaskScore s = new Gsm8k(5, 1234, 256).evaluate(lm, new LmRequests(CHARS, false), data, 0);
        assertEquals(0.5, s.primaryValue());
        assertEquals(2, s.n());
        String p = lm.prompts.get(0);
        assertEquals(6, p.split("Question: ", -1).length - 1, "5 shots + the question");
        assertTrue(p.endsWith("Question: How many?\nAnswer:"), p);
        assertTrue(p.contains("\n#### ") && p.contains("\n\nQuestion: "), p);
    }
}
