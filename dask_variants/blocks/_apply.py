"""Lazy apply: an estimator's in-memory method on every row block, one task per block.

The output's dtype, shape and meta are declared before any block runs
(:func:`._meta.output_spec`); every block's output is checked against that declaration
when it is computed, and a mismatch names the estimator, the method and the block. Also
the blockwise ``score``: the base ``score`` of every block, combined by the rule of its
metric.
"""
import uuid

import dask
import dask.array as da
import numpy as np

from ._blocks import as_rows, block, container, estimator_ref, in_memory, known, n_blocks
from ._labels import frame_labels
from ._meta import output_spec

__all__ = []


def _empty(spec):
    import scipy.sparse

    tail = tuple(0 if np.isnan(s) else int(s) for s in spec.tail)
    if spec.sparse:
        return scipy.sparse.csr_matrix((0,) + tail, dtype=spec.dtype or np.float64)
    return np.empty((0,) + tail, dtype=spec.dtype or np.float64)


def _values(out, spec):
    """A list a method returned, as an array (ragged rows as objects); others as they are."""
    if not isinstance(out, list):
        return out
    if spec.dtype == object:  # ragged rows, e.g. lists of terms
        ragged = np.empty(len(out), dtype=object)
        ragged[:] = out
        return ragged
    return np.asarray(out)


def _cast(out, spec):
    import scipy.sparse

    if scipy.sparse.issparse(out):
        return out
    out = np.asarray(out)
    if spec.dtype is not None and out.dtype != spec.dtype:
        out = out.astype(spec.dtype)
    return out


def _check_output(out, spec, est, method, k):
    """Raise when block ``k``'s output breaks the meta declared for the lazy result.

    As dask's ``apply_and_enforce`` does for frames: the width (shape past the rows) must
    be the declared one, and the dtype must cast to the declared dtype within its kind
    (float64 to float32 is fine; floats to the integer labels of ``classes_`` are not).
    """
    shape = getattr(out, "shape", None)
    if shape is None or spec.dtype == object and shape[1:] == ():
        return
    where = "a row block" if k is None else f"row block {k}"
    declared = tuple(spec.tail)
    got = tuple(shape[1:])
    if len(got) != len(declared) or any(
            not np.isnan(d) and d != g for d, g in zip(declared, got)):
        raise ValueError(
            f"{type(est).__name__}.{method} returned shape {shape!r} for {where}, "
            f"but its fitted attributes declare (n, {', '.join(map(str, declared))}) for "
            "the lazy result. The estimator's output does not follow its fitted "
            "attributes; compute X and call the scikit-learn method on it instead."
        )
    dtype = getattr(out, "dtype", None)
    if (spec.dtype is not None and isinstance(dtype, np.dtype) and dtype != spec.dtype
            and not np.can_cast(dtype, spec.dtype, casting="same_kind")):
        raise ValueError(
            f"{type(est).__name__}.{method} returned dtype {dtype} for {where}, but its "
            f"fitted attributes declare {np.dtype(spec.dtype)} for the lazy result, and "
            f"{dtype} does not cast to it without changing its values. The estimator's "
            "output does not follow its fitted attributes; compute X and call the "
            "scikit-learn method on it instead."
        )


def _method_block(block, est, method, params, spec, index, block_info=None):
    if block.shape[0] == 0:
        return _empty(spec)
    out = in_memory(est, method)(block, **params)
    if index is not None:
        out = out[index]
    out = _values(out, spec)
    k = None if not block_info else block_info[0]["chunk-location"][0]
    _check_output(out, spec, est, method, k)
    return _cast(out, spec)


def _method_partition(part, est, method, params, spec, index, start=None,
                      partition_info=None):
    import pandas as pd

    if start is not None:  # an array block, wanted as a frame (set_output="pandas")
        rows = pd.RangeIndex(start, start + part.shape[0])
    else:
        rows = part.index
    if part.shape[0] == 0:
        out = _empty(spec)
    else:
        out = in_memory(est, method)(part, **params)
        if index is not None:
            out = out[index]
        out = _values(out, spec)
        k = None if partition_info is None else partition_info["number"]
        _check_output(out, spec, est, method, k)
    if hasattr(out, "iloc"):
        out = out.copy()
        out.index = rows
        if spec.dtypes is not None:  # columns declared object: pandas may infer str
            cast = {c: object for c, d in zip(out.columns, spec.dtypes)
                    if d == object and out[c].dtype != object}
            out = out.astype(cast) if cast else out
        return out
    out = _cast(out, spec)
    if out.ndim == 1:
        return pd.Series(out, index=rows, name=spec.name)
    columns = spec.columns if spec.columns is not None else range(out.shape[1])
    # object stays object (pandas would infer a string dtype per column)
    return pd.DataFrame(out, index=rows, columns=columns,
                        dtype=object if out.dtype == object else None)


def _frame_meta(spec, index):
    import pandas as pd

    dtype = spec.dtype or np.float64
    if spec.tail == ():
        return pd.Series(np.empty(0, dtype=dtype), index=index, name=spec.name)
    width = spec.tail[0]
    columns = spec.columns if spec.columns is not None else range(int(width))
    if spec.dtypes is not None:  # a pandas frame out, one dtype per column
        return pd.DataFrame({c: pd.Series([], dtype=d, index=index[:0] if index is not None
                                          else None) for c, d in zip(columns, spec.dtypes)},
                            index=index)
    return pd.DataFrame(np.empty((0, len(columns)), dtype=dtype), index=index, columns=columns)


