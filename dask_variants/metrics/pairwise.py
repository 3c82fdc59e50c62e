"""Pairwise distances and kernels, block by block over the rows of a dask ``X``.

dask-ml's ``dask_ml.metrics.pairwise`` functions under the same names. Each function
is scikit-learn's when ``X`` is not a dask collection. When ``X`` is a dask array (or
DataFrame), the result is a lazy dask array with ``X``'s row blocks and one column
block: block ``i`` is scikit-learn's function on row block ``i`` of ``X`` against all
of ``Y``. ``Y`` (``X`` itself when ``Y`` is None) is therefore held whole by every task:
it must fit in memory, and a dask ``Y`` is computed once, as one block, inside the
graph (nothing is computed when the function is called). Parameters are checked, and
the output dtype found, by calling scikit-learn's function on one row of each input's
dtype.
"""
import functools
import inspect

import dask
import dask.array as da
import numpy as np
from sklearn.metrics import pairwise as _sk

from ..blocks._blocks import is_dask

__all__ = [
    "PAIRWISE_KERNEL_FUNCTIONS",
    "euclidean_distances",
    "linear_kernel",
    "pairwise_distances",
    "pairwise_distances_argmin_min",
    "pairwise_kernels",
    "polynomial_kernel",
    "rbf_kernel",
    "sigmoid_kernel",
]

#: distances whose value for a row against itself is exactly 0 in scikit-learn
_ZERO_DIAGONAL = {"euclidean_distances", "pairwise_distances"}


def _as_dask_array(X, func):
    if hasattr(X, "to_dask_array"):  # dask DataFrame, duck-typed
        X = X.to_dask_array()
    if not isinstance(X, da.Array):
        raise TypeError(
            f"{func}: X is a {type(X).__name__}, which has no row blocks. Pass a dask "
            "array or DataFrame, or an in-memory array."
        )
    if X.ndim != 2:
        raise ValueError(
            f"{func}: X must be 2-D, got a dask array of shape {X.shape!r}. Reshape it, "
            "e.g. X.reshape(-1, 1)."
        )
    return X.rechunk({1: -1}) if X.numblocks[1] != 1 else X


def _whole(Y):
    """``Y`` as a dask array of one block (computed once, inside the graph)."""
    if is_dask(Y):
        if hasattr(Y, "to_dask_array"):
            Y = Y.to_dask_array()
        return Y.rechunk(-1) if any(n != 1 for n in Y.numblocks) else Y
    return da.from_array(Y, chunks=Y.shape)


def _stand_in(a, dtype=None):
    """One row of ones with ``a``'s width and dtype, for checks before any compute."""
    dtype = getattr(a, "dtype", np.float64) if dtype is None else dtype
    width = a.shape[1] if len(a.shape) == 2 else 1
    return np.ones((1, width), dtype=dtype)


def _pairwise_block(X, Y, *rows, sk_func, keys, kwargs, zero_diagonal):
    """scikit-learn's ``sk_func`` on one row block of ``X`` against the whole ``Y``."""
    positions = rows[-1] if zero_diagonal else None
    per_row = dict(zip(keys, rows))
    out = sk_func(X, Y, **kwargs, **per_row)
    if zero_diagonal and len(X):
        out[np.arange(len(X)), positions] = 0.0  # as scikit-learn does when X is Y
    return out


