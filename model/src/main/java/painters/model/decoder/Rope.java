package painters.model.decoder;

import painters.model.UserInputException;

/**
 * Rotary position embedding parameters and tables, in the HF rotate-half convention: dimension j
 * of a head is rotated together with dimension {@code j + headDim/2} by the angle
 * {@code position * invFreq[j mod headDim/2]}.
 *
 * <p>Scaling: {@code none}, {@code linear} (positions divided by the factor), {@code llama3}
 * (Llama 3.1's frequency-dependent interpolation) and {@code longrope} (Phi-3's LongRoPE, {@link LongRope}: per-dimension
 * factors, short or long by a call's positions, and an attention factor on cos and sin). Tables are computed in
 * double precision and rounded once to float.
 *
 * @param theta               rope_theta (base)
 * @param scaling             "none", "linear" or "llama3"
 * @param factor              scaling factor (1 for none)
 * @param lowFreqFactor       llama3 only
 * @param highFreqFactor      llama3 only
 * @param originalMaxPositions llama3 only: original_max_position_embeddings
 * @param longRope            longrope only: its factors (else null)
 */
public record Rope(double theta, String scaling, double factor, double lowFreqFactor, double highFreqFactor,
                   int originalMaxPositions, LongRope longRope) {

    /**
     * LongRoPE (Phi-3 128k, Phi-3.5; Ding et al. 2024) as transformers applies it: inverse frequency j is divided by
     * {@code shortFactor[j]} in a call whose positions all lie below {@code originalMaxPositions} (the largest
     * position + 1 over the batch is at most it), else by {@code longFactor[j]}; cos and sin are multiplied by
     * {@code attentionFactor}. Keys already cached keep the rotation they were computed with.
     */
    public record LongRope(double[] shortFactor, double[] longFactor, double attentionFactor, int originalMaxPositions) {
        public LongRope {
            if (shortFactor.length == 0 || shortFactor.length != longFactor.length) {
                throw new UserInputException("longrope short_factor and long_factor must be non-empty lists of the "
                        + "same length, got " + shortFactor.length + " and " + longFactor.length);
            }
            for (double[] f : new double[][] {shortFactor, longFactor}) {
                for (double x : f) {
                    if (!(x > 0)) {
                        throw new UserInputException("longrope factors must be > 0, got " + x);
                    }
                }
            }
            if (!(attentionFactor > 0) || originalMaxPositions < 1) {
                throw new UserInputException("longrope needs attention_factor > 0 and "
                        + "original_max_position_embeddings >= 1");
            }
            shortFactor = shortFactor.clone();
            longFactor = longFactor.clone();
        }
    }

    /** Scaling without LongRoPE factors. */
    public Rope(double theta, String scaling, double factor, double lowFreqFactor, double highFreqFactor,
                int originalMaxPositions) {
        this(theta, scaling, factor, lowFreqFactor, highFreqFactor, originalMaxPositions, null);
    }

    public Rope {
        if (!(theta > 1)) {
            throw new UserInputException("rope_theta must be > 1, got " + theta);
        }
        switch (scaling) {
            case "none", "linear", "llama3" -> { }
            case "longrope" -> {
                if (longRope == null) {
                    throw new UserInputException("longrope rope_scaling needs short_factor and long_factor");
                }
            }
            default -> throw new UserInputException("rope_scaling type \"" + scaling
                    + "\" is not supported (supported: none, linear, llama3, longrope)");
        }
        if (!(factor >= 1)) {
            throw new UserInputException("rope_scaling factor must be >= 1, got " + factor);
        }
        if (scaling.equals("llama3") && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0
                && originalMaxPositions > 0)) {
            throw new UserInputException("llama3 rope_scaling needs high_freq_factor > low_freq_factor > 0 and "
                    + "original_max_position_embeddings > 0");
        }
    }

    /** Plain RoPE with base {@code theta}. */
    public static Rope plain(double theta) {
        return new Rope(theta, "none", 1, 0, 0, 0);
    }

    /** The {@code headDim/2} inverse frequencies, scaling applied (LongRoPE: the short factors). */
    public double[] inverseFrequencies(int headDim) {
        return inverseFrequencies(headDim, false);
    }

    /** The {@code headDim/2} inverse frequencies, scaling applied; {@code long} picks LongRoPE's long factors. */
    public double[] inverseFrequencies(int headDim, boolean longFactors) {
        int half = headDim / 2;
        if (longRope != null && longRope.shortFactor().length != half) {
            throw new UserInputException("rope_scaling short_factor/long_factor have " + longRope.shortFactor().length
                    + " entries; the rotary dimensions need " + half + " (rotary dimensions / 2)");
        }
        double[] f = new double[half];
        for (int j = 0; j < half; j++) {
            f[j] = 1.0 / Math.pow(theta, (2.0 * j) / headDim);
            if (longRope != null) {
                f[j] /= (longFactors ? longRope.longFactor() : longRope.shortFactor())[j];
            } else if (scaling.equals("linear")) {
                f[j] /= factor;
            } else if (scaling.equals("llama3")) {
                f[j] = llama3(f[j]);
            }
        }
        return f;
    }

    private double llama3(double freq) {
        double lowWavelen = originalMaxPositions / lowFreqFactor;
        double highWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / freq;
        if (wavelen < highWavelen) {
            return freq;
        }
        if (wavelen > lowWavelen) {
            return freq / factor;
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * freq / factor + smooth * freq;
    }

    /** Rows of {@link #tables}: {@code positions}, or twice that under LongRoPE (short rows, then long rows). */
    public int tableRows(int positions) {
        return longRope == null ? positions : 2 * positions;
    }

    /**
     * The table row of each position in one call: the position itself, or under LongRoPE, when the call's largest
     * position + 1 exceeds the original context, the position + {@code positions} (the long rows).
     */
    public long[][] tableRows(long[][] pos, int positions) {
        if (longRope == null) {
            return pos;
        }
        long max = -1;
        for (long[] r : pos) {
            for (long p : r) {
                max = Math.max(max, p);
            }
        }
        long offset = max + 1 > longRope.originalMaxPositions() ? positions : 0;
        long[][] out = new long[pos.length][];
        for (int r = 0; r < pos.length; r++) {
            out[r] = new long[pos[r].length];
            for (int i = 0; i < pos[r].length; i++) {
                out[r][i] = pos[r][i] + offset;
            }
        }
        return out;
    }

    /**
     * {@code cos} (first) and {@code sin} (second) tables, each {@code [positions, headDim]} row-major,
     * with the half-width pattern repeated ({@code emb = concat(freqs, freqs)} as in HF).
     */
    public float[][] tables(int positions, int headDim) {
        int rows = tableRows(positions);
        double[][] inv = {inverseFrequencies(headDim, false), inverseFrequencies(headDim, true)};
        double scale = longRope == null ? 1 : longRope.attentionFactor();
        int half = headDim / 2;
        float[] cos = new float[rows * headDim];
        float[] sin = new float[rows * headDim];
        for (int row = 0; row < rows; row++) {
            int p = row % positions;
            for (int j = 0; j < half; j++) {
                double a = p * inv[row / positions][j];
                float c = (float) (scale * Math.cos(a));
                float s = (float) (scale * Math.sin(a));
                cos[row * headDim + j] = c;
                cos[row * headDim + j + half] = c;
                sin[row * headDim + j] = s;
                sin[row * headDim + j + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
