package painters.cli;

import java.nio.file.Path;
import java.util.List;
import painters.model.UserInputException;
import painters.model.family.LoadedModel;
import painters.model.plan.LayerPlan;
import painters.model.repair.LinearRepair;
import picocli.CommandLine.Option;

/** {@code --repair}: a training-free repair of the plan before it runs (eval, generate). */
final class RepairOptions {

    @Option(names = "--repair", paramLabel = "HOW", description = "Repair the plan without training: linear (ReplaceMe: "
            + "a map on the MLP output of the block before the removed span, fitted by least squares on --repair-data "
            + "and folded into that block's down projection (pre-norm decoders), or a per-channel map after its output "
            + "LayerNorm, folded into that norm (post-norm encoders: BERT); plans that remove one contiguous span). "
            + "Default: none.")
    String how;

    @Option(names = "--repair-data", paramLabel = "FILE", description = "Calibration texts for --repair, one per line: a "
            + "training split or corpus, never the items you score.")
    Path data;

    @Option(names = "--repair-texts", defaultValue = "256", description = "Calibration texts read from --repair-data "
            + "(the first N non-empty lines; default ${DEFAULT-VALUE}).")
    int texts;

    @Option(names = "--repair-ridge", defaultValue = "0", description = "Ridge of the least-squares fit, times the mean "
            + "diagonal of the normal equations (at least 1e-6; default ${DEFAULT-VALUE}).")
    double ridge;

    /** Whether a repair was asked for; its options checked (one-line errors, before anything loads). */
    boolean check() {
        if (how == null || how.equals("none")) {
            if (data != null) {
                throw new UserInputException("--repair-data needs --repair linear");
            }
            return false;
        }
        if (!how.equals("linear")) {
            throw new UserInputException("--repair must be linear or none, got \"" + how + "\"");
        }
        if (data == null) {
            throw new UserInputException("--repair linear needs --repair-data FILE (calibration texts, one per line)");
        }
        if (texts < 1) {
            throw new UserInputException("--repair-texts must be at least 1, got " + texts);
        }
        if (!(ridge >= 0)) {
            throw new UserInputException("--repair-ridge must be >= 0, got " + ridge);
        }
        return true;
    }

    /** The model {@code plan} runs on: {@code model} itself, or repaired for the plan (the repair printed). */
    LoadedModel apply(LoadedModel model, LayerPlan plan, int batchSize, int maxLength) {
        if (!check()) {
            return model;
        }
        List<String> lines = TextFiles.lines(data).stream().filter(l -> !l.isBlank()).limit(texts).toList();
        LinearRepair r = LinearRepair.fit(model, plan, lines, batchSize, maxLength, ridge);
        System.out.println(r.describe() + " (" + data + ")");
        return r.apply(model);
    }
}
