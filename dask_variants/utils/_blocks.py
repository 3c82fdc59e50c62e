"""Container dispatch, done once: dask arrays and dask DataFrames/Series, by row block.

Everything that asks "what kind of input is this?" lives here, so the mixins never repeat
``isinstance`` ladders. ``dask.dataframe`` is never imported by this module: an object can
only be a dask DataFrame if the user already imported it.
"""
import sys
import uuid

import dask
import dask.array as da
import numpy as np
from sklearn.utils import check_random_state

__all__ = []


def _dd():
    return sys.modules.get("dask.dataframe")


def container(obj):
    """Return ``"array"``, ``"frame"``, ``"series"`` or ``None`` (not a dask collection)."""
    if isinstance(obj, da.Array):
        return "array"
    dd = _dd()
    if dd is not None:
        if isinstance(obj, dd.DataFrame):
            return "frame"
        if isinstance(obj, dd.Series):
            return "series"
    return None


def is_dask(obj):
    """True for any dask collection (arrays, frames, but also bags and delayed)."""
    return dask.is_dask_collection(obj)


def as_rows(X):
    """Return ``X`` with one chunk along every axis but the first."""
    if isinstance(X, da.Array) and X.ndim > 1 and any(len(c) > 1 for c in X.chunks[1:]):
        return X.rechunk({i: -1 for i in range(1, X.ndim)})
    return X


def n_blocks(X):
    """Number of row blocks."""
    return X.numblocks[0] if isinstance(X, da.Array) else X.npartitions


def row_chunks(X):
    """Rows per block; ``nan`` where unknown (always, for dask DataFrames)."""
    if isinstance(X, da.Array):
        return X.chunks[0]
    return (np.nan,) * X.npartitions


def known(chunks):
    """True when every size in ``chunks`` is known."""
    return not any(np.isnan(c) for c in chunks)


def n_rows(part):
    """Rows of one computed block (numpy, pandas or scipy.sparse)."""
    return part.shape[0]


def concat(parts):
    """Computed row blocks stacked into one (numpy, pandas or scipy.sparse)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat(parts)
    import scipy.sparse

    if scipy.sparse.issparse(first):
        return scipy.sparse.vstack(parts, format=first.format)
    return np.concatenate(parts)


def block(X, k):
    """The lazy row block ``k`` of ``X``."""
    if isinstance(X, da.Array):
        return X.blocks[k]
    return X.partitions[k]


def select(X, indices):
    """The row blocks ``indices`` of ``X``, lazily, in that order."""
    indices = list(indices)
    if isinstance(X, da.Array):
        return X.blocks[indices]
    return X.partitions[indices]


def block_order(n_blocks, shuffle, random_state):
    """Return the order in which one pass visits ``n_blocks`` blocks.

    Parameters
    ----------
    n_blocks : int
    shuffle : bool
        ``False`` keeps the natural order.
    random_state : None, int or numpy.random.RandomState
        Seeds the permutation (see ``sklearn.utils.check_random_state``).

    Returns
    -------
    list of int
    """
    if not shuffle:
        return list(range(n_blocks))
    return [int(i) for i in check_random_state(random_state).permutation(n_blocks)]


def align(X, other, *, owner, what):
    """Return ``other`` as a collection whose row block ``k`` matches ``X``'s block ``k``.

    ``other`` is a per-row argument (``y``, ``sample_weight``...) given as a dask
    collection, or an in-memory array of ``len(X)`` rows when ``X``'s sizes are known.
    Array chunks are rechunked to ``X``'s; where sizes are unknown, the numbers of blocks
    must agree. Raises ``ValueError`` naming the sizes and the fix otherwise.
    """
    xc = row_chunks(X)
    kind = container(other)
    if kind is None:
        other_arr = np.asarray(other) if not hasattr(other, "iloc") else other
        n = other_arr.shape[0]
        if not known(xc):
            raise ValueError(
                f"{owner} cannot split {what} ({type(other).__name__} of {n} rows) along "
                f"X's blocks: X's block sizes are unknown ({len(xc)} blocks of nan rows). "
                f"Give {what} as a dask collection from the same frame as X, or call "
                "X.compute_chunk_sizes() first."
            )
        if n != sum(xc):
            raise ValueError(
                f"{owner}: {what} has {n} rows but X has {int(sum(xc))}. "
                f"Pass one value of {what} per row of X."
            )
        if hasattr(other_arr, "iloc"):
            other_arr = other_arr.to_numpy()
        chunks = (xc,) + tuple((s,) for s in other_arr.shape[1:])
        return da.from_array(other_arr, chunks=chunks)
    if kind in ("frame", "series") and isinstance(X, da.Array):
        other = other.to_dask_array()
    elif kind == "array" and not isinstance(X, da.Array):
        # a dask array beside a dask frame: blocks correspond by position
        pass
    oc = row_chunks(other)
    if isinstance(other, da.Array) and isinstance(X, da.Array):
        if known(xc) and known(oc):
            if sum(xc) != sum(oc):
                raise ValueError(
                    f"{owner}: {what} has {int(sum(oc))} rows but X has {int(sum(xc))}. "
                    f"Pass one value of {what} per row of X."
                )
            if oc != xc:
                other = other.rechunk({0: xc})
            return as_rows(other)
        if len(oc) == len(xc):
            return as_rows(other)
        raise ValueError(
            f"{owner} cannot align {what} with X: {what} has row chunks {oc!r}, X has "
            f"{xc!r}, and unknown (nan) sizes block rechunking. Call "
            f"{what}.compute_chunk_sizes() and X.compute_chunk_sizes(), or take X and "
            f"{what} from one frame."
        )
    if n_blocks(other) != n_blocks(X):
        raise ValueError(
            f"{owner} cannot align {what} with X: {what} has {n_blocks(other)} partitions, "
            f"X has {n_blocks(X)}, and their row counts are unknown. Take X and {what} "
            "from one frame (X = df[features]; y = df[target]) or repartition them alike."
        )
    return other


def estimator_ref(est):
    """A delayed handle on ``est``: one graph key shared by every block's task."""
    return dask.delayed(est, name=f"{type(est).__name__}-{uuid.uuid4().hex}", pure=False)


