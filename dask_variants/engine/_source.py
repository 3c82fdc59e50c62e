"""Where the streaming engine's blocks come from, and what fitting one block means.

:class:`Source` turns ``X``, ``y`` and the per-row parameters (co-partitioned by
:func:`dask_variants.blocks._rows.co_partition`) into graph keys, block by block, and
loads any set of blocks with one scheduler call. :func:`fit_block` is the one
``partial_fit`` call every driver makes (local, distributed, merge, search), and
:class:`BlockFailure` / :func:`block_error` how a failing block is reported.

Imported by the drivers (:mod:`._local`, :mod:`._distributed`, :mod:`._merge`,
:mod:`._search_drivers`) and never importing them.
"""
import operator
import sys

import dask
import numpy as np
from dask.core import flatten

from ..blocks import _blocks
from . import _parquet_batch

__all__ = []

#: blocks smaller than this are loaded together, up to this many bytes per load (the
#: post-fit methods' batch size too)
_BATCH_BYTES = _blocks.BATCH_BYTES
#: never more blocks than this in one load
_MAX_BATCH = _blocks.MAX_BATCH


class BlockFailure(Exception):
    """Raised inside a task: block ``k`` failed while ``stage`` ("fitting", "loading", or
    "checking": the target check, whose error is raised as it is).

    Carries the original exception as ``cause`` (chaining does not survive pickling).
    """

    def __init__(self, k, stage, cause):
        super().__init__(k, stage, cause)
        self.k, self.stage, self.cause = k, stage, cause

    def __reduce__(self):
        return (BlockFailure, (self.k, self.stage, self.cause))


def block_error(est, method, k, n, stage, err):
    """An exception of ``err``'s type (when it can be built) naming block ``k``."""
    msg = (
        f"{type(est).__name__}.{method} failed while {stage} row block {k} of {n}: "
        f"{type(err).__name__}: {err}"
    )
    try:
        new = type(err)(msg)
    except Exception:  # noqa: BLE001 - a type whose constructor wants other arguments
        # (whatever it raises is about building it, not the block): the message, kept
        new = RuntimeError(msg)
    return new


def no_rows_error(est, method, n):
    """The error of a fit whose ``n`` row blocks are all empty."""
    return ValueError(
        f"{type(est).__name__}.{method} got no rows: all {n} row blocks of X are "
        "empty. Check the filter or the files that X was read from."
    )


def failing_block(source, blocks, schedule=None, **kwargs):
    """``(k, exception)``: the first block of ``blocks`` whose loading fails alone.

    Loads the blocks one at a time (after a load of several failed) to tell which one
    it was; ``(first block, None)`` when none fails alone.
    """
    blocks = list(blocks)
    for k in blocks:
        try:
            source.load([k], schedule, **kwargs)
        except Exception as err:  # any failure of the user's graph: that is the answer
            return k, err
    return (blocks[0] if blocks else 0), None


# --------------------------------------------------------------------------- blocks


