// Arrays at the boundary: reading a caller's strided view (and checking every
// index it implies against the typed array's real length), copying views into
// the layouts BLAS/LAPACK want, and owned output buffers that become
// ArrayBuffers without a copy.
#pragma once

#include <napi.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <oneapi/tbb/scalable_allocator.h>

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
  const T* origin() const { return static_cast<const T*>(data) + offset; }
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

// Owned, 64-byte aligned memory for job inputs and outputs, from tbbmalloc:
// its large-object cache hands freed blocks back without fresh page faults.
// Measured with glibc's allocator instead: an async 1024² matmul took 17.4 ms
// and 4460 page faults per call; with tbbmalloc 11.8 ms and none.
template <class T>
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(int64_t count) : count_(count) {
    if (count <= 0) return;
    if (static_cast<uint64_t>(count) > (uint64_t{1} << 56) / sizeof(T)) throw std::bad_alloc();
    const size_t bytes = (static_cast<size_t>(count) * sizeof(T) + 63) & ~static_cast<size_t>(63);
    data_ = static_cast<T*>(scalable_aligned_malloc(bytes, 64));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { *this = std::move(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }
  ~Buffer() { scalable_aligned_free(data_); }

  T* data() const { return data_; }
  int64_t size() const { return count_; }

  // Hands the memory to a new Float64Array/Float32Array; the Buffer is empty after.
  Napi::Value ToTypedArray(Napi::Env env);

 private:
  T* data_ = nullptr;
  int64_t count_ = 0;
};

// Copies a rows×cols matrix between two strided layouts, converting the
// element type; the destination is written in tiles so that transposing
// copies stay in cache.
template <class Src, class Dst>
void CopyMatrix(const Src* src, int64_t src_row_stride, int64_t src_col_stride, Dst* dst,
                int64_t dst_row_stride, int64_t dst_col_stride, int64_t rows, int64_t cols);

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
