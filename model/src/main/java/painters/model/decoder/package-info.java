/**
 * The dense decoder every decoder family shares: one block ({@link painters.model.decoder.DecoderBlocks}) whose
 * switches come from the family's description ({@link painters.model.decoder.DecoderSpec}, tensor names per role in
 * {@link painters.model.decoder.TensorNames}), the frozen graph under a plan with its KV cache
 * ({@link painters.model.decoder.DecoderGraph}), the trainable graph, batches and greedy generation. A family
 * package holds only its config mapping ({@link painters.model.decoder.HfDecoderFamily}).
 */
package painters.model.decoder;
