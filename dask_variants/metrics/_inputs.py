"""Row alignment of metric inputs and the blockwise partial-sum machinery.

A metric on dask input is split in two: a per-block function that turns one row
block of ``y_true``, ``y_pred`` and ``sample_weight`` into a small vector of partial
sums, and a ``finalize`` that combines the stacked vectors (one row per block) into the
score. :class:`Pending` holds both, lazily, so several metrics can share one
``dask.compute`` (and so one pass over the predictions).
"""

import dask
import dask.array as da
import numpy as np

from ..blocks import _blocks
from ..blocks._blocks import any_dask, is_dask

__all__ = ["any_dask"]


def _as_dask_array(value, name, func):
    """Turn a dask array/DataFrame/Series into a dask array; leave the rest as numpy."""
    if value is None:
        return None
    if is_dask(value):
        if hasattr(value, "to_dask_array"):  # dask DataFrame or Series, duck-typed
            return value.to_dask_array()
        if not hasattr(value, "chunks"):
            raise TypeError(
                f"{func}: {name} is a {type(value).__name__} ({value!r}), which has no "
                "row blocks. Pass a dask array or a dask DataFrame/Series, e.g. "
                "bag.to_dataframe() or da.from_delayed(...)."
            )
        return value
    return np.asarray(value)


def _co_partition_frames(func, values):
    """Frame-like inputs, and the dask arrays beside them, rebuilt on one partitioning.

    Views of one frame (``ddf["target"]`` and a prediction of ``ddf[features]``) may be
    partitioned differently once dask optimises each on its own; co-partitioned, their
    dask arrays have the same row blocks. Without a frame-like input nothing changes.
    """
    from ..blocks._rows import co_partition

    first = next((k for k, v in values.items()
                  if _blocks.container(v) in ("frame", "series")), None)
    if first is None:
        return values
    others = {k: v for k, v in values.items() if k != first and is_dask(v)}
    ref, others = co_partition(values[first], others, owner=func)
    return {k: ref if k == first else others.get(k, v) for k, v in values.items()}


def align_rows(func, **values):
    """Return ``values`` as dask arrays that share one row chunking.

    Parameters
    ----------
    func : str
        Name of the calling metric, for error messages.
    **values : array-like, dask collection or None
        Per-row inputs in priority order (the first dask array with known row
        chunks sets the chunking). ``None`` stays ``None``.

    Returns
    -------
    aligned : dict
        Same keys; dask arrays with one column chunk and aligned row blocks.
    """
    values = _co_partition_frames(func, values)
    arrays = {k: _as_dask_array(v, k, func) for k, v in values.items()}
    dask_ones = {k: v for k, v in arrays.items() if v is not None and is_dask(v)}
    for k, v in dask_ones.items():
        if v.ndim not in (1, 2):
            raise ValueError(
                f"{func}: {k} must be 1-D or 2-D, got a dask array of shape {v.shape!r}. "
                "Reshape it to (n_samples,) or (n_samples, n_outputs)."
            )
    known = [k for k, v in dask_ones.items() if _blocks.known(v.chunks[0])]
    ref_name = known[0] if known else next(iter(dask_ones))
    ref = dask_ones[ref_name]
    rows = ref.chunks[0]
    n_rows = sum(rows) if known else None
    out = {}
    for k, v in arrays.items():
        if v is None:
            out[k] = None
            continue
        if not is_dask(v):
            if n_rows is None:
                raise ValueError(
                    f"{func}: cannot split the in-memory {k} into the row blocks of "
                    f"{ref_name}, whose sizes are unknown ({rows!r}). Call "
                    f"{ref_name}.compute_chunk_sizes() first, or pass {k} as a dask "
                    f"collection partitioned like {ref_name}."
                )
            if v.ndim == 0 or v.shape[0] != n_rows:
                raise ValueError(
                    f"Found input variables with inconsistent numbers of samples: "
                    f"{k} has {v.shape[0] if v.ndim else 0!r} rows, {ref_name} has "
                    f"{n_rows!r}. Pass arrays with one entry per row."
                )
            v = da.from_array(v, chunks=(rows,) + v.shape[1:])
        elif _blocks.known(v.chunks[0]) and n_rows is not None:
            if v.shape[0] != n_rows:
                raise ValueError(
                    f"Found input variables with inconsistent numbers of samples: "
                    f"{k} has {v.shape[0]!r} rows, {ref_name} has {n_rows!r}. Pass "
                    "arrays with one entry per row."
                )
            if v.chunks[0] != rows:
                v = v.rechunk({0: rows})
        elif v.numblocks[0] != ref.numblocks[0]:
            raise ValueError(
                f"{func}: cannot align {k} (row chunks {v.chunks[0]!r}) with {ref_name} "
                f"(row chunks {rows!r}): unknown (nan) sizes block rechunking. Call "
                "compute_chunk_sizes() on both, or take them from one DataFrame."
            )
        if v.ndim == 2 and v.numblocks[1] != 1:
            v = v.rechunk({1: -1})
        out[k] = v
    return out


