/**
 * Hugging Face {@code config.json} as typed values ({@link painters.model.hf.HfJson}). Knows no model
 * family: each family maps the keys and checkpoint tensor names it reads in its own package
 * ({@code bert.BertHfConfig}, {@code bert.BertTensors}, {@code llama.LlamaHfConfig},
 * {@code llama.DecoderTensors}).
 */
package painters.model.hf;
