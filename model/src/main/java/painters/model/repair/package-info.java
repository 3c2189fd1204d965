/**
 * Training-free repair of a plan that removes blocks: a linear map fitted on calibration inputs (ReplaceMe, Shumaylov
 * et al. 2025) and folded into the model's derived tensors ({@link painters.model.repair.LinearRepair}).
 */
package painters.model.repair;
