package io.twt.lm.train;

/** nanoGPT's get_lr: the learning rate of an optimizer step (0-based). */
public final class LearningRate {

    private LearningRate() {
    }

    public static double at(int step, int totalSteps, double peak, double warmupRatio, double minRatio) {
        int warmup = (int) Math.ceil(warmupRatio * totalSteps);
        double min = peak * minRatio;
        // 1) linear warm-up from peak / warmup to peak
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        // 2) past the end: the floor
        if (step >= totalSteps - 1) {
            return totalSteps - 1 <= warmup ? peak : min;
        }
        // 3) in between: cosine from peak down to the floor
        double progress = (double) (step - warmup) / (totalSteps - 1 - warmup);
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
}
