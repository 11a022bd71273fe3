// WEFT_VECTOR_CLONES marks a hot loop to be built twice: for AVX2 where the
// CPU has it (chosen when the addon loads, an ifunc) and for the baseline
// the build targets (SSE2). A loop so marked must compute the same bits
// either way (each vector lane doing what the plain loop does, in the same
// order), so results never depend on the CPU. Sanitizer builds keep one
// copy: an ifunc resolver runs while the dynamic linker relocates the addon,
// before the sanitizer runtime could watch it.
#pragma once

#if defined(__x86_64__) && defined(__linux__) && !defined(WEFT_SANITIZE)
#define WEFT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define WEFT_VECTOR_CLONES
#endif
