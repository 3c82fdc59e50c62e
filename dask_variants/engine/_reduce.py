"""One parallel pass over the row blocks: a statistic per block, merged in a tree.

The reduction engine every exact fit runs on. A pass is three functions:

* ``leaf(k, x, y, params) -> statistic``: runs once per non-empty block ``k``, on the
  in-memory block (``x`` a NumPy array, pandas frame or SciPy sparse matrix, ``y`` and
  the per-row parameters sliced alike), as one task on the active scheduler;
* ``merge(a, b) -> statistic``: associative; pairs of statistics are merged in a
  balanced tree, so the depth is ``log2(n_blocks)`` and no task holds more than two;
* the caller finishes once on the root (``None`` when every block was empty).

Each block is read once per pass, by the task that computes its leaf, on the worker
that holds it when a ``distributed.Client`` is active (the leaf goes to the data), and
is released as soon as its leaf is done: the statistics are the only state kept. The
leaves keep the order of the blocks (left to right), so a merge that is not commutative
(the last block's ``epsilon_`` of ``GaussianNB``) sees them in pass order.

:func:`run` is the one entry point: :mod:`._merge` (``partial_fit`` states) and
:mod:`._exact` (the ``exact`` namespace's rules) both build their passes on it.
"""
import uuid

from ..blocks import _blocks
from . import _source

__all__ = []


def _leaf_task(leaf, k, names, has_y, *values):
    """``leaf`` on block ``k``; ``None`` for an empty block (it holds nothing)."""
    x, y, params = _source.unpack(values, names, has_y)
    if not _blocks.n_rows(x):
        return None
    try:
        return leaf(k, x, y, params)
    except _source.BlockFailure:  # the leaf named the block and the stage itself
        raise
    except Exception as err:
        raise _source.BlockFailure(k, "fitting", err) from err


def _merge_task(merge, left, right):
    if left is None or right is None:  # empty blocks hold no state
        return right if left is None else left
    return merge(left, right)


def graph(source, leaf, merge, order=None, *, label="reduce"):
    """The task graph of one pass, and the key of its root.

    ``order`` lists the blocks left to right (all, in index order, by default).
    """
    from .._dask_compat import Task, TaskRef

    order = list(range(source.n)) if order is None else list(order)
    token = uuid.uuid4().hex[:16]
    dsk, level = {}, []
    for k in order:
        key = f"dask_variants-{label}-leaf-{token}-{k}"
        refs = [TaskRef(key_) for key_ in source.block_keys(k)]
        dsk[key] = Task(key, _leaf_task, leaf, k, source.names, source.has_y, *refs)
        level.append(key)
    depth = 0
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level) - 1, 2):
            key = f"dask_variants-{label}-merge-{token}-{depth}-{i}"
            dsk[key] = Task(key, _merge_task, merge, TaskRef(level[i]), TaskRef(level[i + 1]))
            nxt.append(key)
        if len(level) % 2:
            nxt.append(level[-1])
        level, depth = nxt, depth + 1
    keys = [key for k in order for key in source.block_keys(k)]
    dsk.update(source.graph(keys))
    return dsk, level[0]


def run(source, leaf, merge, *, est, method, order=None, label="reduce", stage=None,
        schedule=None, **kwargs):
    """Compute one pass on the active scheduler; the merged statistic, or ``None``.

    ``None`` means every block was empty; the caller says what that means for it
    (:func:`._source.no_rows_error`). A block that fails raises an error of its
    exception's type naming the block (and ``stage``, e.g. "pass 2", when given), its
    cause chained; nothing of ``est`` is touched. ``schedule`` and ``kwargs`` (a worker
    pool shared by several passes) default to the source's scheduler.
    """
    if not source.n:
        return None
    dsk, root = graph(source, leaf, merge, order, label=label)
    try:
        (stat,) = (schedule or source.schedule)(dsk, [root], **kwargs)
    except _source.BlockFailure as failure:
        err = failure.cause
        if failure.stage == "target":  # scikit-learn's own error on y, as it raised it
            raise err from None
        raise _error(est, method, failure.k, source, "fitting", err, stage) from err
    except Exception as err:
        k, cause = _source.failing_block(source, order or range(source.n), schedule,
                                         **kwargs)
        raise _error(est, method, k, source, "loading", cause or err, stage) from err
    return stat


def _error(est, method, k, source, what, err, stage):
    if stage is not None:
        what = f"{what} ({stage})"
    return _source.block_error(est, method, k, source.n, what, err)
