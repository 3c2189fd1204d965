/**
 * Model families as values: the registry that recognises a checkpoint ({@link
 * painters.model.family.ModelFamilies}), and what every caller needs from a loaded model ({@link
 * painters.model.family.LoadedModel}). One package per family ({@code bert}, {@code llama}) implements
 * them; callers never ask which family they hold.
 */
package painters.model.family;
