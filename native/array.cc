#include "array.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "addon.h"

namespace weft {
namespace {

// Largest integer a double holds exactly: geometry numbers must stay below it.
constexpr double kMaxSafe = 9007199254740991.0;

[[noreturn]] void ThrowRange(Napi::Env env, const std::string& message) { throw Napi::RangeError::New(env, message); }

bool IsInteger(double x) { return std::isfinite(x) && std::floor(x) == x; }

}  // namespace

GeometryReader::GeometryReader(Napi::Env env, const char* fn) : env_(env), fn_(fn) {
  Napi::Float64Array geometry = Data(env).geometry.Value();
  cursor_ = geometry.Data();
  end_ = cursor_ + geometry.ElementLength();
}

View GeometryReader::Next(Napi::Value value, const char* name, bool allow_int32) {
  const std::string who = fn_ + ": " + name;
  if (!value.IsTypedArray()) {
    throw Napi::TypeError::New(env_, who + ".data must be a Float64Array or Float32Array");
  }
  Napi::TypedArray typed = value.As<Napi::TypedArray>();
  View view;
  switch (typed.TypedArrayType()) {
    case napi_float64_array:
      view.dtype = Dtype::kFloat64;
      view.data = typed.As<Napi::Float64Array>().Data();
      break;
    case napi_float32_array:
      view.dtype = Dtype::kFloat32;
      view.data = typed.As<Napi::Float32Array>().Data();
      break;
    case napi_int32_array:
      if (!allow_int32) throw Napi::TypeError::New(env_, who + ".data must be a Float64Array or Float32Array");
      view.dtype = Dtype::kInt32;
      view.data = typed.As<Napi::Int32Array>().Data();
      break;
    default:
      throw Napi::TypeError::New(env_, who + ".data must be a Float64Array or Float32Array");
  }
  view.length = static_cast<int64_t>(typed.ElementLength());

  if (end_ - cursor_ < 2) ThrowRange(env_, "weft: geometry buffer exhausted reading " + who);
  const double ndim = *cursor_++;
  if (!IsInteger(ndim) || ndim < 0 || ndim > kMaxDims) {
    ThrowRange(env_, who + " must have 0 to " + std::to_string(kMaxDims) + " dimensions");
  }
  view.ndim = static_cast<int>(ndim);
  const double offset = *cursor_++;
  if (!IsInteger(offset) || offset < 0 || offset > kMaxSafe) {
    ThrowRange(env_, who + ".offset must be a non-negative integer");
  }
  view.offset = static_cast<int64_t>(offset);
  if (end_ - cursor_ < 2 * view.ndim) ThrowRange(env_, "weft: geometry buffer exhausted reading " + who);

  // Index range the view touches, in 128-bit so no shape/stride combination
  // can wrap around and sneak past the bounds check.
  __int128 low = view.offset, high = view.offset, count = 1;
  for (int d = 0; d < view.ndim; ++d) {
    const double dim = cursor_[d];
    const double stride = cursor_[view.ndim + d];
    if (!IsInteger(dim) || dim < 0 || dim > kMaxDim) {
      ThrowRange(env_,
                 who + ".shape[" + std::to_string(d) + "] must be an integer from 0 to " + std::to_string(kMaxDim));
    }
    if (!IsInteger(stride) || std::fabs(stride) > kMaxSafe) {
      ThrowRange(env_, who + ".strides[" + std::to_string(d) + "] must be an integer");
    }
    view.shape[d] = static_cast<int64_t>(dim);
    view.strides[d] = static_cast<int64_t>(stride);
    count *= view.shape[d];
    const __int128 reach = static_cast<__int128>(view.strides[d]) * (view.shape[d] > 0 ? view.shape[d] - 1 : 0);
    if (reach > 0)
      high += reach;
    else
      low += reach;
  }
  cursor_ += 2 * view.ndim;
  if (count > static_cast<__int128>(kMaxSafe)) ThrowRange(env_, who + " has too many elements");
  if (count > 0 && view.length == 0 && typed.ArrayBuffer().IsDetached()) {
    throw Napi::TypeError::New(env_, who + ".data's ArrayBuffer is detached");
  }
  if (count > 0 && (low < 0 || high >= view.length)) {
    ThrowRange(env_, who + "'s shape, strides and offset reach elements " + std::to_string(static_cast<int64_t>(low)) +
                         " to " + std::to_string(static_cast<int64_t>(high)) + ", outside its data (length " +
                         std::to_string(view.length) + ")");
  }
  return view;
}

namespace {
thread_local napi_env sync_results_env = nullptr;

// Results this small are computed in owned memory and copied into a plain
// ArrayBuffer at the end: for them, a node Buffer (sync) or an external
// buffer's finalizer (async) costs more than the copy. Measured per native
// call of a sync 2×2 matmul: 1.78 µs copied, 1.86 µs in a node Buffer,
// 2.4 µs as an external buffer.
constexpr size_t kCopySmallerThan = 4096;
}  // namespace

SyncResults::SyncResults(napi_env env) : previous_(sync_results_env) { sync_results_env = env; }
SyncResults::~SyncResults() { sync_results_env = previous_; }
napi_env SyncResults::Current() { return sync_results_env; }

template <class T>
Buffer<T> Buffer<T>::Output(int64_t count) {
  napi_env env = SyncResults::Current();
  if (env == nullptr || count <= 0 || static_cast<uint64_t>(count) * sizeof(T) <= kCopySmallerThan ||
      static_cast<uint64_t>(count) > (uint64_t{1} << 56) / sizeof(T)) {
    return Buffer(count);
  }
  // napi_create_buffer leaves the memory uninitialised (the job overwrites
  // all of it), where napi_create_arraybuffer would zero it first.
  void* data = nullptr;
  napi_value node_buffer = nullptr, array_buffer = nullptr;
  size_t offset = 0;
  if (napi_create_buffer(env, static_cast<size_t>(count) * sizeof(T), &data, &node_buffer) != napi_ok ||
      napi_get_typedarray_info(env, node_buffer, nullptr, nullptr, nullptr, &array_buffer, &offset) != napi_ok ||
      reinterpret_cast<uintptr_t>(data) % alignof(T) != 0) {
    // Larger than a Node Buffer may be, or V8 refused: owned memory, as async.
    bool pending = false;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
    return Buffer(count);
  }
  Buffer buffer;
  buffer.data_ = static_cast<T*>(data);
  buffer.count_ = count;
  buffer.owner_ = array_buffer;
  buffer.owner_offset_ = offset;
  return buffer;
}

template <class T>
Napi::Value Buffer<T>::ToTypedArray(Napi::Env env) {
  const size_t count = static_cast<size_t>(count_);
  const size_t bytes = count * sizeof(T);
  napi_value buffer = nullptr;
  if (owner_ != nullptr) {
    Napi::Value out = Napi::TypedArrayOf<T>::New(env, count, Napi::ArrayBuffer(env, owner_), owner_offset_);
    data_ = nullptr;
    count_ = 0;
    owner_ = nullptr;
    return out;
  }
  if (data_ == nullptr) {
    NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, 0, nullptr, &buffer), Napi::Value());
  } else if (bytes <= kCopySmallerThan) {
    // Small results are copied into V8's own memory: an external buffer's
    // deleter and finalizer cost more than the copy.
    void* copy = nullptr;
    NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, bytes, &copy, &buffer), Napi::Value());
    std::memcpy(copy, data_, bytes);
  } else {
    napi_status status = napi_create_external_arraybuffer(
        env, data_, bytes, [](napi_env, void* data, void*) { FreeAligned(data); }, nullptr, &buffer);
    if (status == napi_ok) {
      data_ = nullptr;  // the ArrayBuffer owns it now
    } else if (status == napi_no_external_buffers_allowed) {
      // Runtimes with a V8 sandbox refuse external memory: copy instead.
      void* copy = nullptr;
      NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, bytes, &copy, &buffer), Napi::Value());
      std::memcpy(copy, data_, bytes);
    } else {
      NAPI_THROW_IF_FAILED(env, status, Napi::Value());
    }
  }
  count_ = 0;
  FreeAligned(data_);
  data_ = nullptr;
  return Napi::TypedArrayOf<T>::New(env, count, Napi::ArrayBuffer(env, buffer), 0);
}

