#include "layout.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace weft {

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
// Complex destinations: from either complex precision, or from reals (numpy's promotion).
using C64 = std::complex<float>;
using C128 = std::complex<double>;
template void CopyMatrix(const float*, int64_t, int64_t, C64*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const double*, int64_t, int64_t, C64*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const C64*, int64_t, int64_t, C64*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const C128*, int64_t, int64_t, C64*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const float*, int64_t, int64_t, C128*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const double*, int64_t, int64_t, C128*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const C64*, int64_t, int64_t, C128*, int64_t, int64_t, int64_t, int64_t);
template void CopyMatrix(const C128*, int64_t, int64_t, C128*, int64_t, int64_t, int64_t, int64_t);

template <class Dst>
void GatherMatrix(const View& view, Dst* dst, bool column_major) {
  const int64_t rows = view.shape[0], cols = view.shape[1];
  const int64_t dst_row = column_major ? 1 : cols;
  const int64_t dst_col = column_major ? rows : 1;
  WithElements<Dst>(view, [&](auto* data) {
    CopyMatrix(data + view.offset, view.strides[0], view.strides[1], dst, dst_row, dst_col, rows, cols);
  });
}

template void GatherMatrix(const View&, float*, bool);
template void GatherMatrix(const View&, double*, bool);
template void GatherMatrix(const View&, C64*, bool);
template void GatherMatrix(const View&, C128*, bool);

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
  WithElements<Dst>(view, [&](auto* data) { GatherAllTyped(view, data, dst); });
}

template void GatherAll(const View&, float*);
template void GatherAll(const View&, double*);
template void GatherAll(const View&, C64*);
template void GatherAll(const View&, C128*);

}  // namespace weft
