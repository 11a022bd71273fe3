// Copying views into the layouts BLAS/LAPACK want: strided to packed,
// row-major or column-major, converting the element type.
#pragma once

#include <cstdint>
#include <vector>

#include "view.h"

namespace weft {

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
