"""Lazy apply: an estimator's in-memory method on every row block.

Large blocks get one task each. Consecutive small blocks of a dask array with known
chunks are computed by one task, up to ``_blocks.BATCH_BYTES``: the method runs once on
their concatenation (a row method, and a blockwise score, holds for any split of the
rows into blocks) and its output is cut back into one block per input block by cheap
``getitem`` tasks, so the chunks are the input's. DataFrame partitions keep one task
each (``dd.from_delayed`` would re-infer string columns of the declared meta).

The output's dtype, shape and meta are declared before any block runs
(:func:`._meta.output_spec`); every block's output is checked against that declaration
when it is computed, and a mismatch names the estimator, the method and the block. Also
the blockwise ``score``: the base ``score`` of every block, combined by the rule of its
metric.
"""
import functools
import operator
import uuid

import dask
import dask.array as da
import numpy as np

from ._blocks import (
    as_rows, batch_ranges, block, block_bytes, concat, container, estimator_ref, in_memory,
    known, n_blocks, n_rows, partition_lengths,
)
from ._labels import frame_labels
from ._meta import output_spec
from ._processes import recipes, runner

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
    if k is None:
        where = "a row block"
    elif isinstance(k, tuple):  # blocks computed together
        where = f"row blocks {k[0]} to {k[1]}"
    else:
        where = f"row block {k}"
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


def _call(est, method, X, params, run):
    """``est.method(X, **params)``: in this thread, or by ``run`` (a ``_processes.Runner``)."""
    if run is None:
        return in_memory(est, method)(X, **params)
    return run(est, X, params)


def _method_block(block, est, method, params, spec, index, block_info=None, run=None):
    if block.shape[0] == 0:
        return _empty(spec)
    out = _call(est, method, block, params, run)
    k = None if not block_info else block_info[0]["chunk-location"][0]
    return _finish(out, est, method, spec, index, k)


def _finish(out, est, method, spec, index, k):
    if index is not None:
        out = out[index]
    out = _values(out, spec)
    _check_output(out, spec, est, method, k)
    return _cast(out, spec)


def _method_recipe(est, recipe, *, method, params, spec, index, k, rows, run):
    """:func:`_method_block` on block ``k`` (of ``rows[k]`` rows) given as its
    :class:`._processes.Recipe`.

    A worker process that runs the method computes the block itself; in this thread
    (the method releases the GIL, or a probe) the recipe is computed here.
    """
    if rows[k] == 0:
        return _empty(spec)
    out = _call(est, method, recipe if run is not None else recipe.compute(), params, run)
    return _finish(out, est, method, spec, index, k)


def _method_partition(part, est, method, params, spec, index, start=None,
                      partition_info=None, run=None):
    import pandas as pd

    if start is not None:  # an array block, wanted as a frame (set_output="pandas")
        rows = pd.RangeIndex(start, start + part.shape[0])
    else:
        rows = part.index
    if part.shape[0] == 0:
        out = _empty(spec)
    else:
        out = _call(est, method, part, params, run)
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


def _run_batch(parts, est, method, params, spec, index, first, run):
    """The method once on blocks ``first, first + 1, ...`` concatenated, checked and cast.

    Returns the output and the row bounds of each block in it, or ``None`` when the
    blocks hold no row.
    """
    lengths = [n_rows(p) for p in parts]
    if not sum(lengths):
        return None, None
    out = _call(est, method, concat(parts), params, run)
    if index is not None:
        out = out[index]
    out = _values(out, spec)
    _check_output(out, spec, est, method, (first, first + len(parts) - 1))
    return out, np.cumsum([0] + lengths)


