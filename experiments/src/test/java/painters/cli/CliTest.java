package painters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.weights.DType;
import painters.model.weights.Safetensors;
import painters.model.weights.SafetensorsWriter;
import painters.model.weights.TensorMap;

/** The commands a user runs, end to end, on the default model's files written to disk. */
class CliTest {

    @TempDir
    static Path dir;
    static Path onnxDir;
    static Path hfDir;

    /** Output of one command and its exit code. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @BeforeAll
    static void writeFiles() throws Exception {
        onnxDir = Files.createDirectories(dir.resolve("onnx"));
        for (String[] r : new String[][] {{"/bge-small-en-v1.5.onnx", "model.onnx"},
                {"/bge-small-en-v1.5-tokenizer.json", "tokenizer.json"}}) {
            try (InputStream in = CliTest.class.getResourceAsStream(r[0])) {
                Files.copy(in, onnxDir.resolve(r[1]));
            }
        }
        hfDir = dir.resolve("hf");
        Run c = run("convert", "--out", hfDir.toString());
        assertEquals(0, c.code(), c.err());
    }

    @Test
    void convertWritesAHfDirectory() {
        assertTrue(Files.isRegularFile(hfDir.resolve("config.json")));
        assertTrue(Files.isRegularFile(hfDir.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(hfDir.resolve("tokenizer.json")));
    }

    @Test
    void verifyPassesOnTheExportAndItsSafetensorsTwin() {
        Run r = run("verify", "--onnx", onnxDir.resolve("model.onnx").toString(), "--hf", hfDir.toString());
        System.out.println(r.out());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("last_hidden_state") && r.out().strip().endsWith("PASS"), r.out());
        // states: embeddings, layer 0 out .. layer 10 out, then last_hidden_state (layer 11's output)
        assertTrue(r.out().contains("layer 10 out") && !r.out().contains("layer 11 out"), r.out());
    }

    @Test
    void verifyFailsWhenOneWeightIsWrong() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        TensorMap t = Safetensors.read(hfDir);
        Map<String, INDArray> m = new LinkedHashMap<>(t.tensors());
        m.put("encoder.layer.5.attention.self.query.bias", m.get("encoder.layer.5.attention.self.query.bias").add(0.05));
        SafetensorsWriter.write(bad.resolve("model.safetensors"), m, DType.F32, Map.of());
        Files.copy(hfDir.resolve("config.json"), bad.resolve("config.json"));
        Run r = run("verify", "--onnx", onnxDir.resolve("model.onnx").toString(), "--hf", bad.toString());
        assertEquals(1, r.code(), r.out());
        String badPart = r.out().substring(r.out().lastIndexOf("weights from " + bad));
        assertTrue(badPart.contains("layer 4 out") && !badPart.split("layer 4 out")[1].split("\n")[0].contains("FAIL"),
                "layers before the corrupted one still agree:\n" + badPart);
        assertTrue(badPart.split("layer 5 out")[1].split("\n")[0].contains("FAIL"), badPart);
        assertTrue(r.out().strip().endsWith("FAIL"));
    }

    @Test
    void verifyNamesAFileThatIsNotOnnx() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        Files.copy(onnxDir.resolve("tokenizer.json"), dir.resolve("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Run r = run("verify", "--onnx", junk.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(junk.toString()), r.err());
    }

    @Test
    void embedRanksRelatedSentencesAboveUnrelatedOnes() {
        Run r = run("embed", "The cat sat on the mat.", "A cat was sitting on a rug.", "Stock markets fell sharply today.");
        assertEquals(0, r.code(), r.err());
        String[] rows = r.out().substring(r.out().indexOf("cosine similarity")).split("\n");
        String[] row0 = rows[2].trim().split("\\s+");
        double related = Double.parseDouble(row0[2]);
        double unrelated = Double.parseDouble(row0[3]);
        assertTrue(related > unrelated + 0.1, "cat/cat " + related + " vs cat/stocks " + unrelated);
        assertTrue(r.out().contains("|e|=1.0000"), "BGE embeddings are L2-normalised");
    }

    @Test
    void helpPrintsTheDataPlaceholderAndBenchListsItsSubcommands() {
        for (String cmd : new String[] {"eval", "finetune"}) {
            Run r = run("help", cmd);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("${data}") && !r.out().contains("for null"), r.out());
        }
        Run b = run("bench");
        assertEquals(0, b.code(), b.err());
        for (String sub : new String[] {"forward", "train", "grid", "decoder"}) {
            assertTrue(b.out().contains(sub), b.out());
        }
        Run g = run("generate");
        assertEquals(2, g.code());
        assertTrue(g.err().contains("generate needs a model with a next-token readout"), g.err());
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        Run r = run("embed", "--no-such-flag");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-flag"), r.err());
    }

    @Test
    void analyzeWritesTheHeatmapAndTables() throws Exception {
        Path out = dir.resolve("analysis");
        Run r = run("analyze", "--texts", "24", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("cossim.csv"));
        assertEquals(14, csv.size(), "header + 13 states (T+1) for BGE-small");
        double[][] m = new double[13][13];
        for (int i = 0; i < 13; i++) {
            String[] f = csv.get(i + 1).split(",");
            for (int j = 0; j < 13; j++) {
                m[i][j] = Double.parseDouble(f[j + 1]);
            }
            assertEquals(1.0, m[i][i], 1e-5);
        }
        // the paper's claim 1 on BGE-small: middle states are mutually closer than the first is to the output
        double middle = (m[4][5] + m[5][6] + m[6][7] + m[4][6] + m[5][7]) / 5;
        assertTrue(middle > 0.8 && m[0][12] < 0.4, "middle " + middle + ", first vs out " + m[0][12]);
        byte[] png = Files.readAllBytes(out.resolve("cossim.png"));
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        assertEquals(13, Files.readAllLines(out.resolve("block_influence.csv")).size(), "header + 12 blocks");
        assertEquals(1 + 13 * 12 / 2, Files.readAllLines(out.resolve("angular_distance.csv")).size());
    }

    @Test
    void embedRunsAPlanGivenAsTextOrAsAVariant() {
        Run text = run("embed", "--plan", "0-4,P(5-7)x3,8-11", "A sentence.");
        Run variant = run("embed", "--variant", "looped-parallel", "--split", "4", "A sentence.");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("plan       0-4,P(5-7)x3,8-11 (depth 12, 18 block applications)"), text.out());
        String a = text.out().substring(text.out().indexOf("[0]"));
        String b = variant.out().substring(variant.out().indexOf("[0]"));
        assertEquals(a.split("\\|e\\|")[0], b.split("\\|e\\|")[0], "the same plan gives the same embedding");
        Run full = run("embed", "A sentence.");
        assertTrue(!full.out().substring(full.out().indexOf("[0]")).split("\\|e\\|")[0].equals(a.split("\\|e\\|")[0]),
                "a modified plan changes the embedding");
    }

    @Test
    void badPlanOptionsAreUsageErrors() {
        Run bad = run("embed", "--plan", "0-5,P(6-14)x3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("block 14 is outside 0..11") && bad.err().contains("^"), bad.err());
        Run both = run("embed", "--plan", "0-11", "--variant", "skip", "--split", "2");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("choose one of"), both.err());
        Run noSplit = run("embed", "--variant", "reverse");
        assertEquals(2, noSplit.code());
        assertTrue(noSplit.err().contains("--split"), noSplit.err());
        Run badSplit = run("embed", "--variant", "reverse", "--split", "6");
        assertEquals(2, badSplit.code());
        assertTrue(badSplit.err().contains("valid: 0..5"), badSplit.err());
    }

    @Test
    void evalScoresTheEmbeddedSuiteAndNormalisesAModifiedPlan() {
        Run r = run("eval", "--tasks", "wn-lexname", "--variant", "skip", "--split", "1");
        assertEquals(0, r.code(), r.err());
        String row = r.out().lines().filter(l -> l.startsWith("wn-lexname")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");   // task metric n full score normalised protocol...
        double full = Double.parseDouble(f[3]);
        double skipped = Double.parseDouble(f[4]);
        double normalised = Double.parseDouble(f[5]);
        assertTrue(full > 0.6, "full BGE-small on wn-lexname (chance 0.1): " + full);
        assertTrue(skipped < full, "skipping 9 of 12 blocks must cost accuracy: " + skipped + " vs " + full);
        assertEquals((skipped - 0.1) / (full - 0.1), normalised, 1e-3);
        assertTrue(r.out().contains("median"), r.out());
    }
}