def compute_unique(y):
    """Sorted unique values of a dask array/Series ``y`` (2-D: a list, one per column)."""
    if isinstance(y, da.Array):
        if y.ndim == 2:
            cols = [da.unique(y[:, j]) for j in range(y.shape[1])]
            return list(dask.compute(*cols))
        return da.unique(y).compute()
    return np.sort(y.drop_duplicates().compute().to_numpy())


# --------------------------------------------------------------------------- apply


def _call(est, method):
    """The in-memory method: the scikit-learn base's for a variant, else the object's."""
    from ..mixins._base import VariantMixinBase

    if isinstance(est, VariantMixinBase):
        return getattr(super(VariantMixinBase, est), method)
    return getattr(est, method)


def _empty(spec):
    import scipy.sparse

    tail = tuple(0 if np.isnan(s) else int(s) for s in spec.tail)
    if spec.sparse:
        return scipy.sparse.csr_matrix((0,) + tail, dtype=spec.dtype or np.float64)
    return np.empty((0,) + tail, dtype=spec.dtype or np.float64)


def _cast(out, spec):
    import scipy.sparse

    if scipy.sparse.issparse(out):
        return out
    if isinstance(out, list) and spec.dtype == object:  # ragged rows, e.g. lists of terms
        ragged = np.empty(len(out), dtype=object)
        ragged[:] = out
        return ragged
    out = np.asarray(out)
    if spec.dtype is not None and out.dtype != spec.dtype:
        out = out.astype(spec.dtype)
    return out


def _check_output(out, spec, est, method, k):
    """Raise when block ``k``'s output does not have the width declared in the meta."""
    shape = getattr(out, "shape", None)
    if shape is None or spec.dtype == object and shape[1:] == ():
        return
    declared = tuple(spec.tail)
    got = tuple(shape[1:])
    if len(got) != len(declared) or any(
            not np.isnan(d) and d != g for d, g in zip(declared, got)):
        raise ValueError(
            f"{type(est).__name__}.{method} returned shape {shape!r} for "
            f"{'a row block' if k is None else f'row block {k}'}, "
            f"but its fitted attributes declare (n, {', '.join(map(str, declared))}) for "
            "the lazy result. The estimator's output does not follow its fitted "
            "attributes; compute X and call the scikit-learn method on it instead."
        )


