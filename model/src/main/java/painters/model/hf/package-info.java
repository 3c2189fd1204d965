/**
 * The one place where Hugging Face names are known: {@code config.json} keys ({@link
 * painters.model.hf.HfConfigKeys}) and checkpoint tensor-name variants ({@link
 * painters.model.hf.BertTensorNames}).
 */
package painters.model.hf;
