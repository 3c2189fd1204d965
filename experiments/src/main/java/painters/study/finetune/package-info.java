/**
 * The {@code finetune} section that recovery and the sweep share: its settings, its identity lines, and the rows of a
 * fine-tuning curve.
 */
package painters.study.finetune;
