// The limit weft is measured against: the same operations on the same
// inputs, calling oneMKL directly from C++ — column-major data (LAPACK's own
// layout, so no transposes), outputs and workspaces preallocated, the
// LAPACKE *_work entry points (no NaN scans), MKL's TBB layer in
// oneTBB's default arena. Built by bench/build-raw.mjs against .deps/.
//
// usage: raw <op> <float64|float32> <n> [<n>...]
// prints one JSON line per n: {"op","dtype","n","nsPerCall","calls"}
//        raw stream <threads: 1 or 0 for all> <n> [<n>...]
// the memory-bandwidth limit of elementwise ops, STREAM-like over n
// doubles: triad a[i] = b[i] + s·c[i] and add c[i] = a[i] + b[i], each 24
// bytes per element moved (STREAM's count: write-allocate traffic not
// counted), on one thread or on all of them (tbb::parallel_for, static
// partitioning); one JSON line per kernel and n, with "gbPerSecond".
// Each figure is the median of 7 timed runs after a warm-up; a run repeats
// the call until it lasts ~30 ms, so small sizes are timed over many calls.
#include <mkl.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

// The generator bench/run.mjs uses too (lib/cli/demo/workloads.ts fillMatrix),
// so both sides factor the same matrices.
template <class T>
void Fill(std::vector<T>& data, uint32_t seed) {
  uint32_t s = seed * 2654435761u + 1u;
  for (auto& x : data) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<T>(static_cast<double>(s) / 2147483648.0 - 1.0);
  }
}

// Overloads, as in native/ops/lapack.h: the LAPACKE *_work entry points
// (no NaN scan, no hidden allocation), workspaces sized by a query and
// allocated once, outside the timed call.
void Gemm(int n, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
}
void Gemm(int n, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
}
int Geqrf(int n, double* a, double* tau, double* w, int lw) {
  return LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, n, n, a, n, tau, w, lw);
}
int Geqrf(int n, float* a, float* tau, float* w, int lw) {
  return LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, n, n, a, n, tau, w, lw);
}
int Orgqr(int n, double* a, const double* tau, double* w, int lw) {
  return LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, n, n, n, a, n, tau, w, lw);
}
int Orgqr(int n, float* a, const float* tau, float* w, int lw) {
  return LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, n, n, n, a, n, tau, w, lw);
}
int Gesdd(int n, double* a, double* s, double* u, double* vt, double* w, int lw, int* iw) {
  return LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'A', n, n, a, n, s, u, n, vt, n, w, lw, iw);
}
int Gesdd(int n, float* a, float* s, float* u, float* vt, float* w, int lw, int* iw) {
  return LAPACKE_sgesdd_work(LAPACK_COL_MAJOR, 'A', n, n, a, n, s, u, n, vt, n, w, lw, iw);
}
int Syevd(int n, double* a, double* e, double* w, int lw, int* iw, int liw) {
  return LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'L', n, a, n, e, w, lw, iw, liw);
}
int Syevd(int n, float* a, float* e, float* w, int lw, int* iw, int liw) {
  return LAPACKE_ssyevd_work(LAPACK_COL_MAJOR, 'V', 'L', n, a, n, e, w, lw, iw, liw);
}
int Gesv(int n, double* a, int* ipiv, double* b) {
  return LAPACKE_dgesv_work(LAPACK_COL_MAJOR, n, 1, a, n, ipiv, b, n);
}
int Gesv(int n, float* a, int* ipiv, float* b) { return LAPACKE_sgesv_work(LAPACK_COL_MAJOR, n, 1, a, n, ipiv, b, n); }
int Potrf(int n, double* a) { return LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, a, n); }
int Potrf(int n, float* a) { return LAPACKE_spotrf_work(LAPACK_COL_MAJOR, 'L', n, a, n); }
int Getrf(int n, double* a, int* ipiv) { return LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n, n, a, n, ipiv); }
int Getrf(int n, float* a, int* ipiv) { return LAPACKE_sgetrf_work(LAPACK_COL_MAJOR, n, n, a, n, ipiv); }
int Getri(int n, double* a, const int* ipiv, double* w, int lw) {
  return LAPACKE_dgetri_work(LAPACK_COL_MAJOR, n, a, n, ipiv, w, lw);
}
int Getri(int n, float* a, const int* ipiv, float* w, int lw) {
  return LAPACKE_sgetri_work(LAPACK_COL_MAJOR, n, a, n, ipiv, w, lw);
}

// A workspace size LAPACK reported in a query.
template <class T>
int Size(T query) {
  return std::max(1, static_cast<int>(query + T(0.5)));
}

double Median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

// Median ns per call of `call`, repeated until a run lasts ~30 ms.
double Time(const std::function<void()>& call, int* calls_out) {
  using clock = std::chrono::steady_clock;
  call();  // warm-up: MKL's buffers and TBB's threads
  int calls = 1;
  for (;;) {
    const auto t0 = clock::now();
    for (int i = 0; i < calls; ++i) call();
    const double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
    if (ns > 30e6 || calls >= (1 << 20)) break;
    calls *= 2;
  }
  std::vector<double> runs;
  for (int r = 0; r < 7; ++r) {
    const auto t0 = clock::now();
    for (int i = 0; i < calls; ++i) call();
    runs.push_back(std::chrono::duration<double, std::nano>(clock::now() - t0).count() / calls);
  }
  *calls_out = calls;
  return Median(runs);
}

