/**
 * The pretrained transformer, rebuilt in SameDiff.
 *
 * <p>Sub-packages: {@code hf} (Hugging Face config keys and tensor names, mapped in one place),
 * {@code weights} (checkpoint readers that all yield a map of HF tensor names to arrays),
 * {@code tokenizer} ({@code tokenizer.json} through DJL's HF tokenizers) and one package per model
 * family ({@code bert}). Blocks are addressable by index so a layer plan can run them in any order.
 */
package painters.model;
