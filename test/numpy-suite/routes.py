"""numpy.linalg's functions, with numpy's signatures, routed to weft.

Each wrapper maps numpy's arguments to weft's (names, options), calls weft
through the bridge and gives back what numpy returns: arrays, scalars for
0-d results, numpy's named results (SVDResult, EigResult, ...), numpy's
subclass wrapping (`__array_wrap__` of the argument numpy wraps with).

An input of a dtype weft does not have (float16, longdouble, clongdouble,
object, ...) is not sent: the call runs numpy's own function and the
current test unit is told (`record.fallback`), which makes it
"unsupported" unless weft also ran in it.

`install(mode)` replaces the attributes of numpy.linalg; mode 'weft' routes
to weft, mode 'scipy32' routes float32/complex64 calls to scipy.linalg in
single precision (and the rest to numpy): the check that a float32
deviation of weft's is LAPACK's single precision and not weft's own.
"""
import functools
import inspect
import operator

import numpy as np
import numpy.linalg as npl
from numpy.linalg import _linalg

import weft_bridge

ORIGINAL = {}

# The dtypes weft has, or reads and converts (integers, bool).
SUPPORTED_KINDS = {'f': {4, 8}, 'c': {8, 16}, 'i': {1, 2, 4, 8}, 'u': {1, 2, 4, 8}, 'b': {1}}


class Record:
    """What the routed calls of the test unit now running did."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.weft = 0
        self.fallback = 0
        self.fallback_dtypes = set()
        # numpy's tolerance checks in this unit, in order: the largest
        # |actual - desired| each saw (None where it could not be taken).
        self.differences = []


record = Record()

# Off while pytest imports the test module: numpy's TestOuter checks outer in
# its class body, at import, where a failure would end the whole run; the
# plugin runs that body again as a unit of its own once collection is done.
live = False


def _supported(x):
    dt = x.dtype
    ok = dt.itemsize in SUPPORTED_KINDS.get(dt.kind, ())
    if not ok:
        record.fallback_dtypes.add(dt.name)
    return ok


def largest_difference(actual, desired):
    try:
        a = np.asarray(actual)
        d = np.asarray(desired)
        diff = np.abs(a.astype(np.complex128) - d.astype(np.complex128))
        both = np.isfinite(a) & np.isfinite(d)
        diff = diff[np.broadcast_to(both, diff.shape)]
        return float(diff.max()) if diff.size else 0.0
    except Exception:  # noqa: BLE001 - a measure, never a check
        return None


_checking = [0]


def recording(check):
    """numpy's tolerance check `check`, unchanged, its margin recorded (once:
    test_linalg's assert_almost_equal calls numpy's, both are wrapped)."""
    @functools.wraps(check)
    def recorded(actual, desired, *args, **kwargs):
        if not _checking[0]:
            record.differences.append(largest_difference(actual, desired))
        _checking[0] += 1
        try:
            return check(actual, desired, *args, **kwargs)
        finally:
            _checking[0] -= 1
    return recorded


def _scalar(x):
    """numpy returns a scalar where its result has no axes."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x[()]
    return x


def _wrap(source, result):
    """numpy's `wrap = getattr(a, '__array_wrap__', ...)` for subclass input."""
    if isinstance(source, np.ndarray) and type(source) is not np.ndarray and isinstance(result, np.ndarray):
        return source.__array_wrap__(result)
    return result


def _options(**kw):
    """weft's options from numpy's keyword arguments, those left at None unset."""
    return {k: v for k, v in kw.items() if v is not None}


def _as_array(x):
    """numpy's asarray for what is not an ndarray already (lists, scalars):
    weft gets arrays, never the nested lists numpy was given."""
    return x if isinstance(x, np.ndarray) else np.asarray(x)


def bind_arrays(signature, arrays, args, kwargs):
    """numpy's arguments bound to its signature, the array ones made arrays
    (an ndarray, of a subclass too, stays as given: numpy wraps results in
    its subclass); None when one of them has a dtype weft does not take."""
    bound = signature.bind(*args, **kwargs)
    for name in arrays:
        if name not in bound.arguments:
            continue
        value = bound.arguments[name]
        if name == 'arrays':
            value = [_as_array(v) for v in value]
            ok = all(_supported(v) for v in value)
        else:
            value = _as_array(value)
            ok = _supported(value)
        if not ok:
            return None
        bound.arguments[name] = value
    return bound


def routed(name, f, arrays):
    """The numpy function `name`, routed to `f` unless an input has a dtype weft lacks."""
    original = ORIGINAL.setdefault(name, getattr(npl, name))
    signature = inspect.signature(original)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if not live:
            return original(*args, **kwargs)
        bound = bind_arrays(signature, arrays, args, kwargs)
        if bound is None:
            record.fallback += 1
            return original(*args, **kwargs)
        record.weft += 1
        return f(*bound.args, **bound.kwargs)

    return wrapper


call = weft_bridge.call

ROUTES = {}


def route(name, arrays=('a',)):
    """Registers `f` as the weft route of numpy.linalg's `name`; `arrays`
    names its array parameters in numpy's signature."""
    def deco(f):
        ROUTES[name] = (f, arrays)
        return f
    return deco


@route('solve', ('a', 'b'))
def solve(a, b):
    return _wrap(b, call('linalg.solve', a, b))


@route('inv')
def inv(a):
    return _wrap(a, call('linalg.inv', a))


@route('det')
def det(a):
    return _scalar(call('linalg.det', a))


@route('slogdet')
def slogdet(a):
    r = call('linalg.slogdet', a)
    return _linalg.SlogdetResult(_scalar(r['sign']), _scalar(r['logabsdet']))


