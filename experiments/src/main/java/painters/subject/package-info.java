/**
 * A loaded model with the protocol its readout calls for: how a plan is scored on tasks and how a
 * modified model is fine-tuned (the paper's frozen heads and zero-shot similarity for sentence
 * features, lm-eval-style tasks and causal-LM fine-tuning for next-token models). {@link
 * painters.subject.Subjects} is the one place that chooses the protocol, from the model's
 * {@link painters.model.family.Readout}; studies and commands use {@link painters.subject.Subject}
 * alone.
 */
package painters.subject;
