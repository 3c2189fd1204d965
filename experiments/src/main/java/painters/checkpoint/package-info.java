/** Models written as checkpoints of their family (convert, export, pretrain, the regimes study). */
package painters.checkpoint;