class Pending:
    """Lazy per-block partial sums of one metric plus the function finishing it.

    Parameters
    ----------
    func : str
        Metric name, for error messages.
    block_func : callable
        ``block_func(*blocks) -> 1-D numpy array`` of partial sums for one row block.
    arrays : list of dask arrays or None
        Aligned inputs; ``None`` entries are passed to ``block_func`` as ``None``.
    finalize : callable
        ``finalize(partials)`` with ``partials`` of shape (n_blocks, n_partials).
    """

    def __init__(self, func, block_func, arrays, finalize):
        present = [a for a in arrays if a is not None]
        n_blocks = present[0].numblocks[0]
        columns = [
            [None] * n_blocks if a is None else list(a.to_delayed(optimize_graph=False).ravel())
            for a in arrays
        ]
        # consecutive small blocks of known size in one task (partial sums hold for any
        # split of the rows), one block per task otherwise
        sizes = [_blocks.block_bytes(a) for a in present]
        if any(s is None for s in sizes):
            ranges = [(k, k + 1) for k in range(n_blocks)]
        else:
            ranges = _blocks.batch_ranges([sum(per) for per in zip(*sizes)])
        call = dask.delayed(_partial_block, pure=True)
        self.parts = [
            call(func, (a, b - 1), block_func, *[c[a:b] for c in columns])
            for a, b in ranges
        ]
        self.finalize = finalize


def _partial_block(func, index, block_func, *blocks):
    """Apply ``block_func`` to row blocks ``index`` (first, last) concatenated.

    Each of ``blocks`` is one input's list of blocks (or of ``None``); a failure names
    the blocks.
    """
    first, last = index
    for k, row in enumerate(zip(*blocks)):
        lengths = {len(b) for b in row if b is not None}
        if len(lengths) > 1:
            raise ValueError(
                f"{func}: row block {first + k} has {sorted(lengths)!r} rows across its "
                "inputs; they are not aligned. Call compute_chunk_sizes() so the inputs "
                "can be rechunked, or take them from one DataFrame."
            )
    joined = [None if parts[0] is None else _blocks.concat(parts) for parts in blocks]
    try:
        return np.asarray(block_func(*joined), dtype=np.float64)
    except (ValueError, TypeError) as err:
        if first == last:
            raise type(err)(f"{func} failed on row block {first}: {err}") from err
        failed = err
    for k, row in enumerate(zip(*blocks)):  # name the block that fails on its own
        try:
            block_func(*row)
        except (ValueError, TypeError) as err:
            raise type(err)(f"{func} failed on row block {first + k}: {err}") from err
    raise type(failed)(f"{func} failed on row blocks {first} to {last}: {failed}") from failed


def _finish(finalize, *parts):
    partials = np.vstack(parts) if parts else np.empty((0, 0))
    return np.asarray(finalize(partials), dtype=np.float64)


def as_lazy(pending, shape=()):
    """The result of one :class:`Pending` metric as a lazy dask array of ``shape``.

    ``()`` for a score, ``(n_outputs,)`` for ``multioutput="raw_values"``. Nothing is
    computed; ``.compute()`` gives what :func:`evaluate` would (as a NumPy value).
    """
    value = dask.delayed(_finish, pure=True)(pending.finalize, *pending.parts)
    return da.from_delayed(value, shape=shape, dtype=np.float64)


def result(pending, compute, shape=()):
    """``evaluate`` the metric (``compute=True``) or return it lazily (``False``)."""
    if compute:
        return evaluate([pending])[0]
    return as_lazy(pending, shape)


def evaluate(pendings):
    """Compute several :class:`Pending` metrics in one ``dask.compute`` call."""
    computed = dask.compute(*[p.parts for p in pendings])
    results = []
    for pending, parts in zip(pendings, computed):
        results.append(pending.finalize(np.vstack(parts) if parts else np.empty((0, 0))))
    return results


def column_sum(values, weight):
    """Sum ``values`` (n, k) over rows, weighted by ``weight`` (n,) or None."""
    if weight is None:
        return values.sum(axis=0)
    return weight @ values
