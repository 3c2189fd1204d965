/**
 * Model families as values: the registry that recognises a checkpoint ({@link
 * painters.model.family.ModelFamilies}), what every caller needs from a loaded model ({@link
 * painters.model.family.LoadedModel}) and the capability its readout names ({@link painters.model.family.CausalLm},
 * {@link painters.model.family.SentenceEncoder}), with the graphs they hand out. One package per family implements
 * them; callers outside {@code model/} use only these (FamilyBoundaryTest) and never ask which family they hold.
 */
package painters.model.family;
