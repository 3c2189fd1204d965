package painters.study.finetune;

import painters.study.KindSettings;

/** The settings of a kind that fine-tunes every plan (recovery, and each run of a sweep): its {@code finetune} section. */
public interface FineTuning extends KindSettings {

    /** The fine-tuning settings (a sweep's base settings, before its swept values). */
    RecoverySettings finetune();

    @Override
    default String fineTuneData() {
        return finetune().data();
    }

    @Override
    default double heldOut() {
        return finetune().heldOut();
    }
}