template <class T>
double Run(const std::string& op, int n, int* calls) {
  const size_t nn = static_cast<size_t>(n) * n;
  std::vector<T> a(nn), b(nn), c(nn), work(nn), u(nn), vt(nn), v(n), s(n);
  std::vector<int> ipiv(n);
  Fill(a, 1);
  Fill(b, 2);
  if (op == "eigh") {  // symmetric, as bench/run.mjs builds it
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) work[i + j * n] = (a[i + j * n] + a[j + i * n]) / 2;
    a = work;
  } else if (op == "cholesky") {  // symmetric positive definite: AᵀA + nI, formed in float64
    std::vector<double> ad(a.begin(), a.end()), spd(nn);
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, n, n, 1.0, ad.data(), n, ad.data(), n, 0.0, spd.data(), n);
    for (int i = 0; i < n; ++i) spd[i + i * static_cast<size_t>(n)] += n;
    a.assign(spd.begin(), spd.end());
  }
  std::function<void()> call;
  T query{};
  int iquery = 0;
  std::vector<T> lwork;
  std::vector<int> iwork;
  if (op == "matmul") {
    call = [&] { Gemm(n, a.data(), b.data(), c.data()); };
  } else if (op == "qr") {  // reduced Q and R; the input copy is part of the work
    Geqrf(n, work.data(), v.data(), &query, -1);
    int size = Size(query);
    Orgqr(n, work.data(), v.data(), &query, -1);
    lwork.resize(std::max(size, Size(query)));
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      Geqrf(n, work.data(), v.data(), lwork.data(), static_cast<int>(lwork.size()));
      std::memcpy(c.data(), work.data(), nn * sizeof(T));  // R stays readable beside Q
      Orgqr(n, work.data(), v.data(), lwork.data(), static_cast<int>(lwork.size()));
    };
  } else if (op == "svd") {
    iwork.resize(8 * static_cast<size_t>(n));
    Gesdd(n, work.data(), s.data(), u.data(), vt.data(), &query, -1, iwork.data());
    lwork.resize(Size(query));
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      Gesdd(n, work.data(), s.data(), u.data(), vt.data(), lwork.data(), static_cast<int>(lwork.size()), iwork.data());
    };
  } else if (op == "eigh") {
    Syevd(n, work.data(), v.data(), &query, -1, &iquery, -1);
    lwork.resize(Size(query));
    iwork.resize(std::max(1, iquery));
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      Syevd(n, work.data(), v.data(), lwork.data(), static_cast<int>(lwork.size()), iwork.data(),
            static_cast<int>(iwork.size()));
    };
  } else if (op == "solve") {
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      std::memcpy(v.data(), b.data(), n * sizeof(T));
      Gesv(n, work.data(), ipiv.data(), v.data());
    };
  } else if (op == "cholesky") {
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      Potrf(n, work.data());
    };
  } else if (op == "inv") {
    Getri(n, work.data(), ipiv.data(), &query, -1);
    lwork.resize(Size(query));
    call = [&] {
      std::memcpy(work.data(), a.data(), nn * sizeof(T));
      Getrf(n, work.data(), ipiv.data());
      Getri(n, work.data(), ipiv.data(), lwork.data(), static_cast<int>(lwork.size()));
    };
  } else {
    std::fprintf(stderr, "raw: unknown op %s\n", op.c_str());
    std::exit(2);
  }
  return Time(call, calls);
}

// STREAM's triad and add over n doubles, on `threads` threads (0: all).
void Stream(int threads, int64_t n) {
  std::vector<double> a(n, 1.0), b(n, 2.0), c(n, 0.5);
  const double scalar = 3.0;
  auto over = [&](auto body) {
    if (threads == 1) {
      body(int64_t{0}, n);
      return;
    }
    tbb::parallel_for(
        tbb::blocked_range<int64_t>(0, n, 1 << 16),
        [&](const tbb::blocked_range<int64_t>& r) { body(r.begin(), r.end()); }, tbb::static_partitioner());
  };
  const std::pair<const char*, std::function<void()>> kernels[] = {
      {"triad",
       [&] {
         over([&](int64_t lo, int64_t hi) {
           double* __restrict x = a.data();
           for (int64_t i = lo; i < hi; ++i) x[i] = b[i] + scalar * c[i];
         });
       }},
      {"add",
       [&] {
         over([&](int64_t lo, int64_t hi) {
           double* __restrict x = c.data();
           for (int64_t i = lo; i < hi; ++i) x[i] = a[i] + b[i];
         });
       }},
  };
  for (const auto& [name, call] : kernels) {
    int calls = 0;
    const double ns = Time(call, &calls);
    std::printf("{\"op\":\"%s\",\"threads\":%d,\"n\":%lld,\"nsPerCall\":%.1f,\"gbPerSecond\":%.2f,\"calls\":%d}\n",
                name, threads, static_cast<long long>(n), ns, 24.0 * static_cast<double>(n) / ns, calls);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: raw <op> <float64|float32> <n> [<n>...]\n");
    return 2;
  }
  mkl_set_threading_layer(MKL_THREADING_TBB);
  const std::string op = argv[1], dtype = argv[2];
  if (op == "stream") {
    const int threads = std::atoi(argv[2]);
    // One thread: no TBB workers at all, so none competes for the bus.
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                              threads > 0 ? threads : tbb::this_task_arena::max_concurrency());
    for (int i = 3; i < argc; ++i) Stream(threads, std::atoll(argv[i]));
    return 0;
  }
  for (int i = 3; i < argc; ++i) {
    const int n = std::atoi(argv[i]);
    int calls = 0;
    const double ns = dtype == "float32" ? Run<float>(op, n, &calls) : Run<double>(op, n, &calls);
    std::printf("{\"op\":\"%s\",\"dtype\":\"%s\",\"n\":%d,\"nsPerCall\":%.1f,\"calls\":%d}\n", op.c_str(),
                dtype.c_str(), n, ns, calls);
    std::fflush(stdout);
  }
  return 0;
}
