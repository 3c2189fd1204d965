package painters.eval.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import painters.eval.metric.Metric;

class TaskSpecsTest {

    @Test
    void builtInSpecsParse() {
        for (String name : TaskSpecs.BUILT_IN) {
            TaskSpec s = TaskSpecs.load(name, Path.of("/data"));
            assertEquals(name, s.name());
            assertTrue(s.version() >= 1);
            assertTrue(Double.isFinite(s.chance()), name + " needs a chance level");
        }
        TaskSpec mrpc = TaskSpecs.load("mrpc", Path.of("/data"));
        assertEquals("/data/glue/MRPC/dev.tsv", mrpc.splits().get("dev"));
        assertEquals(List.of(Metric.ACCURACY, Metric.F1), mrpc.metrics());
        assertTrue(mrpc.hasTrainSplit());
        assertTrue(!TaskSpecs.load("rte", null).hasTrainSplit());
    }

    @Test
    void unknownKeysAndBadValuesAreErrors(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("t.json");
        Files.writeString(p, "{\"name\":\"t\",\"version\":1,\"kind\":\"classification\",\"format\":\"tsv\","
                + "\"splits\":{\"dev\":\"d.tsv\"},\"text\":[\"0\"],\"label\":\"1\",\"labels\":[\"a\",\"b\"],"
                + "\"metrics\":[\"accuracy\"],\"chance\":0.5,\"lables\":[]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskSpecs.load(p.toString(), null));
        assertTrue(e.getMessage().contains("unknown key \"lables\""), e.getMessage());
        Files.writeString(p, "{\"name\":\"t\",\"version\":1,\"kind\":\"regression\",\"format\":\"tsv\","
                + "\"splits\":{\"dev\":\"d.tsv\"},\"text\":[\"0\"],\"label\":\"1\",\"metrics\":[\"accuracy\"],\"chance\":0}");
        e = assertThrows(IllegalArgumentException.class, () -> TaskSpecs.load(p.toString(), null));
        assertTrue(e.getMessage().contains("accuracy does not fit a regression task"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheSpecFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("t.json");
        Files.writeString(p, "{\"name\":\"t\",\"version\":1,\"kind\":\"classification\",\"format\":\"tsv\","
                + "\"splits\":{\"dev\":\"sub/d.tsv\"},\"text\":[\"0\"],\"label\":\"1\",\"labels\":[\"a\",\"b\"],"
                + "\"metrics\":[\"accuracy\"],\"chance\":0.5}");
        assertEquals(dir.resolve("sub/d.tsv").toString(), TaskSpecs.load(p.toString(), null).splits().get("dev"));
    }

    static TaskSpec spec(String format, boolean header, boolean skip, List<String> text, String label) {
        return new TaskSpec("t", 1, "", TaskKind.CLASSIFICATION, format, Map.of("dev", "x"), "dev", header, text, label,
                List.of("neg", "pos"), List.of(Metric.ACCURACY), 0.5, skip, 5, Map.of());
    }

    static DatasetReader.Split read(TaskSpec s, String content) throws Exception {
        return DatasetReader.read(s, new BufferedReader(new StringReader(content)), "data.tsv");
    }

    @Test
    void tsvWithBomHeaderAndStrayQuotes() throws Exception {
        DatasetReader.Split s = read(spec("tsv", true, false, List.of("a", "b"), "y"),
                "\uFEFFy\ta\tb\npos\t\"Quoted start\tno end\nneg\tx\ty\n");
        assertEquals(2, s.examples().size());
        assertEquals(List.of("\"Quoted start", "no end"), s.examples().get(0).texts());
        assertEquals(1, s.examples().get(0).label());
        assertEquals("data.tsv:3", s.examples().get(1).source());
    }

    @Test
    void malformedRowsNameFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(spec("tsv", false, false, List.of("1"), "0"), "pos\thello\nneg\n"));
        assertTrue(e.getMessage().startsWith("data.tsv:2: expected at least 2 columns, found 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> read(spec("tsv", false, false, List.of("1"), "0"), "pos\thello\nmaybe\tx\n"));
        assertTrue(e.getMessage().startsWith("data.tsv:2: label \"maybe\" is not one of [neg, pos]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> read(spec("tsv", true, false, List.of("text"), "y"), "y\tsentence\npos\tx\n"));
        assertTrue(e.getMessage().contains("header has no column \"text\""), e.getMessage());
    }

    @Test
    void skippedRowsAreCountedAndReported() throws Exception {
        DatasetReader.Split s = read(spec("tsv", false, true, List.of("1"), "0"), "pos\thello\nneg\n\nneg\t \npos\tok\n");
        assertEquals(2, s.examples().size());
        assertEquals(List.of("data.tsv:2: expected at least 2 columns, found 1", "data.tsv:4: empty text"), s.skipped());
    }

    @Test
    void csvAndJsonl() throws Exception {
        DatasetReader.Split c = read(spec("csv", true, false, List.of("text"), "y"), "text,y\n\"a, \"\"b\"\"\",pos\n");
        assertEquals(List.of("a, \"b\""), c.examples().get(0).texts());
        // RFC 4180: a quoted field may hold a newline; errors name the line its record starts on
        DatasetReader.Split m = read(spec("csv", true, false, List.of("text"), "y"),
                "text,y\n\"two\nlines\",pos\n\"one\",neg\n");
        assertEquals(List.of("two\nlines"), m.examples().get(0).texts());
        assertEquals(List.of(1, 0), m.examples().stream().map(Example::label).toList());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> read(spec("csv", true, false, List.of("text"), "y"), "text,y\nfine,pos\n\"two\nlines\",maybe\n"));
        assertTrue(bad.getMessage().startsWith("data.tsv:3: label \"maybe\""), bad.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> read(spec("csv", true, false, List.of("text"), "y"), "text,y\nfine,pos\n\"never closed,neg\n"));
        assertTrue(open.getMessage().startsWith("data.tsv:3: malformed CSV"), open.getMessage());
        DatasetReader.Split j = read(spec("jsonl", false, false, List.of("q"), "y"),
                "{\"q\": \"hi\", \"y\": \"neg\"}\n{\"q\": \"yo\", \"y\": \"pos\"}\n");
        assertEquals(List.of(0, 1), j.examples().stream().map(Example::label).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(spec("jsonl", false, false, List.of("q"), "y"), "{\"q\": \"hi\", \"y\": \"neg\"}\n{oops\n"));
        assertTrue(e.getMessage().startsWith("data.tsv:2: invalid JSON"), e.getMessage());
    }

    @Test
    void glueFilesReadWithTheirPublishedCounts() {
        Path data = SharedData.require();
        Map<String, int[]> expected = Map.of(   // eval rows, train rows (-1: none)
                "sst2", new int[] {872, -1}, "mrpc", new int[] {408, 3668}, "rte", new int[] {277, -1},
                "cola", new int[] {527, 8551}, "stsb", new int[] {1500, 5749});
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            TaskData d = TaskData.load(TaskSpecs.load(e.getKey(), data));
            assertEquals(e.getValue()[0], d.eval().size(), e.getKey() + " eval rows");
            if (e.getValue()[1] < 0) {
                assertNull(d.train());
            } else {
                assertEquals(e.getValue()[1], d.train().size(), e.getKey() + " train rows");
            }
            assertTrue(d.skipped().isEmpty(), e.getKey() + " skipped " + d.skipped());
        }
        // chance levels in the specs are the dev majority-class rates
        for (String t : List.of("sst2", "mrpc", "rte")) {
            TaskData d = TaskData.load(TaskSpecs.load(t, data));
            long ones = d.eval().stream().filter(x -> x.label() == 1).count();
            double majority = Math.max(ones, d.eval().size() - ones) / (double) d.eval().size();
            assertEquals(majority, d.spec().chance(), 1e-4, t);
        }
        TaskData sts = TaskData.load(TaskSpecs.load("stsb", data));
        assertEquals(5.0, sts.eval().get(0).target());
        assertEquals(List.of("A man with a hard hat is dancing.", "A man wearing a hard hat is dancing."),
                sts.eval().get(0).texts());
    }

    @Test
    void dataFolderIsRequiredForDataTasks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskData.load(TaskSpecs.load("sst2", null)));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
    }

    /**
     * Generated tasks are found through their generator's service, so this package names no generator (no import of
     * eval.suite), and the WordNet tasks keep the data checksum their published results carry.
     */
    @Test
    void generatedTasksComeFromAServiceAndKeepTheirChecksum() throws Exception {
        assertEquals("painters.eval.suite.WordNetGenerator", TaskGenerator.of("wordnet").getClass().getName());
        assertNull(TaskGenerator.of("tsv"), "a file format has no generator");
        try (var files = Files.list(Path.of("src/main/java/painters/eval/task"))) {
            for (Path f : files.toList()) {
                assertTrue(!Files.readString(f).contains("painters.eval.suite"), f + " names eval.suite");
            }
        }
        // the default study's published rows carry wn-lexname's data checksum: the same generation, the same checksum
        String row = Files.readAllLines(Path.of(System.getProperty("painters.root", ".."))
                .resolve("results/published/default/results.jsonl")).stream().filter(l -> l.contains("\"task\":\"wn-lexname\""))
                .findFirst().orElseThrow();
        String sha = JsonParser.parseString(row).getAsJsonObject().get("data_sha256").getAsString();
        assertEquals(sha, TaskData.load(TaskSpecs.load("wn-lexname", null)).checksum());
    }
}
