package painters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Callers outside {@code model/} use family capabilities ({@code painters.model.family}: causal LM, sentence encoder,
 * ONNX exports) and the family-neutral packages, never a family's package: no main source of another module names
 * {@code painters.model.X} for a package X other than the neutral ones, in an import or fully qualified. A new family
 * package is therefore out of bounds without being listed here.
 */
class FamilyBoundaryTest {

    /** The packages of model/ that belong to no family. */
    static final Set<String> NEUTRAL = Set.of("family", "graph", "plan", "repair", "tokenizer", "weights", "hf", "io");

    /** {@code painters.model.<lower-case package>.} as code names it (a top-level class such as Backend is not a package). */
    static final Pattern MODEL_PACKAGE = Pattern.compile("\\bpainters\\.model\\.([a-z][a-z0-9_]*)\\.");

    static final Path ROOT = Path.of("..");

    @Test
    void noModuleOutsideModelNamesAFamilyPackage() throws IOException {
        List<Path> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")) && !d.getFileName().toString().equals("model"))
                    .sorted().forEach(modules::add);
        }
        assertTrue(modules.stream().anyMatch(m -> m.getFileName().toString().equals("experiments")),
                "run from a module folder beside the others: " + ROOT.toAbsolutePath());
        assertTrue(modules.size() >= 4, "expected eval, training, experiments, distributed: " + modules);
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path module : modules) {
            try (Stream<Path> src = Files.walk(module.resolve("src/main/java"))) {
                for (Path f : src.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        for (String pkg : familyPackagesNamed(lines.get(i))) {
                            violations.add(ROOT.relativize(f) + ":" + (i + 1) + " names painters.model." + pkg);
                        }
                    }
                }
            }
        }
        assertTrue(files > 100, "scanned only " + files + " files");
        assertEquals(List.of(), violations, "callers outside model/ must use painters.model.family capabilities");
    }

    /** Every registered family lives in a package of its own, which the rule above keeps out of bounds. */
    @Test
    void everyRegisteredFamilyIsInAPackageTheRuleForbids() throws IOException {
        Path services = ROOT.resolve("model/src/main/resources/META-INF/services/painters.model.family.ModelFamily");
        Set<String> packages = new TreeSet<>();
        for (String line : Files.readAllLines(services)) {
            Matcher m = Pattern.compile("^painters\\.model\\.([a-z0-9_]+)\\.[A-Z]\\w*$").matcher(line.trim());
            if (!line.isBlank()) {
                assertTrue(m.matches(), services + ": " + line);
                packages.add(m.group(1));
            }
        }
        assertTrue(packages.size() >= 8, "families registered: " + packages);
        for (String p : packages) {
            assertFalse(NEUTRAL.contains(p), "family package " + p + " is listed as neutral");
            assertEquals(List.of(p), familyPackagesNamed("import painters.model." + p + ".SomeType;"));
        }
    }

    /** Negative control: the scanner sees imports, qualified names and new families, and passes the neutral packages. */
    @Test
    void theScannerDetectsWhatItMust() {
        assertEquals(List.of("bert"), familyPackagesNamed("import painters.model.bert.BertModel;"));
        assertEquals(List.of("decoder"), familyPackagesNamed("    var g = painters.model.decoder.DecoderGraph.of(w);"));
        assertEquals(List.of("mamba"), familyPackagesNamed("import static painters.model.mamba.Ssm.scan;"));
        assertEquals(List.of(), familyPackagesNamed("import painters.model.family.CausalLm;"));
        assertEquals(List.of(), familyPackagesNamed("painters.model.Backend.setThreads(2);"));
        assertEquals(List.of(), familyPackagesNamed("import painters.modelling.bert.X;"));
    }

    static List<String> familyPackagesNamed(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = MODEL_PACKAGE.matcher(line);
        while (m.find()) {
            if (!NEUTRAL.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