def _rowwise(sk_func, per_row=()):
    """Wrap ``sk_func(X, Y=None, ...)`` to run block by block over a dask ``X``."""
    sig = inspect.signature(sk_func)
    name = sk_func.__name__

    @functools.wraps(sk_func)
    def func(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        for pname, param in sig.parameters.items():
            if param.kind is param.VAR_KEYWORD:
                arguments.update(arguments.pop(pname))
        X, Y = arguments.pop("X"), arguments.pop("Y", None)
        if not is_dask(X):
            return sk_func(*args, **kwargs)
        same = Y is None or Y is X
        X = _as_dask_array(X, name)
        if Y is not None and not is_dask(Y) and not hasattr(Y, "shape"):
            Y = np.asarray(Y)
        ref = X if Y is None else Y
        rows = {k: arguments.pop(k) for k in per_row if arguments.get(k) is not None}
        # scikit-learn's own parameter checks and output dtype, on one row of each
        stand_x = _stand_in(X)
        stand_rows = {k: np.ones((1, 1)) for k in rows}
        probe = dict(arguments)
        for k in ("Y_norm_squared",):
            if probe.get(k) is not None:
                probe[k] = np.ones((1, 1))
        meta = sk_func(stand_x, stand_x if Y is None else _stand_in(ref), **probe,
                       **stand_rows)
        dtype = np.asarray(meta).dtype
        n_cols = ref.shape[0]
        if np.isnan(n_cols):
            raise ValueError(
                f"{name}: the number of rows of Y is unknown (nan). Call "
                "Y.compute_chunk_sizes() or pass Y in memory."
            )
        Y_whole = _whole(ref)
        if Y_whole.ndim != 2:
            raise ValueError(f"{name}: Y must be 2-D, got shape {Y_whole.shape!r}.")
        args = [X, "ik", Y_whole, "jk"]
        for k, v in rows.items():
            args += [_rows_like(X, v, k, name), "i"]
        zero = name in _ZERO_DIAGONAL and same and _known(X) and (
            name == "euclidean_distances" or arguments.get("metric") in ("euclidean", "l2"))
        if zero:
            args += [da.arange(X.shape[0], chunks=X.chunks[0]), "i"]
        return da.blockwise(
            _pairwise_block, "ij", *args,
            concatenate=True, dtype=dtype, meta=np.empty((0, 0), dtype=dtype),
            sk_func=sk_func, keys=list(rows), kwargs=arguments, zero_diagonal=zero,
        )

    func.__doc__ = _doc(name)
    func.__module__ = __name__
    return func


def _known(X):
    return not any(np.isnan(c) for c in X.chunks[0])


def _rows_like(X, value, key, func):
    """A per-row argument of ``X`` (``X_norm_squared``) as a 1-D dask array like ``X``."""
    if is_dask(value):
        value = value.to_dask_array() if hasattr(value, "to_dask_array") else value
        value = value.reshape(-1)
        return value if value.chunks[0] == X.chunks[0] else value.rechunk({0: X.chunks[0]})
    value = np.asarray(value).reshape(-1)
    if not _known(X):
        raise ValueError(
            f"{func}: cannot split the in-memory {key} into X's row blocks, whose sizes "
            "are unknown (nan). Call X.compute_chunk_sizes() first."
        )
    return da.from_array(value, chunks=(X.chunks[0],))


def _doc(name):
    return f"""Compute scikit-learn's ``{name}``, block by block over a dask ``X``'s rows.

    Same parameters as :func:`sklearn.metrics.pairwise.{name}`. Without a dask ``X``
    this is scikit-learn's function. With a dask array or DataFrame ``X`` it returns a
    lazy dask array of shape (n_samples_X, n_samples_Y) with ``X``'s row blocks: each
    block is scikit-learn's function on that block of ``X`` against all of ``Y`` (or
    of ``X``), which must fit in memory (a dask ``Y`` is computed as one block inside
    the graph). See :mod:`dask_variants.metrics.pairwise`.

    Examples
    --------
    >>> import dask.array as da
    >>> from dask_variants.metrics import {name}
    >>> X = da.ones((4, 2), chunks=2)
    >>> {name}(X, X[:3].compute()).chunks
    ((2, 2), (3,))
    """


euclidean_distances = _rowwise(_sk.euclidean_distances, per_row=("X_norm_squared",))
pairwise_distances = _rowwise(_sk.pairwise_distances)
pairwise_kernels = _rowwise(_sk.pairwise_kernels)

#: kernel name -> blockwise kernel function, as ``sklearn.metrics.pairwise``'s
PAIRWISE_KERNEL_FUNCTIONS = {
    key: _rowwise(f) for key, f in _sk.PAIRWISE_KERNEL_FUNCTIONS.items()
}
linear_kernel = PAIRWISE_KERNEL_FUNCTIONS["linear"]
polynomial_kernel = PAIRWISE_KERNEL_FUNCTIONS["polynomial"]
rbf_kernel = PAIRWISE_KERNEL_FUNCTIONS["rbf"]
sigmoid_kernel = PAIRWISE_KERNEL_FUNCTIONS["sigmoid"]


def _argmin_min_block(X, Y, *, metric, metric_kwargs):
    idx, dist = _sk.pairwise_distances_argmin_min(
        X, Y, axis=1, metric=metric, metric_kwargs=metric_kwargs)
    return np.stack([idx.astype(np.float64), dist], axis=1) if len(X) else np.empty((0, 2))


def pairwise_distances_argmin_min(X, Y, *, axis=1, metric="euclidean", metric_kwargs=None):
    """Find, for each row of ``X``, the closest row of ``Y`` and its distance.

    Same parameters as :func:`sklearn.metrics.pairwise_distances_argmin_min`. With a
    dask ``X``, block by block over ``X``'s rows (``axis=1`` only; ``Y`` must fit in
    memory, as in :mod:`dask_variants.metrics.pairwise`).

    Returns
    -------
    argmin : int64 array (lazy dask array with a dask ``X``) of shape (n_samples_X,)
    distances : float array (lazy dask array with a dask ``X``) of shape (n_samples_X,)
    """
    if not is_dask(X):
        return _sk.pairwise_distances_argmin_min(
            X, Y, axis=axis, metric=metric, metric_kwargs=metric_kwargs)
    if axis != 1:
        raise ValueError(
            f"pairwise_distances_argmin_min: axis={axis!r} needs every row of X for each "
            "row of Y; with a dask X only axis=1 runs block by block. Swap X and Y, or "
            "compute X first."
        )
    X = _as_dask_array(X, "pairwise_distances_argmin_min")
    if not is_dask(Y) and not hasattr(Y, "shape"):
        Y = np.asarray(Y)
    _sk.pairwise_distances_argmin_min(_stand_in(X), _stand_in(Y), metric=metric,
                                      metric_kwargs=metric_kwargs)
    both = da.blockwise(_argmin_min_block, "ic", X, "ik", _whole(Y), "jk",
                        new_axes={"c": 2}, concatenate=True, dtype=np.float64,
                        meta=np.empty((0, 0)), metric=metric, metric_kwargs=metric_kwargs)
    return both[:, 0].astype(np.int64), both[:, 1]


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
