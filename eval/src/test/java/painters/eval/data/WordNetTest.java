package painters.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordNetTest {

    @Test
    void parsesASynsetLineWithExamples() {
        Synset s = WordNet.parse("01234567 29 v 02 run 0 go_on 1 002 @ 01835496 v 0000 + 00795720 n 0101 01 + 02 00 "
                + "| move fast by using one's feet; \"Don't run--you'll be out of breath\"; \"The children ran to the store\"  ");
        assertEquals('v', s.pos());
        assertEquals(1234567L, s.offset());
        assertEquals(29, s.lexFile());
        assertEquals(List.of("run", "go on"), s.lemmas());
        assertEquals("move fast by using one's feet", s.definition());
        assertEquals(List.of("Don't run--you'll be out of breath", "The children ran to the store"), s.examples());
    }

    @Test
    void stripsAdjectiveMarkers() {
        Synset s = WordNet.parse("00001740 00 a 01 able(a) 0 000 | having the necessary means  ");
        assertEquals(List.of("able"), s.lemmas());
    }

    @Test
    void malformedLinesNameFileAndLine() {
        String text = "  licence header line\n00001740 03 n 01 entity 0 000 | that which exists  \n00001930 03 n zz | bad\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WordNet.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "data.noun"));
        assertTrue(e.getMessage().startsWith("data.noun:3:"), e.getMessage());
    }

    @Test
    void readsTheWholeDictionaryFromMavenCentral() {
        List<Synset> all = WordNet.load();
        // WordNet 3.1: 117,791 synsets (82,192 noun + 13,789 verb + 18,185 adjective + 3,625 adverb)
        assertEquals(117_791, all.size());
        List<String> a = WordNet.exampleSentences(all, 50, 5, 1);
        assertEquals(a, WordNet.exampleSentences(all, 50, 5, 1));
        assertTrue(a.stream().allMatch(x -> x.split("\\s+").length >= 5));
    }
}