class Source:
    """The row blocks of ``X``, ``y`` and the per-row parameters, as graph keys.

    The inputs must be co-partitioned (:func:`dask_variants.blocks._rows.co_partition`): block ``k``
    of each is the same rows. Block ``k`` of a collection is the key whose block index
    is ``k`` (``(name, k)`` or ``(name, k, 0)``), never the ``k``-th key of a list. The
    graph is optimised once, then :meth:`load` materialises any set of blocks with one
    scheduler call on the culled sub-graph.
    """

    def __init__(self, X, y, per_row):
        from dask.base import collections_to_expr, get_scheduler

        self.names = tuple(per_row)
        colls = [X] + ([] if y is None else [y]) + list(per_row.values())
        self.has_y = y is not None
        self.n = _blocks.n_blocks(X)
        self.schedule = get_scheduler(collections=colls)
        expr = collections_to_expr(colls).optimize()
        self.dsk = dict(expr.__dask_graph__())
        self.keys = [_by_block(coll_keys, self.n) for coll_keys in expr.__dask_keys__()]
        #: rows of each partition of a frame where known without reading one, else None
        self.lengths = (None if _blocks.container(X) == "array"
                        else _blocks.partition_lengths(X))
        #: bytes of each block where known without reading one, else None
        self.sizes = _blocks.block_bytes(X, lengths=self.lengths)
        self._self_contained = None

    def block_keys(self, k):
        """The graph keys of block ``k``: X's, then y's, then the per-row parameters'."""
        return [keys[k] for keys in self.keys]

    def graph(self, keys):
        """The culled sub-graph that computes ``keys``.

        Keys missing from the graph (data persisted on a cluster) are left out: the
        scheduler already holds them.
        """
        from dask.core import get_dependencies

        out, todo = {}, list(keys)
        while todo:
            key = todo.pop()
            if key in out or key not in self.dsk:
                continue
            node = out[key] = self.dsk[key]
            deps = getattr(node, "dependencies", None)
            todo.extend(get_dependencies(self.dsk, key) if deps is None else deps)
        return out

    def load(self, batch, schedule=None, **kwargs):
        """Materialise the blocks ``batch`` in one call: a list of ``(x, y, params)``."""
        keys = [key for k in batch for key in self.block_keys(k)]
        values = (schedule or self.schedule)(self.batch_graph(batch, keys), keys, **kwargs)
        return self._split(values, len(batch))

    def batch_graph(self, batch, keys):
        """The sub-graph computing ``keys`` of blocks ``batch``: culled, with the batch's
        small parquet partitions read in one call (``_parquet_batch``) where they are."""
        if self.lengths is not None and len(batch) > 1:
            graph = _parquet_batch.batch_graph(self.dsk, keys, len(self.keys),
                                               [self.lengths[k] for k in batch])
            if graph is not None:
                return graph
        return self.graph(keys)

    def load_in_process(self, batch):
        """:meth:`load`, computed by a worker process from the blocks' recipes.

        Only where :meth:`self_contained` holds (else a process would be sent the data,
        or compute what another one computes too).
        """
        from ..blocks import _processes

        keys = [key for k in batch for key in self.block_keys(k)]
        values = _processes.compute(_processes.Recipe(self.batch_graph(batch, keys), keys))
        return self._split(values, len(batch))

    def self_contained(self):
        """Whether every block has a recipe of its own (``_processes.recipes``)."""
        if self._self_contained is None:
            from ..blocks import _processes

            groups = [self.block_keys(k) for k in range(self.n)]
            self._self_contained = _processes.recipes(self.dsk, groups) is not None
        return self._self_contained

    def _split(self, values, n):
        width = len(self.keys)
        return [self.unpack(values[i * width:(i + 1) * width]) for i in range(n)]

    def unpack(self, values):
        """``(x, y, params)`` from one block's values in key order."""
        return unpack(values, self.names, self.has_y)

    def batches(self, orders):
        """Yield ``(pass_index, batch, ends_pass)``: blocks loaded by one scheduler call.

        Where each block's size is known without reading it (a dask array's row chunks;
        a DataFrame's partition lengths from ``from_pandas`` or parquet row-count
        metadata: :func:`dask_variants.blocks._blocks.block_bytes`), consecutive blocks
        of the order are batched up to ``_BATCH_BYTES`` (and ``_MAX_BATCH`` blocks), so
        small blocks do not pay a scheduler round trip each. Where it is not (unknown
        chunks, filtered or persisted frames), every block is loaded on its own: a
        block's size is only known once it is in memory, so batching by blocks seen so
        far could hold many large blocks at once after a small first one. Either way a
        batch holds at most ``max(_BATCH_BYTES, one block)`` bytes of ``X``.
        """
        for p, order in enumerate(orders):
            i = 0
            while i < len(order):
                size = self.batch_size(order, i)
                batch = order[i:i + size]
                i += len(batch)
                yield p, batch, i == len(order)

    def batch_size(self, order, i):
        """How many blocks of ``order`` from position ``i`` the next batch takes."""
        if self.sizes is None:
            return 1
        total, size = 0, 0
        for k in order[i:i + _MAX_BATCH]:
            total += self.sizes[k]
            if size and total > _BATCH_BYTES:
                break
            size += 1
        return size


