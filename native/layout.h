// Copying views into the layouts BLAS/LAPACK want: strided to packed,
// row-major or column-major, converting the element type.
#pragma once

#include <complex>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "common.h"
#include "view.h"

namespace weft {

// Calls fn(data) with `view`'s typed array as a pointer of its element
// type: float, double, or, when the destination type Dst is complex,
// std::complex<float>/<double> (a real Dst never reads complex data: ops
// that take complex promote to it, as numpy).
template <class Dst, class Fn>
void WithElements(const View& view, Fn&& fn) {
  constexpr bool kComplexDst = std::is_same_v<Dst, std::complex<double>> || std::is_same_v<Dst, std::complex<float>>;
  switch (view.dtype) {
    case Dtype::kFloat64:
      return fn(static_cast<const double*>(view.data));
    case Dtype::kFloat32:
      return fn(static_cast<const float*>(view.data));
    case Dtype::kComplex128:
      if constexpr (kComplexDst) return fn(static_cast<const std::complex<double>*>(view.data));
      break;
    case Dtype::kComplex64:
      if constexpr (kComplexDst) return fn(static_cast<const std::complex<float>*>(view.data));
      break;
    default:
      break;
  }
  throw InternalFailure("layout: cannot copy this dtype into the element type asked for");
}

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
