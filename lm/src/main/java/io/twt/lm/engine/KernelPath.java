package io.twt.lm.engine;

/** Which matrix kernels the student's arithmetic runs on, as health and logs name them. */
public enum KernelPath {
    /** oneMKL's Intel code path on a non-Intel x86-64 CPU, through the dispatch fix ({@link NativeKernels}). */
    MKL_INTEL_PATH("mkl-intel-path"),
    /** oneMKL as it dispatches by itself: its fast path on Intel, a slower generic one elsewhere. */
    MKL_DEFAULT("mkl-default"),
    /** libtorch on an NVIDIA GPU. */
    CUDA("cuda");

    private final String label;

    KernelPath(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The setting's value ({@code auto} aside) back to a path. */
    static KernelPath ofLabel(String label) {
        for (KernelPath path : values()) {
            if (path.label.equals(label)) {
                return path;
            }
        }
        throw new IllegalArgumentException("twt.lm.kernels: '" + label + "' is none of auto, mkl-intel-path, mkl-default");
    }

    @Override
    public String toString() {
        return label;
    }
}
