package painters.study.router;

import java.util.List;
import java.util.Map;
import painters.study.KindRegistration;
import painters.study.StudyKinds.Kind;

/** Registers routers over frozen plans: the kind of a spec with a {@code router} section. */
public final class RouterRegistration implements KindRegistration {

    @Override
    public Kind kind() {
        return new Kind("router", "routers over frozen plans", List.of("router"),
                Map.of("router", RouterSettings.DEFAULTS), RouterSettings.class,
                (s, src) -> RouterSettings.of(s.get("router"), src),
                k -> Map.of("router", ((RouterSettings) k).toJson()),
                k -> Map.of("router", ((RouterSettings) k).toJson().toString()), RouterKind::new);
    }
}
