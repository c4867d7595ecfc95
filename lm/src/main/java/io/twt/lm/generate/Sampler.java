package io.twt.lm.generate;

import io.twt.lm.config.GenerationConfig;

import java.util.SplittableRandom;

/** Picks the next token from one row of logits (llama3.java's Sampler). */
@FunctionalInterface
public interface Sampler {

    int sample(float[] logits);

    /** Greedy for temperature 0, else temperature + nucleus sampling seeded by the config. */
    static Sampler of(GenerationConfig config) {
        return config.greedy() ? Sampler::argmax
                : new NucleusSampler(config.temperature(), config.topP(), new SplittableRandom(config.seed()));
    }

    /** The first index of the largest logit, as torch.argmax breaks ties. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
