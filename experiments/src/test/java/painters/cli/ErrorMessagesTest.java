package painters.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one line naming the file, key or flag (exit 2), never a stack trace. */
class ErrorMessagesTest {

    static void oneLine(CliTest.Run r, String... expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().lines().filter(l -> l.startsWith("painters: ")).findFirst().orElse(r.err());
        for (String e : expected) {
            assertTrue(err.contains(e), "expected \"" + e + "\" in: " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no stack trace: " + r.err());
    }

    @Test
    void studyFilesAndFoldersAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        oneLine(CliTest.run("study", missing.toString()), missing.toString(), "not found");
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"name\": \"j\"} trailing words");
        oneLine(CliTest.run("study", junk.toString()), junk.toString(), "text after the study's JSON");
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "{\"name\": \"ok\"}");
        oneLine(CliTest.run("study", ok.toString(), "--seeds=ten"), "\"seeds\" must be an integer");
        Path twice = dir.resolve("twice.json");
        Files.writeString(twice, "{\"name\": \"a\",\n \"splits\": [1], \"name\": \"b\"}");
        oneLine(CliTest.run("study", twice.toString()), twice.toString(), "key \"name\" is given twice", "line 2");
        Path nested = dir.resolve("nested.json");
        Files.writeString(nested, "{\"name\": \"a\", \"finetune\": {\"steps\": 1, \"steps\": 2}}");
        oneLine(CliTest.run("study", nested.toString()), "key \"finetune.steps\" is given twice");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "\n");
        oneLine(CliTest.run("study", empty.toString()), empty.toString(), "the file is empty");
        Path nul = dir.resolve("null.json");
        Files.writeString(nul, "{\"name\": null}");
        oneLine(CliTest.run("study", nul.toString()), nul.toString(), "\"name\" must be a string, got null");
        Path obj = dir.resolve("obj.json");
        Files.writeString(obj, "{\"name\": \"x\", \"tasks\": {}}");
        oneLine(CliTest.run("study", obj.toString()), obj.toString(), "\"tasks\" must be a list");
        Path file = dir.resolve("results-is-a-file");
        Files.writeString(file, "x");
        oneLine(CliTest.run("study", ok.toString(), "--results", file.toString()), file.toString(),
                "exists and is not a folder");
    }

    @Test
    void fineTuningSettingsNameTheFlagAndTheRule() {
        oneLine(CliTest.run("finetune", "--task", "wn-lexname", "--steps", "0"), "steps (--steps, finetune.steps)",
                "at least 1, got 0");
        oneLine(CliTest.run("finetune", "--task", "wn-lexname", "--lr", "-1e-4"), "learning rate (--lr",
                "> 0 and finite, got -1.0E-4");
        oneLine(CliTest.run("finetune", "--task", "wn-lexname", "--weight-decay", "-1"), "weight decay (--weight-decay",
                ">= 0");
    }

    @Test
    void textFilesAndFlagsAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("texts.txt");
        oneLine(CliTest.run("embed", "--file", missing.toString()), missing.toString(), "not found");
        Path binary = dir.resolve("binary.txt");
        Files.write(binary, new byte[] {'o', 'k', '\n', 'b', 'a', (byte) 0xff, 'd', '\n'});
        oneLine(CliTest.run("embed", "--file", binary.toString()), binary + ":2:3 (byte 0xff)", "not valid UTF-8");
        oneLine(CliTest.run("analyze", "--texts", "0"), "--texts");
        oneLine(CliTest.run("analyze", "--angular-token", "foo"), "--angular-token must be last or mean, got foo");
        oneLine(CliTest.run("embed", "--plan", "0-11x1000000"), "12,000,000 block applications", "limit of 10,000");
    }

    @Test
    void anInvalidByteInADataRowNamesItsLine(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("d.tsv"), "good sentence\t0\nanother one\t1\n".concat("bad \u0000").getBytes());
        byte[] bytes = Files.readAllBytes(dir.resolve("d.tsv"));
        bytes[bytes.length - 1] = (byte) 0xc3;          // a lead byte with nothing after it, on line 3
        Files.write(dir.resolve("d.tsv"), bytes);
        Path spec = dir.resolve("t.json");
        Files.writeString(spec, "{\"name\":\"t\",\"version\":1,\"kind\":\"classification\",\"format\":\"tsv\","
                + "\"splits\":{\"dev\":\"d.tsv\"},\"text\":[\"0\"],\"label\":\"1\",\"labels\":[\"0\",\"1\"],"
                + "\"metrics\":[\"accuracy\"],\"chance\":0.5}");
        oneLine(CliTest.run("eval", "--tasks", spec.toString()), dir.resolve("d.tsv") + ":3:5", "not valid UTF-8");
    }
}
