package painters.eval.lm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import painters.eval.lm.task.Arc;
import painters.eval.lm.task.BoolQ;
import painters.eval.lm.task.Gsm8k;
import painters.eval.lm.task.HellaSwag;
import painters.eval.lm.task.Lambada;
import painters.eval.lm.task.Piqa;
import painters.eval.lm.task.Wikitext;
import painters.eval.lm.task.WinoGrande;
import painters.model.UserInputException;

/** The built-in language-model tasks by name (the tasks themselves know nothing of this registry). */
public final class LmTasks {

    private static final Map<String, Supplier<LmTask>> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put("arc-easy", () -> new Arc(false, "Test"));
        TASKS.put("arc-challenge", () -> new Arc(true, "Test"));
        TASKS.put("hellaswag", HellaSwag::new);
        TASKS.put("winogrande", WinoGrande::new);
        TASKS.put("piqa", Piqa::new);
        TASKS.put("boolq", BoolQ::new);
        TASKS.put("lambada", Lambada::new);
        TASKS.put("wikitext2", () -> new Wikitext("test"));
        TASKS.put("gsm8k", () -> new Gsm8k(5, 1234, 256));
    }

    private LmTasks() {}

    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    public static boolean exists(String name) {
        return TASKS.containsKey(name);
    }

    public static LmTask get(String name) {
        Supplier<LmTask> s = TASKS.get(name);
        if (s == null) {
            throw new UserInputException("unknown language-model task \"" + name + "\" (known: " + names() + ")");
        }
        return s.get();
    }
}
