package painters.study.grid;

import painters.study.KindSettings;

/** The frozen grid: the paper's variants at every split, scored frozen. It has no settings beyond the spec's own. */
public record GridSettings() implements KindSettings {

    static final GridSettings INSTANCE = new GridSettings();
}
