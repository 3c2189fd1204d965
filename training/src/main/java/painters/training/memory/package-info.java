/**
 * Memory plans: what a workload (frozen evaluation, fine-tuning under an unfreeze policy, generation) of a
 * model under a layer plan needs, from the model's configuration alone, component by component, against a
 * device's memory. {@link painters.training.memory.MemoryPlanner} computes a
 * {@link painters.training.memory.MemoryEstimate} for a {@link painters.training.memory.MemoryRequest}.
 */
package painters.training.memory;
