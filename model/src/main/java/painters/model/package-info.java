/**
 * The pretrained transformers, rebuilt in SameDiff.
 *
 * <p>Sub-packages: {@code family} (the registry and the capabilities every caller outside this module uses:
 * {@code LoadedModel}, {@code CausalLm}, {@code SentenceEncoder}), {@code plan} (layer plans as data), {@code graph}
 * (a plan over any family's blocks: frozen and training graphs, untied copies, LoRA), {@code weights} (safetensors
 * and ONNX readers, tensor layouts), {@code hf} (config JSON, the local hub cache), {@code tokenizer}; one package
 * per encoder family ({@code bert}), the dense decoder every decoder family shares ({@code decoder}) and one package
 * per decoder family ({@code llama}, {@code qwen}, {@code gemma}, {@code phi3}, {@code gptneox}, {@code gpt2},
 * {@code olmo2}). Blocks are addressable by index so a layer plan can run them in any order.
 */
package painters.model;
