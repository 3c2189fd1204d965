package painters.study;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import painters.model.UserInputException;
import painters.subject.Subject;

/**
 * The registry of study kinds: each kind names the spec sections that select it (none for the frozen grid), reads
 * them into its {@link KindSettings}, writes them back, gives the identity lines a resumed run must match, and makes
 * its {@link StudyKind}. The spec reader ({@link StudySpecs}) and the runner ({@link StudyRunner}) ask this registry and
 * hold no line of their own per kind; adding a kind is its package and one line naming its {@link KindRegistration}
 * in {@code META-INF/services/painters.study.KindRegistration} (or a {@link #register} call, as a test does).
 */
public final class StudyKinds {

    /**
     * One kind.
     *
     * @param name        as logs and errors name it
     * @param what        what the kind does, in a few words (errors list the kinds with it)
     * @param sections    the spec's nested objects that select it, all of them present and no other kind's
     * @param overridable each section that {@code --SECTION.KEY=value} reaches, with its keys' defaults
     * @param type        its settings' class
     * @param read        its settings from its sections (each one a JSON object)
     * @param json        its sections as the resolved spec writes them
     * @param identity    the lines of the run identity its settings add ({@link StudyRunner#identity})
     * @param factory     the kind of a spec and its loaded subject
     */
    public record Kind(String name, String what, List<String> sections, Map<String, Map<String, JsonElement>> overridable,
                       Class<? extends KindSettings> type, Reader read,
                       Function<KindSettings, Map<String, JsonElement>> json,
                       Function<KindSettings, Map<String, String>> identity, Factory factory) {

        public Kind {
            sections = List.copyOf(sections);
            overridable = Map.copyOf(overridable);
        }
    }

    /** Reads a kind's settings from its sections, by name; {@code source} names the file for errors. */
    public interface Reader {
        KindSettings read(Map<String, JsonObject> sections, String source);
    }

    /** Makes a kind's study for a spec and its loaded subject. */
    public interface Factory {
        StudyKind create(StudySpec spec, Subject subject);
    }

    private static final List<Kind> KINDS = new CopyOnWriteArrayList<>();

    static {
        for (KindRegistration r : ServiceLoader.load(KindRegistration.class, StudyKinds.class.getClassLoader())) {
            register(r.kind());
        }
    }

    private StudyKinds() {}

    /** Adds a kind; its sections must not select another kind already registered. */
    public static void register(Kind kind) {
        for (Kind k : KINDS) {
            if (k.name().equals(kind.name()) || Set.copyOf(k.sections()).equals(Set.copyOf(kind.sections()))
                    || k.type().equals(kind.type())) {
                throw new IllegalStateException("kind " + kind.name() + " clashes with " + k.name());
            }
        }
        KINDS.add(kind);
    }

    /** Removes a kind registered by {@link #register} (a test's toy kind, so that later tests see the built-in ones). */
    static void unregister(String name) {
        KINDS.removeIf(k -> k.name().equals(name));
    }

    /** Every section key any kind reads, in registration order. */
    static List<String> sectionKeys() {
        Set<String> keys = new LinkedHashSet<>();
        KINDS.forEach(k -> keys.addAll(k.sections()));
        return List.copyOf(keys);
    }

    /** The sections {@code --SECTION.KEY=value} reaches, with their keys' defaults. */
    static Map<String, Map<String, JsonElement>> overridable() {
        Map<String, Map<String, JsonElement>> out = new LinkedHashMap<>();
        KINDS.forEach(k -> out.putAll(k.overridable()));
        return out;
    }

    /** The kind the given sections select, its settings read from them; a one-line error for any other set. */
    static KindSettings read(Map<String, JsonObject> present, String source) {
        for (Kind k : KINDS) {
            if (Set.copyOf(k.sections()).equals(present.keySet())) {
                return k.read().read(present, source);
            }
        }
        List<String> kinds = new ArrayList<>();
        for (Kind k : KINDS) {
            kinds.add(k.sections().isEmpty() ? "none (" + k.what() + ")" : String.join(" and ", k.sections().stream()
                    .map(x -> "\"" + x + "\"").toList()) + " (" + k.what() + ")");
        }
        throw new UserInputException(source + ": " + present.keySet().stream().map(x -> "\"" + x + "\"").toList()
                + " do not make one kind of study; give " + String.join(", ", kinds));
    }

    /** The registered kind of these settings. */
    static Kind of(KindSettings settings) {
        return KINDS.stream().filter(k -> k.type().isInstance(settings)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kind registered for " + settings.getClass()));
    }

    /** Every section key, with these settings' sections filled and the others null (the resolved spec). */
    static Map<String, JsonElement> json(KindSettings settings) {
        Map<String, JsonElement> out = new LinkedHashMap<>();
        sectionKeys().forEach(k -> out.put(k, JsonNull.INSTANCE));
        out.putAll(of(settings).json().apply(settings));
        return out;
    }

    /** The identity lines these settings add. */
    static Map<String, String> identity(KindSettings settings) {
        return of(settings).identity().apply(settings);
    }

    /** The study a spec asks for, on its loaded subject. */
    static StudyKind create(StudySpec spec, Subject subject) {
        return of(spec.kind()).factory().create(spec, subject);
    }
}
