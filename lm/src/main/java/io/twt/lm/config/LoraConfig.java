package io.twt.lm.config;

import java.util.List;
import java.util.Set;

/**
 * A LoRA adapter as PEFT defines it: for every target projection W (out x in), y = W x + B A x * scaling with
 * scaling = alpha / rank (alpha / sqrt(rank) with use_rslora), A (rank x in) Kaiming-uniform and B (out x rank) zero
 * at the start; dropout applies to x on the LoRA path.
 *
 * @param targetModules projection names as in the checkpoint keys: q_proj, k_proj, v_proj, o_proj, gate_proj,
 *                      up_proj, down_proj, and phi3's fused qkv_proj, gate_up_proj (a phi3 model takes q_proj, k_proj
 *                      or v_proj to mean its qkv_proj, gate_proj or up_proj its gate_up_proj)
 * @param useRslora     rank-stabilised scaling (PEFT's use_rslora)
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

    /** Every projection a decoder layer has, split (llama, mistral, qwen2) or fused (phi3). */
    public static final Set<String> MODULES = Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj", "qkv_proj", "gate_up_proj");

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        targetModules = List.copyOf(targetModules);
        for (String module : targetModules) {
            if (!MODULES.contains(module)) {
                throw new IllegalArgumentException("unknown LoRA target module '" + module + "', expected one of " + MODULES);
            }
        }
        if (targetModules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
    }

    public LoraConfig(int rank, double alpha, double dropout, List<String> targetModules) {
        this(rank, alpha, dropout, targetModules, false);
    }

    /**
     * The paper's rank 8 (section 4). It does not give alpha, dropout or targets; these are PEFT's usual
     * companions: alpha = 2 * rank, dropout 0.05, the four attention projections.
     */
    public static LoraConfig paperPreset() {
        return new LoraConfig(8, 16, 0.05, List.of("q_proj", "k_proj", "v_proj", "o_proj"));
    }

    /**
     * Whether this adapter goes on the projection named shortName; on a fused (phi3) model q/k/v_proj name its qkv_proj
     * and gate/up_proj its gate_up_proj.
     */
    public boolean targets(String shortName, boolean fused) {
        return targetModules.contains(shortName)
                || fused && shortName.equals("qkv_proj") && targetModules.stream().anyMatch(Set.of("q_proj", "k_proj", "v_proj")::contains)
                || fused && shortName.equals("gate_up_proj") && targetModules.stream().anyMatch(Set.of("gate_proj", "up_proj")::contains);
    }

    public double scaling() {
        return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
