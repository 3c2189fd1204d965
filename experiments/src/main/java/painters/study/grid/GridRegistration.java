package painters.study.grid;

import java.util.List;
import java.util.Map;
import painters.study.KindRegistration;
import painters.study.StudyKinds.Kind;

/** Registers the frozen grid: the kind of a spec with no kind section. */
public final class GridRegistration implements KindRegistration {

    @Override
    public Kind kind() {
        return new Kind("grid", "the frozen grid", List.of(), Map.of(), GridSettings.class,
                (s, src) -> GridSettings.INSTANCE, k -> Map.of(), k -> Map.of(), GridKind::new);
    }
}
