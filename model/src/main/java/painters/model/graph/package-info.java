/**
 * SameDiff graphs of any model family: the plan interpreter ({@link painters.model.graph.PlanGraph})
 * over the blocks a family provides ({@link painters.model.graph.BlockStack}), the pretrained tensors
 * as graph variables with untied copies and weight transforms such as LoRA
 * ({@link painters.model.graph.GraphWeights}), frozen inference graphs that share the pretrained
 * arrays ({@link painters.model.graph.FrozenGraphs}), and graphs with a loss in which some variables
 * train ({@link painters.model.graph.TrainingGraph}).
 */
package painters.model.graph;