@route('eig')
def eig(a):
    r = call('linalg.eig', a)
    return _linalg.EigResult(r['eigenvalues'], _wrap(a, r['eigenvectors']))


@route('eigvals')
def eigvals(a):
    return call('linalg.eigvals', a)


@route('eigh')
def eigh(a, UPLO='L'):
    r = call('linalg.eigh', a, {'uplo': UPLO})
    return _linalg.EighResult(r['eigenvalues'], _wrap(a, r['eigenvectors']))


@route('eigvalsh')
def eigvalsh(a, UPLO='L'):
    return call('linalg.eigvalsh', a, {'uplo': UPLO})


@route('svd')
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    options = {'fullMatrices': bool(full_matrices), 'computeUV': bool(compute_uv)}
    if hermitian:
        options['hermitian'] = True
    r = call('linalg.svd', a, options)
    if not compute_uv:
        return r['S']
    return _linalg.SVDResult(_wrap(a, r['U']), r['S'], _wrap(a, r['Vh']))


@route('svdvals', ('x',))
def svdvals(x):
    return call('linalg.svdvals', x)


@route('cholesky')
def cholesky(a, /, *, upper=False):
    return _wrap(a, call('linalg.cholesky', a, {'upper': True} if upper else {}))


@route('qr')
def qr(a, mode='reduced'):
    r = call('linalg.qr', a, {'mode': mode})
    if mode == 'r':
        return _wrap(a, r['R'])
    if mode == 'raw':
        return _wrap(a, r['h']), r['tau']
    return _linalg.QRResult(_wrap(a, r['Q']), _wrap(a, r['R']))


@route('lstsq', ('a', 'b'))
def lstsq(a, b, rcond=None):
    r = call('linalg.lstsq', a, b, _options(rcond=rcond))
    return _wrap(b, r['x']), _wrap(b, r['residuals']), r['rank'], r['s']


_NO_VALUE = _linalg._NoValue


@route('pinv')
def pinv(a, rcond=None, hermitian=False, *, rtol=_NO_VALUE):
    options = _options(rcond=rcond)
    if rtol is not _NO_VALUE:
        options['rtol'] = rtol  # None too: numpy's max(m, n)·eps
    if hermitian:
        options['hermitian'] = True
    return _wrap(a, call('linalg.pinv', a, options))


@route('matrix_rank', ('A',))
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    options = _options(tol=tol, rtol=rtol)
    if hermitian:
        options['hermitian'] = True
    return _scalar(call('linalg.matrixRank', A, options))


def _axis(axis):
    if isinstance(axis, (tuple, list)):
        return [operator.index(v) for v in axis]
    return axis


@route('norm', ('x',))
def norm(x, ord=None, axis=None, keepdims=False):
    options = _options(ord=ord, axis=_axis(axis))
    if keepdims:
        options['keepdims'] = True
    return _scalar(call('linalg.norm', x, options))


@route('cond', ('x',))
def cond(x, p=None):
    return _scalar(call('linalg.cond', x, _options(p=p)))


@route('matrix_power')
def matrix_power(a, n):
    return call('linalg.matrixPower', a, n)


@route('multi_dot', ('arrays',))
def multi_dot(arrays, *, out=None):
    if out is not None:
        return _scalar(call('linalg.multiDot', list(arrays), {'out': weft_bridge.Out(out)}))
    return _scalar(call('linalg.multiDot', list(arrays)))


@route('matmul', ('x1', 'x2'))
def matmul(x1, x2, /):
    return _scalar(call('linalg.matmul', x1, x2))


@route('outer', ('x1', 'x2'))
def outer(x1, x2, /):
    return call('linalg.outer', x1, x2)


@route('cross', ('x1', 'x2'))
def cross(x1, x2, /, *, axis=-1):
    return call('linalg.cross', x1, x2, {'axis': axis})


@route('diagonal', ('x',))
def diagonal(x, /, *, offset=0):
    return call('linalg.diagonal', x, {'offset': offset})


@route('trace', ('x',))
def trace(x, /, *, offset=0, dtype=None):
    if dtype is not None:
        raise NotImplementedError('bridge: trace(dtype=...) is not routed')
    return _scalar(call('linalg.trace', x, {'offset': offset}))


@route('tensordot', ('x1', 'x2'))
def tensordot(x1, x2, /, *, axes=2):
    return _scalar(call('linalg.tensordot', x1, x2, {'axes': axes}))


@route('tensorinv')
def tensorinv(a, ind=2):
    return call('linalg.tensorinv', a, {'ind': ind})


@route('tensorsolve', ('a', 'b'))
def tensorsolve(a, b, axes=None):
    return call('linalg.tensorsolve', a, b, _options(axes=_axis(axes)))


@route('matrix_transpose', ('x',))
def matrix_transpose(x, /):
    return call('linalg.matrixTranspose', x)


@route('matrix_norm', ('x',))
def matrix_norm(x, /, *, keepdims=False, ord='fro'):
    options = {'ord': ord}
    if keepdims:
        options['keepdims'] = True
    return _scalar(call('linalg.matrixNorm', x, options))


@route('vector_norm', ('x',))
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    options = _options(axis=_axis(axis), ord=ord)
    if keepdims:
        options['keepdims'] = True
    return _scalar(call('linalg.vectorNorm', x, options))


def install(mode='weft'):
    """Replaces numpy.linalg's functions; must run before the tests import them."""
    if mode == 'weft':
        targets = {name: f for name, (f, _) in ROUTES.items()}
    elif mode == 'scipy32':
        import scipy_routes
        targets = scipy_routes.ROUTES
    else:
        raise ValueError(f'unknown route mode {mode!r}')
    for name, (_, arrays) in ROUTES.items():
        if name in targets:
            setattr(npl, name, routed(name, targets[name], arrays))
