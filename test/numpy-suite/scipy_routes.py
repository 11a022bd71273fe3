"""numpy.linalg's functions on scipy.linalg in single precision: the evidence
for float32 deviations (`--weft-route scipy32`).

numpy.linalg computes float32 and complex64 input in double precision and
rounds the result; weft computes it in single precision, as LAPACK's s/c
routines do. A float32 check that weft fails is a deviation only where
LAPACK itself in single precision fails it too: these routes give float32
and complex64 calls to scipy.linalg (sgesv, sgeev, sgesdd, sgelsd, ...) on
the same input, kept in single precision, with numpy's signatures and
result shapes; any other call runs numpy itself. Stacks are looped here.
"""
import numpy as np
import scipy.linalg as sl
from numpy.linalg import _linalg

import routes

SINGLE = (np.float32, np.complex64)


def _single(*arrays):
    return all(np.asarray(a).dtype.type in SINGLE for a in arrays) and all(np.asarray(a).size for a in arrays)


def _numpy(name):
    return routes.ORIGINAL[name]


def _each(f, a, *rest):
    """f over the matrices of a stack (and of same-batch companions)."""
    a = np.asarray(a)
    batch = a.shape[:-2]
    if not batch:
        return f(a, *rest)
    rest = [np.broadcast_to(r, batch + r.shape[-2:]) if r.ndim > 2 else r for r in rest]
    results = [f(a[i], *[r[i] if r.ndim > 2 else r for r in rest]) for i in np.ndindex(batch)]
    if isinstance(results[0], tuple):
        return tuple(np.stack(parts).reshape(batch + np.shape(parts[0])) for parts in zip(*results))
    return np.stack(results).reshape(batch + np.shape(results[0]))


def _real_if_real(w):
    """numpy's eig: a real result when every imaginary part is zero."""
    return w.real.copy() if np.iscomplexobj(w) and not np.any(w.imag) else w


def solve(a, b):
    if not _single(a, b):
        return _numpy('solve')(a, b)
    if b.ndim == 1:
        return _each(lambda m: sl.solve(m, b), a)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    return _each(lambda m, r: sl.solve(m, r), a, b)


def inv(a):
    return _each(sl.inv, a) if _single(a) else _numpy('inv')(a)


def _lu_det(m):
    """(sign, logabsdet, det) from ?getrf in m's own precision, every step
    kept there (a Python int times complex64 would give complex128)."""
    lu, piv, _ = (sl.lapack.sgetrf if m.dtype == np.float32 else sl.lapack.cgetrf)(m)
    d = np.diagonal(lu)
    flip = m.dtype.type(-1 if np.count_nonzero(piv != np.arange(len(piv))) % 2 else 1)
    sign = flip * np.prod(d / np.abs(d).astype(m.dtype), dtype=m.dtype) if np.all(d) else m.dtype.type(0)
    logabsdet = np.sum(np.log(np.abs(d)), dtype=m.real.dtype)
    return m.dtype.type(sign), logabsdet, m.dtype.type(flip * np.prod(d, dtype=m.dtype))


def det(a):
    return _each(lambda m: _lu_det(m)[2], a) if _single(a) else _numpy('det')(a)


def slogdet(a):
    if not _single(a):
        return _numpy('slogdet')(a)
    sign, logdet = _each(lambda m: _lu_det(m)[:2], a)
    return _linalg.SlogdetResult(sign, logdet)


def eigvals(a):
    return _real_if_real(_each(lambda m: sl.eigvals(m), a)) if _single(a) else _numpy('eigvals')(a)


def eig(a):
    if not _single(a):
        return _numpy('eig')(a)
    w, v = _each(lambda m: sl.eig(m), a)
    real = not np.any(w.imag)
    return _linalg.EigResult(w.real.copy() if real else w, v.real.copy() if real else v)


def eigh(a, UPLO='L'):
    if not _single(a):
        return _numpy('eigh')(a, UPLO)
    w, v = _each(lambda m: sl.eigh(m, lower=UPLO in 'Ll', driver='evd'), a)
    return _linalg.EighResult(w, v)


def eigvalsh(a, UPLO='L'):
    if not _single(a):
        return _numpy('eigvalsh')(a, UPLO)
    return _each(lambda m: sl.eigh(m, lower=UPLO in 'Ll', driver='evd', eigvals_only=True), a)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    if not _single(a) or hermitian:
        return _numpy('svd')(a, full_matrices, compute_uv, hermitian)
    if not compute_uv:
        return _each(lambda m: sl.svd(m, compute_uv=False, lapack_driver='gesdd'), a)
    u, s, vh = _each(lambda m: sl.svd(m, full_matrices=full_matrices, lapack_driver='gesdd'), a)
    return _linalg.SVDResult(u, s, vh)


def pinv(a, rcond=None, hermitian=False, *, rtol=_linalg._NoValue):
    if not _single(a) or hermitian or rtol is not _linalg._NoValue:
        return _numpy('pinv')(a, rcond, hermitian, rtol=rtol)
    cut = 1e-15 if rcond is None else rcond
    return _each(lambda m: sl.pinv(m, atol=0, rtol=cut), a)


def lstsq(a, b, rcond=None):
    if not _single(a, b):
        return _numpy('lstsq')(a, b, rcond)
    m, n = a.shape
    eps = np.finfo(a.real.dtype).eps
    cond = eps * max(m, n) if rcond is None else (eps if rcond < 0 else rcond)
    x, res, rank, s = sl.lstsq(a, b, cond=cond, lapack_driver='gelsd')
    res = np.atleast_1d(np.asarray(res, dtype=a.real.dtype))
    return x, res, rank, s


def cholesky(a, /, *, upper=False):
    if not _single(a):
        return _numpy('cholesky')(a, upper=upper)
    return _each(lambda m: sl.cholesky(m, lower=not upper), a)


def qr(a, mode='reduced'):
    if not _single(a) or mode not in ('reduced', 'complete', 'r'):
        return _numpy('qr')(a, mode)
    if mode == 'r':
        k = min(a.shape[-2:])
        return _each(lambda m: sl.qr(m, mode='r')[0][:k], a)
    q, r = _each(lambda m: sl.qr(m, mode='economic' if mode == 'reduced' else 'full'), a)
    return _linalg.QRResult(q, r)


ROUTES = {
    'solve': solve, 'inv': inv, 'det': det, 'slogdet': slogdet, 'eigvals': eigvals, 'eig': eig,
    'eigh': eigh, 'eigvalsh': eigvalsh, 'svd': svd, 'pinv': pinv, 'lstsq': lstsq,
    'cholesky': cholesky, 'qr': qr,
}
