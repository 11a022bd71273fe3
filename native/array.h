// Arrays at the boundary: reading a caller's strided view (and checking every
// index it implies against the typed array's real length), copying views into
// the layouts BLAS/LAPACK want, and owned output buffers that become
// ArrayBuffers without a copy.
#pragma once

#include <napi.h>
#include <oneapi/tbb/scalable_allocator.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "common.h"

namespace weft {

constexpr int kMaxDims = 32;
// Largest dimension the LP64 interface can pass to MKL (MKL_INT is int32).
constexpr int64_t kMaxDim = 2147483647;

// A caller's array: a typed array plus the geometry that JS wrote into the
// env's geometry buffer. Every index the geometry reaches was checked to lie
// inside `length` before a View is handed out.
struct View {
  Dtype dtype = Dtype::kFloat64;
  const void* data = nullptr;  // element 0 of the typed array
  int64_t length = 0;          // elements in the typed array
  int ndim = 0;
  int64_t offset = 0;
  int64_t shape[kMaxDims] = {};
  int64_t strides[kMaxDims] = {};

  template <class T>
  const T* origin() const {
    return static_cast<const T*>(data) + offset;
  }
};

// Reads operands in argument order from the per-env geometry buffer that
// lib/native.ts fills right before each call (layout documented there):
// reading numbers from one Float64Array costs far less per call than reading
// shape and strides arrays property by property through N-API.
class GeometryReader {
 public:
  // `fn` prefixes error messages, as lib/ does: "linalg.qr".
  GeometryReader(Napi::Env env, const char* fn);
  // Throws TypeError/RangeError naming `name` when the geometry or the typed
  // array is invalid or the view reaches outside the typed array. Int32Array
  // is accepted only with `allow_int32` (index arrays).
  View Next(Napi::Value typed_array, const char* name, bool allow_int32 = false);

 private:
  Napi::Env env_;
  std::string fn_;
  const double* cursor_ = nullptr;
  const double* end_ = nullptr;
};

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
    return *this;
  }
  ~Buffer() {
    if (owner_ == nullptr) FreeAligned(data_);
  }

  T* data() const { return data_; }
  int64_t size() const { return count_; }

  // Hands the memory to a new Float64Array/Float32Array; the Buffer is empty after.
  Napi::Value ToTypedArray(Napi::Env env);

 private:
  T* data_ = nullptr;
  int64_t count_ = 0;
  // When V8 owns the memory: its ArrayBuffer (valid until the sync call
  // returns) and where data_ starts in it.
  napi_value owner_ = nullptr;
  size_t owner_offset_ = 0;
};

// Copies a rows×cols matrix between two strided layouts, converting the
// element type; the destination is written in tiles so that transposing
// copies stay in cache.
template <class Src, class Dst>
void CopyMatrix(const Src* src, int64_t src_row_stride, int64_t src_col_stride, Dst* dst, int64_t dst_row_stride,
                int64_t dst_col_stride, int64_t rows, int64_t cols);

// Copies a 2-D view into `dst` (rows×cols), row-major (dst[i*cols+j]) or
// column-major (dst[i+j*rows]), converting to Dst.
template <class Dst>
void GatherMatrix(const View& view, Dst* dst, bool column_major);

// Copies a view of any rank into `dst`, row-major and contiguous, converting
// to Dst: how an N-D operand is flattened for gemm.
template <class Dst>
void GatherAll(const View& view, Dst* dst);

// Element offsets (from the start of the typed array) of every item of a
// stacked view: the leading ndim - core_dims axes index the items, in
// row-major order.
std::vector<int64_t> ItemOffsets(const View& view, int core_dims);

}  // namespace weft
