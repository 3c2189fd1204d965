package painters.model.decoder;

/**
 * Rotary position embedding parameters and tables, in the HF rotate-half convention: dimension j
 * of a head is rotated together with dimension {@code j + headDim/2} by the angle
 * {@code position * invFreq[j mod headDim/2]}.
 *
 * <p>Scaling: {@code none}, {@code linear} (positions divided by the factor) and {@code llama3}
 * (Llama 3.1's frequency-dependent interpolation). Tables are computed in double precision and
 * rounded once to float.
 *
 * @param theta               rope_theta (base)
 * @param scaling             "none", "linear" or "llama3"
 * @param factor              scaling factor (1 for none)
 * @param lowFreqFactor       llama3 only
 * @param highFreqFactor      llama3 only
 * @param originalMaxPositions llama3 only: original_max_position_embeddings
 */
public record Rope(double theta, String scaling, double factor, double lowFreqFactor, double highFreqFactor,
                   int originalMaxPositions) {

    public Rope {
        if (!(theta > 1)) {
            throw new IllegalArgumentException("rope_theta must be > 1, got " + theta);
        }
        switch (scaling) {
            case "none", "linear", "llama3" -> { }
            default -> throw new IllegalArgumentException("rope_scaling type \"" + scaling
                    + "\" is not supported (supported: none, linear, llama3)");
        }
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("rope_scaling factor must be >= 1, got " + factor);
        }
        if (scaling.equals("llama3") && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0
                && originalMaxPositions > 0)) {
            throw new IllegalArgumentException("llama3 rope_scaling needs high_freq_factor > low_freq_factor > 0 and "
                    + "original_max_position_embeddings > 0");
        }
    }

    /** Plain RoPE with base {@code theta}. */
    public static Rope plain(double theta) {
        return new Rope(theta, "none", 1, 0, 0, 0);
    }

    /** The {@code headDim/2} inverse frequencies, scaling applied. */
    public double[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        double[] f = new double[half];
        for (int j = 0; j < half; j++) {
            f[j] = 1.0 / Math.pow(theta, (2.0 * j) / headDim);
            if (scaling.equals("linear")) {
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

    /**
     * {@code cos} (first) and {@code sin} (second) tables, each {@code [positions, headDim]} row-major,
     * with the half-width pattern repeated ({@code emb = concat(freqs, freqs)} as in HF).
     */
    public float[][] tables(int positions, int headDim) {
        double[] inv = inverseFrequencies(headDim);
        int half = headDim / 2;
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int j = 0; j < half; j++) {
                double a = p * inv[j];
                float c = (float) Math.cos(a);
                float s = (float) Math.sin(a);
                cos[p * headDim + j] = c;
                cos[p * headDim + j + half] = c;
                sin[p * headDim + j] = s;
                sin[p * headDim + j + half] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
