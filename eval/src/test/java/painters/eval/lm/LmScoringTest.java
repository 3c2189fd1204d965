package painters.eval.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.lm.task.Gsm8k;
import painters.eval.lm.task.Lambada;
import painters.eval.lm.task.Wikitext;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;

/** Scoring rules on hand-computed cases. */
class LmScoringTest {

    static LanguageModel.LogLikelihood ll(double v) {
        return new LanguageModel.LogLikelihood(v, false, 1);
    }

    @Test
    void accPicksTheMostLikelyChoiceAndAccNormDividesByCharacters() {
        // choice "a" (1 char) ll -2 -> norm -2; choice "bbbb" (4 chars) ll -4 -> norm -1
        ChoiceDoc d = ChoiceDoc.of("Q", List.of("a", "bbbb"), 1, "x:1");
        double[] s = MultipleChoice.score(List.of(d), List.of(ll(-2), ll(-4)));
        assertEquals(0.0, s[0]);          // acc picks "a" (wrong)
        assertEquals(1.0, s[1]);          // acc_norm picks "bbbb" (right)
        assertEquals(0.5, s[2]);          // chance 1/2
        assertEquals(List.of(" a", " bbbb"), d.continuations());
    }

    @Test
    void chanceIsTheMeanOfOneOverChoicesAndTiesGoToTheFirst() {
        ChoiceDoc three = ChoiceDoc.of("Q", List.of("x", "y", "z"), 0, "x:1");
        ChoiceDoc five = ChoiceDoc.of("Q", List.of("a", "b", "c", "d", "e"), 2, "x:2");
        double[] s = MultipleChoice.score(List.of(three, five),
                List.of(ll(-1), ll(-1), ll(-3), ll(-5), ll(-5), ll(-5), ll(-5), ll(-5)));
        assertEquals(0.5, s[0]);          // item 1 right by the tie rule, item 2 wrong (tie -> choice 0)
        assertEquals((1.0 / 3 + 1.0 / 5) / 2, s[2], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> MultipleChoice.score(List.of(three), List.of(ll(-1))));
    }

    @Test
    void codePointsNotUtf16UnitsNormaliseAccNorm() {
        // "\uD83D\uDE00" is one code point (two UTF-16 units): -3/2 beats -2/1 (counting units: -2/2 would win)
        ChoiceDoc d = ChoiceDoc.of("Q", List.of("\uD83D\uDE00", "ab"), 1, "x:1");
        assertEquals(1.0, MultipleChoice.score(List.of(d), List.of(ll(-2), ll(-3)))[1]);
    }

    @Test
    void tokenLogProbabilitiesAreLogSoftmaxOfTheLogits() {
        // one row, 3 positions, vocab 3; continuation = last 2 targets [2, 0]
        INDArray logits = Nd4j.createFromArray(new float[][][] {{{0, 0, 0}, {1, 2, 3}, {5, 1, 1}}});
        LanguageModel.LogLikelihood r = DecoderLm.score(logits, 0, 3, 2, new int[] {2, 0});
        double lse1 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double lse2 = Math.log(Math.exp(5) + 2 * Math.exp(1));
        assertEquals((3 - lse1) + (5 - lse2), r.logProb(), 1e-9);
        assertTrue(r.greedy());
        assertFalse(DecoderLm.score(logits, 0, 3, 2, new int[] {1, 0}).greedy());
    }

    @Test
    void lambadaAccuracyIsGreedyAndPerplexityExponentiatesTheMeanItemLoss() {
        double[] s = Lambada.score(List.of(new LanguageModel.LogLikelihood(-1, true, 1),
                new LanguageModel.LogLikelihood(-3, false, 2)));
        assertEquals(0.5, s[0]);
        assertEquals(Math.exp(2), s[1], 1e-12);
    }

    @Test
    void perItemOutputsRecomputeTheTaskScoresOnEveryItemAndOnAResample() {
        ChoiceDoc three = ChoiceDoc.of("Q", List.of("x", "y", "z"), 0, "x:1");
        ChoiceDoc five = ChoiceDoc.of("Q", List.of("a", "bbbb", "c", "d", "e"), 1, "x:2");
        List<LanguageModel.LogLikelihood> lls = List.of(ll(-1), ll(-1), ll(-3), ll(-5), ll(-4.5), ll(-5), ll(-5), ll(-5));
        double[] s = MultipleChoice.score(List.of(three, five), lls);
        ItemScores.Sums items = MultipleChoice.items(List.of(three, five), lls, true);
        int[] all = ItemScores.all(2);
        assertEquals(s[0], items.value(Metric.ACCURACY, all), 0);
        assertEquals(s[1], items.value(Metric.ACC_NORM, all), 0);
        assertEquals(1.0, items.value(Metric.ACC_NORM, new int[] {1, 1}),
                "item 2 by acc_norm: -4.5/4 beats -5/1");
        assertEquals(1, items.item(1).get("target").getAsInt());
        assertEquals(-4.5, items.item(1).getAsJsonArray("loglikelihoods").get(1).getAsDouble());

        List<LanguageModel.LogLikelihood> words = List.of(new LanguageModel.LogLikelihood(-1, true, 1),
                new LanguageModel.LogLikelihood(-3, false, 2));
        ItemScores.Sums li = Lambada.items(words);
        double[] ls = Lambada.score(words);
        assertEquals(ls[0], li.value(Metric.ACCURACY, all), 0);
        assertEquals(ls[1], li.value(Metric.PERPLEXITY, all), 1e-12);
    }

    @Test
    void gsm8kExtractsTheNumberAfterTheMarks() {
        assertEquals("1234", Gsm8k.extract("so 1,234 in total.\n#### 1,234."));
        assertEquals("-3.50", Gsm8k.extract("#### -3.50"));
        assertEquals("[invalid]", Gsm8k.extract("The answer is 7"));
        assertEquals("18", Gsm8k.extract("#### 18\n\nQuestion: next"));
        assertEquals("The answer", LmRequests.cutAtStop("The answer</s>Question: x", Gsm8k.STOPS));
    }

    @Test
    void wikitextSplitsArticlesAtTopLevelHeadings() {
        List<String> lines = List.of(" ", " = A = ", " text a ", " = = Sub = = ", " more ", " = B = ", " text b ");
        List<String> docs = Wikitext.documents(lines);
        assertEquals(2, docs.size());
        assertTrue(docs.get(0).contains("= = Sub = =") && docs.get(0).contains("more"));
        assertTrue(docs.get(1).startsWith(" = B = "));
    }
}