template class Buffer<float>;
template class Buffer<double>;
template class Buffer<int32_t>;

namespace {

constexpr int64_t kTile = 32;

// Rows [row_begin, row_end) of the copy, tile by tile so that a transposing
// copy reads and writes whole cache lines, with the inner loop along the
// destination's unit stride. (With the inner loop always down the rows, a
// column-major to row-major 256² copy wrote a cache line per element and
// took 137 µs instead of 22: it made 120 pooled QRs 18% slower.)
template <class Src, class Dst>
void CopyRows(const Src* src, int64_t src_row_stride, int64_t src_col_stride, Dst* dst, int64_t dst_row_stride,
              int64_t dst_col_stride, int64_t row_begin, int64_t row_end, int64_t cols) {
  for (int64_t i0 = row_begin; i0 < row_end; i0 += kTile) {
    const int64_t i1 = std::min(row_end, i0 + kTile);
    for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
      const int64_t j1 = std::min(cols, j0 + kTile);
      if (dst_col_stride == 1) {  // row-major destination: along its rows
        for (int64_t i = i0; i < i1; ++i) {
          const Src* from = src + i * src_row_stride;
          Dst* to = dst + i * dst_row_stride;
          for (int64_t j = j0; j < j1; ++j) to[j] = static_cast<Dst>(from[j * src_col_stride]);
        }
      } else {  // column-major (or strided) destination: down its columns
        for (int64_t j = j0; j < j1; ++j) {
          const Src* from = src + j * src_col_stride;
          Dst* to = dst + j * dst_col_stride;
          for (int64_t i = i0; i < i1; ++i) to[i * dst_row_stride] = static_cast<Dst>(from[i * src_row_stride]);
        }
      }
    }
  }
}

}  // namespace

