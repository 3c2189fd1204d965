package painters.study.recovery;

import java.util.List;
import java.util.Map;
import painters.study.KindRegistration;
import painters.study.StudyKinds.Kind;
import painters.study.finetune.RecoverySettings;

/** Registers recovery: the kind of a spec with a {@code finetune} section alone. */
public final class RecoveryRegistration implements KindRegistration {

    @Override
    public Kind kind() {
        return new Kind("recovery", "fine-tuning every plan", List.of("finetune"),
                Map.of("finetune", RecoverySettings.DEFAULTS), RecoverySettings.class,
                (s, src) -> RecoverySettings.of(s.get("finetune"), src),
                k -> Map.of("finetune", ((RecoverySettings) k).toSpecJson()),
                k -> ((RecoverySettings) k).identity(), RecoveryKind::new);
    }
}
