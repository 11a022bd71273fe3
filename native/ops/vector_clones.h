// WEFT_VECTOR_CLONES marks a hot loop to be built twice: for AVX2 where the
// CPU has it (chosen when the addon loads, an ifunc) and for the baseline
// the build targets (SSE2). A loop so marked must compute the same bits
// either way (each vector lane doing what the plain loop does, in the same
// order), so results never depend on the CPU.
#pragma once

#if defined(__x86_64__) && defined(__linux__)
#define WEFT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define WEFT_VECTOR_CLONES
#endif
