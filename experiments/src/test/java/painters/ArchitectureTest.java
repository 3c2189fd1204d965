package painters;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import painters.study.CoreNamingAKind;
import painters.study.KindRegistration;
import painters.study.StudyKinds;
import painters.study.recovery.KindNamingSweep;
import painters.study.recovery.RecoveryRegistration;
import painters.study.sweep.KindNamingAnotherKind;

/**
 * The study packages' rules, checked on the compiled classes (ArchUnit): the core of {@code painters.study} (spec,
 * registry, runner, engines, the plans of a spec) names no kind; a kind's package ({@code grid}, {@code recovery},
 * {@code sweep}, {@code search}, {@code router}) reads no other kind's classes, only the shared fine-tuning vocabulary
 * ({@code finetune}) and figures ({@code figures}); the study packages form no cycle; every kind package is registered;
 * nothing but the CLI names the CLI. The first three rules are also run on test fixtures that break them (negative
 * controls: a core class naming a kind's registration, a sweep class naming recovery's, and a recovery class naming
 * that sweep class back).
 */
class ArchitectureTest {

    static final List<String> KINDS = List.of("grid", "recovery", "sweep", "search", "router");
    static final List<String> SHARED = List.of("finetune", "figures");

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("painters");

    static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(CoreNamingAKind.class,
            KindNamingAnotherKind.class, KindNamingSweep.class, RecoveryRegistration.class);

    static ArchRule coreNamesNoKind() {
        List<String> sub = new ArrayList<>();
        KINDS.forEach(k -> sub.add("painters.study." + k + ".."));
        SHARED.forEach(k -> sub.add("painters.study." + k + ".."));
        return noClasses().that().resideInAPackage("painters.study").should().dependOnClassesThat()
                .resideInAnyPackage(sub.toArray(String[]::new))
                .because("the core registers kinds through META-INF/services/painters.study.KindRegistration");
    }

    static List<ArchRule> kindsReadNoOtherKind() {
        List<ArchRule> rules = new ArrayList<>();
        for (String k : KINDS) {
            String[] others = KINDS.stream().filter(o -> !o.equals(k)).map(o -> "painters.study." + o + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage("painters.study." + k + "..").should().dependOnClassesThat()
                    .resideInAnyPackage(others).because("a kind's outputs read its own vocabulary").allowEmptyShould(true));
        }
        return rules;
    }

    @Test
    void theStudyCoreNamesNoKind() {
        assertTrue(MAIN.contain(StudyKinds.class), "the main classes were imported");
        coreNamesNoKind().check(MAIN);
        assertTrue(coreNamesNoKind().evaluate(FIXTURES).hasViolation(), "negative control: a core class naming GridKind");
    }

    @Test
    void noKindReadsAnotherKindsClasses() {
        kindsReadNoOtherKind().forEach(r -> r.check(MAIN));
        assertTrue(kindsReadNoOtherKind().stream().anyMatch(r -> r.evaluate(FIXTURES).hasViolation()),
                "negative control: a sweep class naming RecoveryKind");
    }

    @Test
    void theStudyPackagesFormNoCycle() {
        slices().matching("painters.(*)..").should().beFreeOfCycles().check(MAIN.that(
                DescribedPredicate.describe("outside the CLI",
                        c -> !c.getPackageName().startsWith("painters.cli"))));
        slices().matching("painters.study.(*)..").should().beFreeOfCycles().check(MAIN);
        assertTrue(slices().matching("painters.study.(*)..").should().beFreeOfCycles().evaluate(FIXTURES).hasViolation(),
                "negative control: sweep and recovery fixtures naming each other");
    }

    @Test
    void nothingButTheCliNamesTheCli() {
        noClasses().that().resideOutsideOfPackage("painters.cli..").should().dependOnClassesThat()
                .resideInAPackage("painters.cli..").check(MAIN);
    }

    /** Every kind package has exactly one registration, listed in the services file; the services file names no other. */
    @Test
    void everyKindPackageIsRegistered() throws IOException {
        Path services = Path.of("src/main/resources/META-INF/services/painters.study.KindRegistration");
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(services)) {
            if (!line.isBlank()) {
                listed.add(line.trim());
            }
        }
        Set<String> found = new TreeSet<>();
        MAIN.stream().filter(c -> c.isAssignableTo(KindRegistration.class) && !c.isInterface())
                .forEach(c -> found.add(c.getName()));
        assertEquals(found, listed, services + " lists every registration and nothing else");
        Set<String> packages = new TreeSet<>();
        found.forEach(n -> packages.add(n.substring("painters.study.".length(), n.lastIndexOf('.'))));
        assertEquals(new TreeSet<>(KINDS), packages, "one registration per kind package");
        assertFalse(listed.isEmpty());
    }
}
