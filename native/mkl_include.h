// oneMKL's headers, with its complex types as std::complex: every file
// includes this instead of <mkl.h>, so that complex<double>/complex<float>
// pass to ?gemm, ?gesv, ?geev and the others without casts, and all
// translation units agree on the type (mkl_types.h reads the macros).
// Layout-compatible by the C++ standard: an array of two floating-point
// values, real then imaginary, as LAPACK's COMPLEX*16.
#pragma once

#include <complex>

#define MKL_Complex8 std::complex<float>
#define MKL_Complex16 std::complex<double>
#define lapack_complex_float std::complex<float>
#define lapack_complex_double std::complex<double>

#include <mkl.h>
