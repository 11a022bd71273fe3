// Owned memory for job inputs, scratch and outputs, and the outputs of sync
// calls that live in V8's memory: buffers that become ArrayBuffers without
// a copy.
#pragma once

#include <napi.h>
#include <oneapi/tbb/scalable_allocator.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include "common.h"

namespace weft {

// While a sync call executes on the JS thread, the outputs its job allocates
// with Buffer::Output are ArrayBuffers in V8's own memory, made up front, so
// the job writes its results where JS will read them. Why not external
// memory as async results use: Node releases an external ArrayBuffer through
// a finalizer it defers to the next event-loop turn, so a sync loop that
// never yields kept every result it dropped (measured: 300 sync 1024²
// matmuls grew RSS by 2 GB, invisible to V8's GC heuristics), and each
// result was fresh pages (130 page faults per 256² matmul). V8 memory is
// counted by the GC and freed by it directly.
class SyncResults {
 public:
  explicit SyncResults(napi_env env);
  ~SyncResults();
  SyncResults(const SyncResults&) = delete;
  SyncResults& operator=(const SyncResults&) = delete;
  // The env of the sync call running on this thread, or null.
  static napi_env Current();

 private:
  napi_env previous_;
};

// numpy's `out` for a sync call (lib/internal/out.ts): where the next sync
// result of exactly `count` elements of `element_bytes` each is written
// instead of a new buffer — a row-major contiguous out of the result's dtype
// that overlaps no operand. Set by the setOut binding just before the op's
// call, taken by the first matching Buffer::Output of that call, and cleared
// by Dispatch once the job's outputs are allocated (and by setOut(null) when
// the call threw before), so it never reaches another call.
struct OutTarget {
  void* data = nullptr;
  int64_t count = 0;
  size_t element_bytes = 0;
};
void SetOutTarget(const OutTarget& target);
// The setOut binding: setOut(typedArray, offset, count) or setOut(null).
Napi::Value SetOut(const Napi::CallbackInfo& info);

// Where owned memory comes from: tbbmalloc, or under the sanitizer build
// (scripts/dev/build-asan.mjs defines WEFT_SANITIZE) the C library, whose calls
// AddressSanitizer intercepts, so that an overrun of a weft buffer is
// reported instead of landing silently inside a tbbmalloc block.
inline void* AllocateAligned(size_t bytes) {
#if defined(WEFT_SANITIZE)
  return std::aligned_alloc(64, bytes);
#else
  return scalable_aligned_malloc(bytes, 64);
#endif
}
inline void FreeAligned(void* data) {
#if defined(WEFT_SANITIZE)
  std::free(data);
#else
  scalable_aligned_free(data);
#endif
}

// Owned memory for job inputs, scratch and outputs. Plain buffers are
// 64-byte aligned, from tbbmalloc: its large-object cache hands freed blocks
// back without fresh page faults (measured with glibc's allocator instead:
// an async 1024² matmul took 17.4 ms and 4460 page faults per call; with
// tbbmalloc 11.8 ms and none). Outputs of sync calls live in V8 memory
// instead (see SyncResults).
template <class T>
class Buffer {
 public:
  Buffer() = default;
  // A buffer that becomes one of the call's results: in a sync call on the
  // JS thread, an ArrayBuffer V8 owns (16-byte aligned); else tbbmalloc.
  static Buffer Output(int64_t count);
  explicit Buffer(int64_t count) : count_(count) {
    if (count <= 0) return;
    if (static_cast<uint64_t>(count) > (uint64_t{1} << 56) / sizeof(T)) throw std::bad_alloc();
    const size_t bytes = (static_cast<size_t>(count) * sizeof(T) + 63) & ~static_cast<size_t>(63);
    data_ = static_cast<T*>(AllocateAligned(bytes));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { *this = std::move(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    std::swap(owner_, other.owner_);
    std::swap(owner_offset_, other.owner_offset_);
    std::swap(borrowed_, other.borrowed_);
    return *this;
  }
  ~Buffer() {
    if (owner_ == nullptr && !borrowed_) FreeAligned(data_);
  }

  T* data() const { return data_; }
  int64_t size() const { return count_; }

  // Hands the memory to a new Float64Array/Float32Array; the Buffer is empty
  // after. For a result written into options.out (OutTarget): undefined, JS
  // returns out itself.
  Napi::Value ToTypedArray(Napi::Env env);

 private:
  T* data_ = nullptr;
  int64_t count_ = 0;
  // When V8 owns the memory: its ArrayBuffer (valid until the sync call
  // returns) and where data_ starts in it.
  napi_value owner_ = nullptr;
  size_t owner_offset_ = 0;
  // The memory is options.out's (OutTarget): JS owns it.
  bool borrowed_ = false;
};

}  // namespace weft
