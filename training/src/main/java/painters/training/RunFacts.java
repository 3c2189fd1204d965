package painters.training;

import java.util.LinkedHashMap;
import java.util.Map;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;

/**
 * What a fine-tuning run is, written into its checkpoints so that its weights can be read without the command that
 * made them ({@code painters export --checkpoint}): the model (id, checksum, family), the plan, the policy (LoRA's
 * rank and alpha with it) and whether repeats were untied.
 */
public final class RunFacts {

    public static final String MODEL = "model";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String FAMILY = "family";
    public static final String PLAN = "plan";
    public static final String POLICY = "policy";
    public static final String UNTIE = "untie";

    private RunFacts() {}

    /** The facts of fine-tuning {@code model} run as {@code plan} with {@code cfg}. */
    public static Map<String, String> of(LoadedModel model, LayerPlan plan, FineTuneConfig cfg) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MODEL, model.id());
        m.put(MODEL_SHA256, model.sha256());
        m.put(FAMILY, model.family());
        m.put(PLAN, plan.print());
        m.put(POLICY, cfg.policy().print());
        m.put(UNTIE, Boolean.toString(cfg.untie()));
        return m;
    }
}
