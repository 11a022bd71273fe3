// Why weft touches glibc's malloc settings, once, at load.
//
// A sync call's results are ArrayBuffers in V8's memory (buffer.h), which
// Node takes from malloc. glibc serves every request of 128 KiB or more with
// a fresh mmap and returns it with munmap on free, and its dynamic threshold
// never adapts for a size that repeats (the threshold becomes the freed
// size, and a request of that same size is still "at or above" it). So
// every 256×256 float64 result was 128 new pages: measured 126 page faults
// per sync matmul, 48% of the call's time in the kernel zeroing pages, a
// 256² matmul 380 µs instead of 235 µs.
//
// Raising M_MMAP_THRESHOLD to glibc's cap (32 MiB) keeps results below it in
// the heap, and M_TRIM_THRESHOLD at twice that (the ratio glibc's own
// dynamic rule uses) lets up to 64 MiB of freed heap wait for reuse instead
// of going back to the OS. The cost is that much more resident memory after
// a burst of frees. Results of 32 MiB or more still take the mmap path.
//
// The user's own settings win: a threshold set through MALLOC_*_THRESHOLD_
// or GLIBC_TUNABLES is left alone, and WEFT_MALLOC_TUNING=off leaves
// everything as glibc had it. threading.info().malloc reports which.
#include "malloc_tuning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace weft::malloc_tuning {
namespace {

std::once_flag once;
State state;

bool EnvMentions(const char* name, const char* needle = nullptr) {
  const char* value = std::getenv(name);
  if (value == nullptr) return false;
  return needle == nullptr || std::strstr(value, needle) != nullptr;
}

}  // namespace

void Apply() {
  std::call_once(once, [] {
#if defined(__GLIBC__)
    const char* opt = std::getenv("WEFT_MALLOC_TUNING");
    if (opt != nullptr && (std::strcmp(opt, "off") == 0 || std::strcmp(opt, "0") == 0)) {
      state.source = "off";
      return;
    }
    if (EnvMentions("MALLOC_MMAP_THRESHOLD_") || EnvMentions("MALLOC_TRIM_THRESHOLD_") ||
        EnvMentions("GLIBC_TUNABLES", "malloc.mmap_threshold") ||
        EnvMentions("GLIBC_TUNABLES", "malloc.trim_threshold")) {
      state.source = "environment";
      return;
    }
    constexpr long kMmapThreshold = 32L << 20;
    constexpr long kTrimThreshold = 2 * kMmapThreshold;
    if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThreshold)) == 1 &&
        mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThreshold)) == 1) {
      state = {"weft", kMmapThreshold, kTrimThreshold};
    } else {
      state.source = "unsupported";
    }
#else
    state.source = "unsupported";
#endif
  });
}

State Get() {
  Apply();
  return state;
}

}  // namespace weft::malloc_tuning
