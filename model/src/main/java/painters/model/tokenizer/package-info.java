/**
 * Tokenization from a Hugging Face {@code tokenizer.json}, through DJL's binding of the HF
 * {@code tokenizers} library (so ids equal HF's), with padding, truncation, pairs and type ids.
 */
package painters.model.tokenizer;
