/**
 * The frozen grid: the paper's variants at every split scored frozen, their tables (raw, normalised, paired), the
 * paper's claims checked, the report and figures.
 */
package painters.study.grid;
