/** Llama-family decoders (Llama 1-3, Mistral): their config mapping and llama2.c checkpoints, onto the shared dense decoder ({@code painters.model.decoder}). */
package painters.model.llama;
