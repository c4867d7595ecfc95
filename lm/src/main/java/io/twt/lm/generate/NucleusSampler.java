package io.twt.lm.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Temperature then top-p sampling as transformers' TopPLogitsWarper: keep the most probable tokens whose
 * cumulative probability reaches topP (at least one), renormalise, draw.
 */
final class NucleusSampler implements Sampler {

    private final double temperature;
    private final double topP;
    private final SplittableRandom random;

    NucleusSampler(double temperature, double topP, SplittableRandom random) {
        this.temperature = temperature;
        this.topP = topP;
        this.random = random;
    }

    @Override
    public int sample(float[] logits) {
        int v = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
            p[i] /= sum;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        int kept = 0;
        double mass = 0;
        while (kept < v && (kept == 0 || mass < topP)) {
            mass += p[order[kept++]];
        }
        double draw = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            draw -= p[order[i]];
            if (draw <= 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }
}