template <class Src, class Dst>
void CopyMatrix(const Src* src, int64_t src_row_stride, int64_t src_col_stride, Dst* dst, int64_t dst_row_stride,
                int64_t dst_col_stride, int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0) return;
  if constexpr (std::is_same_v<Src, Dst>) {
    if (src_col_stride == 1 && dst_col_stride == 1) {
      for (int64_t i = 0; i < rows; ++i) {
        std::memcpy(dst + i * dst_row_stride, src + i * src_row_stride, static_cast<size_t>(cols) * sizeof(Dst));
      }
      return;
    }
  }
  // Large transposes inside weft's arena (a job storing its results) are
  // split across the arena's threads; on a JS thread outside it (gathering
  // inputs) they stay on that thread, which has no arena of weft's to use.
  // (MKL's mkl_?omatcopy was no help: single-threaded it measured slower
  // than this loop, 75 vs 53 µs at 256².)
  if (rows * cols >= (int64_t{1} << 16) &&
      tbb::this_task_arena::current_thread_index() != tbb::task_arena::not_initialized) {
    const int64_t tiles = (rows + kTile - 1) / kTile;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles), [=](const tbb::blocked_range<int64_t>& r) {
      CopyRows(src, src_row_stride, src_col_stride, dst, dst_row_stride, dst_col_stride, r.begin() * kTile,
               std::min(rows, r.end() * kTile), cols);
    });
  } else {
    CopyRows(src, src_row_stride, src_col_stride, dst, dst_row_stride, dst_col_stride, 0, rows, cols);
  }
}

template void CopyMatrix(const float*, int64_t, int64_t, float*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const float*, int64_t, int64_t, double*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const double*, int64_t, int64_t, float*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const double*, int64_t, int64_t, double*, int64_t, int64_t, int64_t, int64_t);

template <class Dst>
void GatherMatrix(const View& view, Dst* dst, bool column_major) {
  const int64_t rows = view.shape[0], cols = view.shape[1];
  const int64_t dst_row = column_major ? 1 : cols;
  const int64_t dst_col = column_major ? rows : 1;
  if (view.dtype == Dtype::kFloat64) {
    CopyMatrix(view.origin<double>(), view.strides[0], view.strides[1], dst, dst_row, dst_col, rows, cols);
  } else {
    CopyMatrix(view.origin<float>(), view.strides[0], view.strides[1], dst, dst_row, dst_col, rows, cols);
  }
}

template void GatherMatrix(const View&, float*, bool);
template void GatherMatrix(const View&, double*, bool);

std::vector<int64_t> ItemOffsets(const View& view, int core_dims) {
  const int batch_dims = view.ndim - core_dims;
  int64_t items = 1;
  for (int d = 0; d < batch_dims; ++d) items *= view.shape[d];
  std::vector<int64_t> offsets(static_cast<size_t>(items), view.offset);
  std::vector<int64_t> index(static_cast<size_t>(std::max(batch_dims, 0)), 0);
  int64_t at = view.offset;
  for (int64_t i = 0; i < items; ++i) {
    offsets[static_cast<size_t>(i)] = at;
    // Odometer step over the batch axes, last axis fastest.
    for (int d = batch_dims - 1; d >= 0; --d) {
      if (++index[d] < view.shape[d]) {
        at += view.strides[d];
        break;
      }
      at -= view.strides[d] * (view.shape[d] - 1);
      index[d] = 0;
    }
  }
  return offsets;
}

namespace {

template <class Src, class Dst>
void GatherAllTyped(const View& view, const Src* data, Dst* dst) {
  if (view.ndim == 0) {
    dst[0] = static_cast<Dst>(data[view.offset]);
    return;
  }
  const int64_t inner = view.shape[view.ndim - 1];
  const int64_t step = view.strides[view.ndim - 1];
  for (int64_t row : ItemOffsets(view, 1)) {
    const Src* src = data + row;
    for (int64_t j = 0; j < inner; ++j) *dst++ = static_cast<Dst>(src[j * step]);
  }
}

}  // namespace

template <class Dst>
void GatherAll(const View& view, Dst* dst) {
  for (int d = 0; d < view.ndim; ++d) {
    if (view.shape[d] == 0) return;
  }
  if (view.dtype == Dtype::kFloat64) {
    GatherAllTyped(view, static_cast<const double*>(view.data), dst);
  } else {
    GatherAllTyped(view, static_cast<const float*>(view.data), dst);
  }
}

template void GatherAll(const View&, float*);
template void GatherAll(const View&, double*);

}  // namespace weft
