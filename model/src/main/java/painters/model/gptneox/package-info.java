/** GPT-NeoX and Pythia decoders: a config mapping onto the shared dense decoder ({@code painters.model.decoder}). */
package painters.model.gptneox;
