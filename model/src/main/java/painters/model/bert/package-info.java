/**
 * BERT-family encoders (BERT, BGE, MiniLM...) in SameDiff: post-LN blocks
 * {@code h = LN(x + Attn(x)); y = LN(h + MLP(h))} with exact erf GELU, addressable by index.
 */
package painters.model.bert;
