package painters.study.sweep;

import painters.study.finetune.FineTuning;
import painters.study.finetune.RecoverySettings;
import painters.sweep.SweepSpec;

/**
 * A sweep of recovery runs: the base fine-tuning settings ({@code finetune}) and what is swept over them
 * ({@code sweep}).
 */
public record SweepSettings(RecoverySettings finetune, SweepSpec sweep) implements FineTuning {}
