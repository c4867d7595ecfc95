/* oneMKL (linked into DJL's libtorch) takes its AVX-512 and tuned AVX2 kernels only when this internal check says
   the CPU is Intel. io.twt.lm.engine.NativeKernels loads this library into the global symbol scope before libtorch,
   so libtorch's call binds here, on non-Intel x86-64 CPUs where a self-check shows it is faster and equal. */
int mkl_serv_intel_cpu_true(void) { return 1; }
