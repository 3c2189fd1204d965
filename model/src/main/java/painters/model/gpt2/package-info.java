/** GPT-2 decoders: a config mapping onto the shared dense decoder ({@code painters.model.decoder}). */
package painters.model.gpt2;