def _wants_frame(est, method):
    if method not in ("transform", "fit_transform"):
        return False
    from .._sklearn_compat import _get_output_config

    # raises scikit-learn's ValueError for an output it does not support, as transform would
    return _get_output_config("transform", est)["dense"] != "default"


def apply(est, method, X, params=None, index=None):
    """Run ``est.method`` on every row block of dask ``X``, lazily, one task per block.

    Returns a dask array for array input and a dask DataFrame/Series (with ``X``'s index)
    for frame input; a list of them for multi-output ``predict_proba``. The output's
    dtype, shape and meta come from :func:`dask_variants.blocks._meta.output_spec`.
    """
    params = params or {}
    X = as_rows(X)
    specs = frame_labels(est, method, output_spec(est, method, X), X)
    ref = estimator_ref(est)
    if index is not None:  # one element of a tuple result, e.g. predict(return_std=True)
        return _apply_one(ref, method, X, params, specs, index)
    if isinstance(specs, list):
        return [_apply_one(ref, method, X, params, s, i) for i, s in enumerate(specs)]
    return _apply_one(ref, method, X, params, specs, None, frame=_wants_frame(est, method))


def apply_rows(est, method, X, params, *, owner):
    """:func:`apply`, with the per-row tuple some methods return on request.

    ``predict(X, return_std=True)`` gives a ``(mean, std)`` pair of lazy arrays;
    ``return_cov=True`` (an n x n matrix, not per-row) raises ``ValueError``.
    """
    if params.get("return_cov"):
        raise ValueError(
            f"{owner}(return_cov=True) is an n_samples x n_samples matrix, not a per-row "
            "output; call it on computed rows."
        )
    if params.get("return_std"):
        return apply(est, method, X, params, index=0), apply(est, method, X, params, index=1)
    return apply(est, method, X, params)


def _apply_one(ref, method, X, params, spec, index, frame=False):
    token = uuid.uuid4().hex
    array = container(X) == "array"
    if array and frame and spec.tail != () and not spec.sparse:
        return _array_to_frame(ref, method, X, params, spec, index)
    if array:
        # a width no fitted attribute tells (FunctionTransformer(func)) stays unknown: nan
        out_ndim = 1 + len(spec.tail)
        kwargs = dict(dtype=spec.dtype, meta=_empty(spec), name=f"{method}-{token}")
        chunks = (X.chunks[0],) + tuple((s if np.isnan(s) else int(s),) for s in spec.tail)
        if out_ndim < X.ndim:
            kwargs["drop_axis"] = list(range(out_ndim, X.ndim))
        elif out_ndim > X.ndim:
            kwargs["new_axis"] = list(range(X.ndim, out_ndim))
        return da.map_blocks(
            _method_block, X, ref, method, params, spec, index, chunks=chunks, **kwargs
        )
    if spec.sparse:
        parts = X.to_delayed()
        fn = dask.delayed(_method_block, pure=True)
        width = int(spec.tail[0])
        blocks = [
            da.from_delayed(fn(p, ref, method, params, spec, index), shape=(np.nan, width),
                            dtype=spec.dtype, meta=_empty(spec))
            for p in parts
        ]
        return da.concatenate(blocks, axis=0)
    if spec.tail and np.isnan(spec.tail[0]):
        raise NotImplementedError(
            f"{method} output width cannot be told from the fitted attributes; "
            "pass a dask array instead of a DataFrame."
        )
    meta = _frame_meta(spec, X._meta.index)
    return X.map_partitions(
        _method_partition, ref, method, params, spec, index, meta=meta,
        enforce_metadata=False, align_dataframes=False, token=f"{method}-{token}",
    )


def _array_to_frame(ref, method, X, params, spec, index):
    """``set_output(transform="pandas")`` on a dask array: a dask DataFrame, lazily."""
    import dask.dataframe as dd

    fn = dask.delayed(_method_partition, pure=True)
    starts = np.concatenate([[0], np.cumsum(X.chunks[0])[:-1]]) if known(X.chunks[0]) else None
    parts = [
        fn(b, ref, method, params, spec, index, int(starts[k]) if starts is not None else 0)
        for k, b in enumerate(X.to_delayed().ravel())
    ]
    meta = _frame_meta(spec, None)
    return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _score_block(Xb, yb, wb, est):
    kwargs = {} if wb is None else {"sample_weight": wb}
    args = () if yb is None else (yb,)
    n = Xb.shape[0]
    return (in_memory(est, "score")(Xb, *args, **kwargs) if n else 0.0), n


def reduce_scores(est, X, y, sample_weight, rule):
    """Combine the base ``score`` of every block: their ``"sum"``, or ``"mean"`` by rows."""
    fn = dask.delayed(_score_block, pure=True)
    ref = estimator_ref(est)
    parts = [
        fn(block(X, k), None if y is None else block(y, k),
           None if sample_weight is None else block(sample_weight, k), ref)
        for k in range(n_blocks(X))
    ]
    results = dask.compute(*parts)
    if rule == "sum":
        return float(sum(s for s, _ in results))
    total = sum(n for _, n in results)
    return float(sum(s * n for s, n in results) / total)