def _method_block(block, est, method, params, spec, index, block_info=None):
    if block.shape[0] == 0:
        return _empty(spec)
    out = _call(est, method)(block, **params)
    if index is not None:
        out = out[index]
    out = _cast(out, spec)
    k = None if not block_info else block_info[0]["chunk-location"][0]
    _check_output(out, spec, est, method, k)
    return out


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
        out = _call(est, method)(part, **params)
        if index is not None:
            out = out[index]
        k = None if partition_info is None else partition_info["number"]
        _check_output(out, spec, est, method, k)
    if hasattr(out, "iloc"):
        out = out.copy()
        out.index = rows
        return out
    out = _cast(out, spec)
    if out.ndim == 1:
        return pd.Series(out, index=rows)
    columns = spec.columns if spec.columns is not None else range(out.shape[1])
    return pd.DataFrame(out, index=rows, columns=columns)


def _frame_meta(spec, index):
    import pandas as pd

    dtype = spec.dtype or np.float64
    if spec.tail == ():
        return pd.Series(np.empty(0, dtype=dtype), index=index)
    width = spec.tail[0]
    columns = spec.columns if spec.columns is not None else range(int(width))
    return pd.DataFrame(np.empty((0, len(columns)), dtype=dtype), index=index, columns=columns)


def _wants_frame(est, method):
    if method not in ("transform", "fit_transform"):
        return False
    from sklearn.utils._set_output import _get_output_config

    try:
        return _get_output_config("transform", est)["dense"] != "default"
    except Exception:
        return False


def any_dask(*values):
    """True when a value, or a value of a dict among them, is a dask collection."""
    for value in values:
        inner = value.values() if isinstance(value, dict) else (value,)
        if any(is_dask(v) for v in inner):
            return True
    return False


def apply(est, method, X, params=None, index=None):
    """Run ``est.method`` on every row block of dask ``X``, lazily, one task per block.

    Returns a dask array for array input and a dask DataFrame/Series (with ``X``'s index)
    for frame input; a list of them for multi-output ``predict_proba``. The output's
    dtype, shape and meta come from :func:`dask_variants.utils._meta.output_spec`.
    """
    from ._meta import output_spec

    params = params or {}
    X = as_rows(X)
    specs = output_spec(est, method, X)
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
    if isinstance(X, da.Array) and frame and spec.tail != () and not spec.sparse:
        return _array_to_frame(ref, method, X, params, spec, index)
    if isinstance(X, da.Array):
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
    return (_call(est, "score")(Xb, *args, **kwargs) if n else 0.0), n


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


#: in-memory fit parameters that hold one value per row
_PER_ROW = ("sample_weight",)
#: fit parameters that are never per-row, even as dask collections: computed once
_WHOLE = ("classes",)


def split_params(X, params, *, owner):
    """Split fit parameters into per-row ones and the rest.

    Dask collections are per-row (not yet aligned with ``X``: see
    :func:`._rows.co_partition`); so is an in-memory ``sample_weight``. ``classes``
    given as a dask collection (``da.unique(y)``, ``np.unique`` of a dask ``y``) is
    computed once. Returns ``(per_row, static)`` dictionaries.
    """
    per_row, static = {}, {}
    for name, value in params.items():
        if name in _WHOLE and is_dask(value):
            (value,) = dask.compute(value)
            static[name] = np.asarray(value)
        elif is_dask(value) or (name in _PER_ROW and value is not None and np.ndim(value) > 0):
            per_row[name] = value
        else:
            static[name] = value
    return per_row, static


def align_all(X, y, per_row, *, owner):
    """``X``, ``y`` and the per-row parameters with row block ``k`` the same rows in all."""
    from ._rows import co_partition

    X, aligned = co_partition(X, {"y": y, **per_row}, owner=owner)
    y = aligned.pop("y")
    return X, y, aligned
