/** OLMo 2 decoders: a description of the shared dense decoder ({@code painters.model.decoder}). */
package painters.model.olmo2;
