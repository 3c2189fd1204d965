package painters.eval.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.lm.task.Arc;
import painters.eval.lm.task.BoolQ;
import painters.eval.lm.task.HellaSwag;
import painters.eval.lm.task.Piqa;
import painters.eval.lm.task.Wikitext;
import painters.eval.lm.task.WinoGrande;
import painters.eval.task.SharedData;

/** The task readers on the real files (counts from each folder's SOURCES.md) and on broken ones. */
class LmTaskFilesTest {

    @Test
    void readersFindEveryItemOfTheRealFiles() {
        Path data = SharedData.require();
        assertEquals(1172, new Arc(true, "Test").docs(data).size());
        assertEquals(2376, new Arc(false, "Test").docs(data).size());
        assertEquals(10042, new HellaSwag().docs(data).size());
        assertEquals(1267, new WinoGrande().docs(data).size());
        assertEquals(1838, new Piqa().docs(data).size());
        List<ChoiceDoc> boolq = new BoolQ().docs(data);
        assertEquals(3270, boolq.size());
        assertEquals(2033, boolq.stream().filter(d -> d.gold() == 1).count(), "2033 yes per SOURCES.md");
        assertTrue(boolq.get(0).contexts().get(0).startsWith("Passage: ") && boolq.get(0).contexts().get(0).endsWith("?\nAnswer:"));
        // ARC: digit answer keys map through the labels; some items have 3 or 5 choices
        List<ChoiceDoc> arc = new Arc(true, "Test").docs(data);
        assertTrue(arc.stream().anyMatch(d -> d.size() != 4));
        assertTrue(arc.get(0).contexts().get(0).startsWith("Question: ") && arc.get(0).contexts().get(0).endsWith("\nAnswer:"));
        List<String> wiki = Wikitext.documents(JsonLines.lines(data.resolve("wikitext2/test.txt")));
        assertEquals(62, wiki.size(), "WikiText-2 test has 62 articles");
    }

    @Test
    void aBadRowNamesFileAndLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("boolq"));
        Files.writeString(dir.resolve("boolq/boolq_dev_llmfoundry.jsonl"),
                "{\"query\": \"q\", \"choices\": [\"no\", \"yes\"], \"gold\": 1}\n\n{\"query\": \"q\", \"choices\": [\"no\"], \"gold\": 1}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BoolQ().docs(dir));
        assertTrue(e.getMessage().contains("boolq_dev_llmfoundry.jsonl:3"), e.getMessage());
        Files.writeString(dir.resolve("boolq/boolq_dev_llmfoundry.jsonl"), "{\"query\": \"q\", \"choices\": [\"no\",\n");
        e = assertThrows(IllegalArgumentException.class, () -> new BoolQ().docs(dir));
        assertTrue(e.getMessage().contains(":1: invalid JSON"), e.getMessage());
        Files.createDirectories(dir.resolve("hellaswag"));
        Files.writeString(dir.resolve("hellaswag/hellaswag_val_full.txt"), "ctx\nx\na\nb\nc\nd\n");
        e = assertThrows(IllegalArgumentException.class, () -> new HellaSwag().docs(dir));
        assertTrue(e.getMessage().contains("hellaswag_val_full.txt:2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Piqa().docs(dir));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }
}
