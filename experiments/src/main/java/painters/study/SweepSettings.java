package painters.study;

import painters.sweep.SweepSpec;

/**
 * A sweep of recovery runs: the base fine-tuning settings ({@code finetune}) and what is swept over them
 * ({@code sweep}).
 */
public record SweepSettings(RecoverySettings finetune, SweepSpec sweep) implements KindSettings {

    @Override
    public RecoverySettings fineTuning() {
        return finetune;
    }
}
