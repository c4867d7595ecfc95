/* Preloaded into the Java side of bench/lm on AMD CPUs with AVX-512: oneMKL (inside DJL's libtorch) picks its
   AVX-512 kernels only when this internal check says the CPU is Intel (see DESIGN.md, Benchmarks). */
int mkl_serv_intel_cpu_true(void) { return 1; }