def unpack(values, names, has_y):
    """``(x, y, params)`` from one block's values in :meth:`Source.block_keys` order.

    The one place that knows the order (X, then y when ``has_y``, then the per-row
    parameters ``names``): tasks that receive a block's values call it too.
    """
    x = values[0]
    y = values[1] if has_y else None
    rest = values[2:] if has_y else values[1:]
    return x, y, dict(zip(names, rest))


def task_failure(error, exc, blocks):
    """``(exception to raise, its cause)`` for a fit task on a cluster that failed.

    ``error(k, stage, cause)`` builds the message; ``exc`` is the task's exception;
    ``blocks`` lists ``(k, futures of block k)``. A :class:`BlockFailure` names its block;
    otherwise a block whose future failed was loading; otherwise the first block fitting.
    """
    if isinstance(exc, BlockFailure) and exc.stage == "checking":
        return exc.cause, None  # the target check's own error, naming no block
    if isinstance(exc, BlockFailure):
        return error(exc.k, exc.stage, exc.cause), exc.cause
    for k, futures in blocks:
        for future in futures:
            if getattr(future, "status", None) == "error":
                cause = future.exception()
                return error(k, "loading", cause), cause
    return error(blocks[0][0], "fitting", exc), exc


def _by_block(coll_keys, n):
    """A collection's keys ordered by their block index: the key of block k at k."""
    keys = list(flatten(coll_keys)) if isinstance(coll_keys, list) else [coll_keys]
    if len(keys) != n:
        raise ValueError(f"expected one key per row block ({n}), got {len(keys)}: {keys!r}")
    try:
        ordered = sorted(keys, key=operator.itemgetter(1))
        if [key[1] for key in ordered] != list(range(n)):
            raise TypeError
    except (TypeError, IndexError):
        raise ValueError(f"cannot tell the row block of the keys {keys!r}") from None
    return ordered


def pass_orders(n, passes, shuffle, random_state, blocks=None):
    """Yield the block order of every pass, drawn lazily from one random state."""
    rng = _blocks.check_random_state(random_state)
    pool = list(range(n)) if blocks is None else list(blocks)
    for _ in range(passes):
        yield [pool[i] for i in _blocks.block_order(len(pool), shuffle, rng)]


def client_of(schedule):
    """The ``distributed.Client`` behind ``schedule``, or ``None``.

    ``distributed`` is never imported here: a client can only be active if the user
    imported it already.
    """
    distributed = sys.modules.get("distributed")
    owner = getattr(schedule, "__self__", None)
    if distributed is None or owner is None:
        return None
    return owner if isinstance(owner, distributed.Client) else None


# --------------------------------------------------------------------------- fitting


def fit_block(step, xk, yk, pk, static):
    """One ``partial_fit`` call, with or without ``y``; False for an empty block (skipped).

    An empty block (a partition emptied by a filter) is skipped: scikit-learn's
    ``partial_fit`` refuses 0 samples, and it holds nothing to learn.
    """
    n = _blocks.n_rows(xk)
    for name, value in (("y", yk), *pk.items()):
        rows = getattr(value, "shape", (n,))[0] if value is not None else n
        if rows != n:
            raise ValueError(
                f"the block's X has {n} rows but its {name} has {rows}: X and {name} are "
                "not partitioned alike. Take them from one frame, or give dask arrays "
                "with known chunk sizes (compute_chunk_sizes()) so they can be aligned."
            )
    if not n:
        return False
    if yk is None:
        step(xk, **static, **pk)
    else:
        step(xk, yk, **static, **pk)
    return True


def prefetch_depth():
    """The ``dask_variants.prefetch`` config value, checked: a whole number >= 0."""
    from ..blocks._checks import is_whole

    depth = dask.config.get("dask_variants.prefetch")
    if not is_whole(depth, minimum=0):
        raise ValueError(
            f"dask_variants.prefetch must be a whole number >= 0 (blocks loaded ahead of "
            f"the one being fitted), got {depth!r}. Set it with "
            "dask.config.set({'dask_variants.prefetch': 2})."
        )
    return int(depth)