def _method_batch(est, *parts, method, params, spec, index, first, run):
    """:func:`_method_block` for several array blocks in one task: a list of outputs."""
    out, bounds = _run_batch(parts, est, method, params, spec, index, first, run)
    if out is None:
        return [_empty(spec) for _ in parts]
    out = _cast(out, spec)
    return [out[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _batch_graph(fn, ref, keys, ranges, out_keys, batch_name, **static):
    """Tasks computing blocks ``a..b-1`` together for each range, then one per block.

    ``keys`` are the input's block keys in block order, ``out_keys`` the output's; the
    output key of block ``k`` takes element ``k - a`` of its range's task.
    """
    from .._dask_compat import Task, TaskRef

    dsk = {}
    for a, b in ranges:
        key = (batch_name, a)
        call = functools.partial(fn, first=a, **static)
        dsk[key] = Task(key, call, TaskRef(ref.key), *[TaskRef(k) for k in keys[a:b]])
        for k in range(a, b):
            dsk[out_keys[k]] = Task(out_keys[k], operator.getitem, TaskRef(key), k - a)
    return dsk


def _ranges(X):
    """Runs of blocks to compute together, or ``None`` when each goes alone."""
    sizes = block_bytes(X)
    if sizes is None:
        return None
    ranges = batch_ranges(sizes)
    return ranges if len(ranges) < len(sizes) else None


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
    run = runner(est, method)  # worker processes for a GIL-holding method, on threads
    if index is not None:  # one element of a tuple result, e.g. predict(return_std=True)
        return _apply_one(ref, method, X, params, specs, index, run=run)
    if isinstance(specs, list):
        return [_apply_one(ref, method, X, params, s, i, run=run)
                for i, s in enumerate(specs)]
    return _apply_one(ref, method, X, params, specs, None, frame=_wants_frame(est, method),
                      run=run)


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


def _apply_one(ref, method, X, params, spec, index, frame=False, run=None):
    token = uuid.uuid4().hex
    array = container(X) == "array"
    if array and frame and spec.tail != () and not spec.sparse:
        return _array_to_frame(ref, method, X, params, spec, index)
    if array:
        # a width no fitted attribute tells (FunctionTransformer(func)) stays unknown: nan
        out_ndim = 1 + len(spec.tail)
        kwargs = dict(dtype=spec.dtype, meta=_empty(spec), name=f"{method}-{token}")
        chunks = (X.chunks[0],) + tuple((s if np.isnan(s) else int(s),) for s in spec.tail)
        ranges = _ranges(X)
        if ranges is not None:
            return _batched_array(ref, method, X, params, spec, index, ranges, chunks,
                                  kwargs["name"], run)
        made = None if run is None else _recipes(X)
        if made is not None:
            return _recipe_array(ref, method, X, params, spec, index, made, chunks,
                                 kwargs["name"], run)
        if out_ndim < X.ndim:
            kwargs["drop_axis"] = list(range(out_ndim, X.ndim))
        elif out_ndim > X.ndim:
            kwargs["new_axis"] = list(range(X.ndim, out_ndim))
        return da.map_blocks(
            _method_block, X, ref, method, params, spec, index, chunks=chunks, run=run,
            **kwargs
        )
    if spec.sparse or len(spec.tail) > 1:
        # no frame holds it (sparse rows; ``apply``'s trees per row): a dask array whose
        # block k is partition k's rows. The partitions' lengths where dask knows them
        # unread (parquet metadata) give it known chunks, so a y taken from the same
        # files aligns with it even when dask's optimizer fuses y's narrower read
        parts = X.to_delayed()
        lengths = partition_lengths(X)
        if lengths is None or len(lengths) != len(parts):  # unknown, or fused by dask
            lengths = (np.nan,) * len(parts)
        fn = dask.delayed(_method_block, pure=True)
        tail = tuple(w if np.isnan(w) else int(w) for w in spec.tail)
        blocks = [
            da.from_delayed(fn(p, ref, method, params, spec, index), shape=(n, *tail),
                            dtype=spec.dtype, meta=_empty(spec))
            for p, n in zip(parts, lengths)
        ]
        return da.concatenate(blocks, axis=0)
    if spec.tail and np.isnan(spec.tail[0]):
        raise NotImplementedError(
            f"{method} output width cannot be told from the fitted attributes; "
            "pass a dask array instead of a DataFrame."
        )
    meta = _frame_meta(spec, X._meta.index)
    made = None if run is None else _recipes(X)
    if made is not None:
        return _recipe_frame(ref, method, X, params, spec, index, made, meta,
                             f"{method}-{token}", run)
    return X.map_partitions(
        _method_partition, ref, method, params, spec, index, run=run, meta=meta,
        enforce_metadata=False, align_dataframes=False, token=f"{method}-{token}",
    )


def _batched_array(ref, method, X, params, spec, index, ranges, chunks, name, run):
    """:func:`_apply_one` on an array whose small blocks are computed together."""
    from dask.highlevelgraph import HighLevelGraph

    from .._dask_compat import flatten

    keys = list(flatten(X.__dask_keys__()))
    tail = (0,) * (len(chunks) - 1)
    out_keys = [(name, k) + tail for k in range(len(keys))]
    dsk = _batch_graph(_method_batch, ref, keys, ranges, out_keys, f"{name}-batch",
                       method=method, params=params, spec=spec, index=index, run=run)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=[X, ref])
    return da.Array(graph, name, chunks=chunks, dtype=spec.dtype, meta=_empty(spec))


def _recipes(X):
    """A :class:`._processes.Recipe` for each row block of ``X`` (array or frame), or None.

    None when a block's size is not known unread for an array, when dask's optimizer
    would give ``X`` other blocks than it has (it may join small parquet files of a
    narrow selection), or when a block's sub-graph is not self-contained
    (:func:`._processes.recipes`: persisted or in-memory data, shared tasks).
    """
    from .._dask_compat import collections_to_expr, flatten

    sizes = block_bytes(X)
    if sizes is None and container(X) == "array":
        return None
    expr = collections_to_expr([X]).optimize()
    keys = list(flatten(expr.__dask_keys__()))
    if len(keys) != n_blocks(X):
        return None
    return recipes(dict(expr.__dask_graph__()), keys, nbytes=sizes)


def _recipe_graph(ref, name, made, call, tail=()):
    """The tasks ``call(est, recipe, k=k)`` of blocks ``k``, keyed ``(name, k) + tail``:
    each holds its block's recipe instead of depending on the input's keys, so a worker
    process running the method makes the block too (see ``_processes``)."""
    from dask.highlevelgraph import HighLevelGraph

    from .._dask_compat import Task, TaskRef

    dsk = {}
    for k, recipe in enumerate(made):
        key = (name, k) + tail
        dsk[key] = Task(key, functools.partial(call, k=k), TaskRef(ref.key), recipe)
    return HighLevelGraph.from_collections(name, dsk, dependencies=[ref]), list(dsk)


def _recipe_array(ref, method, X, params, spec, index, made, chunks, name, run):
    """:func:`_apply_one` on an array whose blocks go to the tasks as their recipes."""
    rows = X.chunks[0]
    call = functools.partial(_method_recipe, method=method, params=params, spec=spec,
                             index=index, rows=rows, run=run)
    graph, _ = _recipe_graph(ref, name, made, call, tail=(0,) * (len(chunks) - 1))
    return da.Array(graph, name, chunks=chunks, dtype=spec.dtype, meta=_empty(spec))


def _method_partition_recipe(est, recipe, *, method, params, spec, index, k, run):
    """:func:`_method_partition` on partition ``k`` given as its recipe: computed, and
    the method run, by a worker process, which sends back the finished output (with the
    partition's index); in this thread when the method turns out to release the GIL."""
    finish = functools.partial(_method_partition, method=method, params=params, spec=spec,
                               index=index, partition_info={"number": k})
    return run(est, recipe, params, finish=finish)


def _recipe_frame(ref, method, X, params, spec, index, made, meta, name, run):
    """:func:`_apply_one` on a frame whose partitions go to the tasks as their recipes:
    the same divisions, each partition made where the method runs."""
    import dask.dataframe as dd

    call = functools.partial(_method_partition_recipe, method=method, params=params,
                             spec=spec, index=index, run=run)
    graph, keys = _recipe_graph(ref, name, made, call)
    return dd.from_graph(dict(graph), meta, X.divisions, keys, method)


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
    """The base ``score`` of consecutive blocks (lists) concatenated, and their rows."""
    Xb = concat(Xb)
    kwargs = {} if wb is None else {"sample_weight": concat(wb)}
    args = () if yb is None else (concat(yb),)
    n = Xb.shape[0]
    return (in_memory(est, "score")(Xb, *args, **kwargs) if n else 0.0), n


def reduce_scores(est, X, y, sample_weight, rule):
    """Combine the base ``score`` of every block: their ``"sum"``, or ``"mean"`` by rows.

    Consecutive small blocks of known size are scored together (a ``"sum"`` or row
    ``"mean"`` holds for any split of the rows into blocks).
    """
    fn = dask.delayed(_score_block, pure=True)
    ref = estimator_ref(est)
    sizes = block_bytes(X)
    n = n_blocks(X)
    ranges = [(k, k + 1) for k in range(n)] if sizes is None else batch_ranges(sizes)

    def blocks(v, a, b):
        return None if v is None else [block(v, k) for k in range(a, b)]

    parts = [fn(blocks(X, a, b), blocks(y, a, b), blocks(sample_weight, a, b), ref)
             for a, b in ranges]
    results = dask.compute(*parts)
    if rule == "sum":
        return float(sum(s for s, _ in results))
    total = sum(n for _, n in results)
    return float(sum(s * n for s, n in results) / total)
