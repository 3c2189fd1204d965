/**
 * Training regimes put through the surgery: decoders pre-trained here under several regimes (residual connections
 * standard, none or scaled; LayerDrop) on the same data, budget and seeds, each then run through a frozen grid study,
 * and the regimes compared side by side.
 */
package painters.regimes;
