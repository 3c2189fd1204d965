/**
 * Unfreezing: fine-tuning of models built from layer plans and their recovery curves. Filled by the
 * unfreezing work.
 */
package painters.training;
