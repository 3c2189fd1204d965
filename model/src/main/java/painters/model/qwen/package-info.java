/** Qwen2, Qwen2.5 and Qwen3 decoders: a config mapping onto the shared dense decoder ({@code painters.model.decoder}). */
package painters.model.qwen;
