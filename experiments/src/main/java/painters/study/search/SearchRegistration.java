package painters.study.search;

import java.util.List;
import java.util.Map;
import painters.study.KindRegistration;
import painters.study.StudyKinds.Kind;

/** Registers the plan search: the kind of a spec with a {@code search} section. */
public final class SearchRegistration implements KindRegistration {

    @Override
    public Kind kind() {
        return new Kind("search", "a plan search over frozen plans", List.of("search"),
                Map.of("search", SearchSettings.DEFAULTS), SearchSettings.class,
                (s, src) -> SearchSettings.of(s.get("search"), src),
                k -> Map.of("search", ((SearchSettings) k).toJson()),
                k -> Map.of("search", ((SearchSettings) k).toJson().toString()), SearchKind::new);
    }
}
