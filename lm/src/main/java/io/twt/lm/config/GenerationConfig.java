package io.twt.lm.config;

import java.util.List;

/**
 * How to decode: temperature 0 is greedy (arg-max), otherwise softmax(logits / temperature) restricted to the
 * smallest set of tokens whose probability reaches topP (nucleus sampling). Generation ends at an eos token,
 * at the first stop string (cut from the text), or after maxNewTokens.
 *
 * @param maxNewTokens upper bound on generated tokens per prompt
 * @param temperature  0 for greedy decoding
 * @param topP         nucleus mass in (0, 1]; 1 keeps every token
 * @param stop         strings that end a generation (not included in the text); empty for none
 * @param seed         seed of the sampling random generator (unused when greedy)
 * @param useKvCache   false recomputes the whole sequence every step (benchmarks and cross-checks only)
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, List<String> stop, long seed,
                               boolean useKvCache) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** The paper's inference setting (section 4): temperature 0, max tokens 2048, top-p 0.95. */
    public static GenerationConfig paperPreset() {
        return new GenerationConfig(2048, 0.0, 0.95, List.of(), 0L, true);
    }

    /** Greedy decoding of at most maxNewTokens tokens. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0.0, 1.0, List.of(), 0L, true);
    }

    public GenerationConfig withMaxNewTokens(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, temperature, topP, stop, seed, useKvCache);
    }

    public GenerationConfig withSampling(double temperature, double topP, long seed) {
        return new GenerationConfig(maxNewTokens, temperature, topP, stop, seed, useKvCache);
    }

    public GenerationConfig withStop(List<String> stop) {
        return new GenerationConfig(maxNewTokens, temperature, topP, stop, seed, useKvCache);
    }

    public GenerationConfig withKvCache(boolean useKvCache) {
        return new GenerationConfig(maxNewTokens, temperature, topP, stop, seed, useKvCache);
    }

    public boolean greedy() {
        return temperature == 0.0;
    }
}
