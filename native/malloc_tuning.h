// glibc malloc thresholds for the memory sync results live in (buffer.h).
#pragma once

#include <string>

namespace weft::malloc_tuning {

struct State {
  // "weft" (set at load), "environment" (the user set a threshold, left as
  // is), "off" (WEFT_MALLOC_TUNING=off), or "unsupported" (not glibc).
  std::string source;
  long mmap_threshold = 0;  // bytes, when weft set it
  long trim_threshold = 0;
};

// Once per process, at load.
void Apply();
State Get();

}  // namespace weft::malloc_tuning
