package painters.study.sweep;

import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.study.KindRegistration;
import painters.study.StudyKinds.Kind;
import painters.study.finetune.RecoverySettings;
import painters.sweep.SweepSpec;

/** Registers the sweep: the kind of a spec with {@code finetune} and {@code sweep} sections. */
public final class SweepRegistration implements KindRegistration {

    @Override
    public Kind kind() {
        return new Kind("sweep", "a sweep of recovery runs", List.of("finetune", "sweep"),
                Map.of("finetune", RecoverySettings.DEFAULTS), SweepSettings.class,
                (s, src) -> new SweepSettings(RecoverySettings.of(s.get("finetune"), src),
                        SweepSpec.of(s.get("sweep"), src)),
                k -> {
                    Map<String, JsonElement> m = new LinkedHashMap<>();
                    m.put("finetune", ((SweepSettings) k).finetune().toSpecJson());
                    m.put("sweep", ((SweepSettings) k).sweep().json());
                    return m;
                },
                k -> {
                    Map<String, String> id = ((SweepSettings) k).finetune().identity();
                    id.put("sweep", ((SweepSettings) k).sweep().json().toString());
                    return id;
                }, SweepKind::new);
    }
}
