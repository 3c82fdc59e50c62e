"""The streaming engine: pass row blocks through ``partial_fit`` with bounded memory.

``stream(est, X, y, per_row, static, passes=..., ...)`` fits ``est`` (a private copy the
caller swaps in on success) block by block. Everything about how blocks are loaded and
where the model runs lives here, so the mixin stays a thin front:

* The graph of ``X``, ``y`` and the per-row parameters is optimised once; each block is
  then a handful of graph keys, loaded on the active dask scheduler.
* Loading runs ahead of fitting in ``dask_variants.prefetch`` loader threads: while
  block ``k`` is fitted, at most ``prefetch`` later loads are running or held. Small blocks
  are loaded in batches of up to ``_BATCH_BYTES`` (a batch counts as one block for the
  bound), so they do not pay a scheduler round trip each.
* With a ``distributed.Client`` as the active scheduler, :mod:`._distributed` runs every
  ``partial_fit`` as a task next to its block instead: the model travels, the data does
  not.

Blocks are always fitted in the order drawn by :func:`utils._blocks.block_order`, so the
fitted model is the same on every scheduler.
"""
import collections
import contextlib
import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import dask
import numpy as np
from dask.core import flatten

from . import _progress
from .utils import _blocks
from .utils._state import adopt

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = []

#: blocks smaller than this are loaded together, up to this many bytes per load
_BATCH_BYTES = 4 * 2**20
#: never more blocks than this in one load
_MAX_BATCH = 256


class BlockFailure(Exception):
    """Raised inside a task: block ``k`` failed while ``stage`` ("fitting"/"loading").

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
    except Exception:
        new = RuntimeError(msg)
    return new


# --------------------------------------------------------------------------- blocks


class Source:
    """The row blocks of ``X``, ``y`` and the per-row parameters, as graph keys.

    The inputs must be co-partitioned (:func:`utils._rows.co_partition`): block ``k``
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
        #: bytes of each block where X's row chunks tell them, else None
        self.sizes = _block_bytes(X)

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
        values = (schedule or self.schedule)(self.graph(keys), keys, **kwargs)
        width = len(self.keys)
        return [self.unpack(values[i * width:(i + 1) * width]) for i in range(len(batch))]

    def unpack(self, values):
        """``(x, y, params)`` from one block's values in key order."""
        x = values[0]
        y = values[1] if self.has_y else None
        rest = values[2:] if self.has_y else values[1:]
        return x, y, dict(zip(self.names, rest))

    def batches(self, orders):
        """Yield ``(pass_index, batch, ends_pass)``: blocks loaded by one scheduler call.

        Where X's row chunks tell each block's size, consecutive blocks of the order are
        batched up to ``_BATCH_BYTES`` (and ``_MAX_BATCH`` blocks), so small blocks do
        not pay a scheduler round trip each. Where they do not (DataFrames, unknown
        chunks), every block is loaded on its own: a block's size is only known once it
        is in memory, so batching by blocks seen so far could hold many large blocks at
        once after a small first one. Either way a batch holds at most
        ``max(_BATCH_BYTES, one block)`` bytes.
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


def _by_block(coll_keys, n):
    """A collection's keys ordered by their block index: the key of block k at k."""
    keys = list(flatten(coll_keys)) if isinstance(coll_keys, list) else [coll_keys]
    if len(keys) != n:
        raise ValueError(f"expected one key per row block ({n}), got {len(keys)}: {keys!r}")
    try:
        ordered = sorted(keys, key=lambda key: key[1])
        if [key[1] for key in ordered] != list(range(n)):
            raise TypeError
    except (TypeError, IndexError):
        raise ValueError(f"cannot tell the row block of the keys {keys!r}") from None
    return ordered


def _block_bytes(X):
    """Bytes of every row block of a dask array with known chunks, else ``None``."""
    chunks = _blocks.row_chunks(X)
    if not hasattr(X, "chunks") or not _blocks.known(chunks) or not chunks:
        return None
    per_row = int(np.prod([sum(c) for c in X.chunks[1:]])) * X.dtype.itemsize
    return [max(1, int(rows) * per_row) for rows in chunks]


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


def stream(est, X, y, per_row, static, *, passes, shuffle, random_state, method,
           blocks=None, on_pass=None):
    """Make ``passes`` passes over ``X``'s row blocks, calling the base ``partial_fit``.

    Parameters
    ----------
    est : variant instance
        Modified in place.
    X, y : dask collections with aligned row blocks (``y`` may be None)
    per_row : dict of aligned dask collections, passed block by block
    static : dict of parameters passed unchanged to every call
    passes : int
    shuffle : bool
    random_state : None, int or RandomState
        Seeds the block order of every pass.
    method : str
        The public method being run, for messages.
    blocks : sequence of int, default=None
        The blocks each pass visits (all by default), e.g. all but a held-out share.
    on_pass : callable, default=None
        ``on_pass(pass_index, model, blocks_seen) -> bool`` after every pass, with the
        model fitted so far; returning True stops early.

    Returns
    -------
    est
    """
    source = Source(X, y, per_row)
    n_train = source.n if blocks is None else len(blocks)
    orders = pass_orders(source.n, passes, shuffle, random_state, blocks)
    ctx = _Context(est, method, source, static, on_pass, passes * n_train)
    client = client_of(source.schedule)
    with ctx.bar:
        if client is not None:
            from . import _distributed

            model = _distributed.run(client, ctx, orders)
            adopt(est, model)
        else:
            _run_local(ctx, orders)
            if ctx.seen and ctx.empty == ctx.seen:
                raise ValueError(
                    f"{ctx.name}.{method} got no rows: all {source.n} row blocks of X are "
                    "empty. Check the filter or the files that X was read from."
                )
    return est


def prefetch_depth():
    """The ``dask_variants.prefetch`` config value, checked: a whole number >= 0."""
    from .utils.validation import is_whole

    depth = dask.config.get("dask_variants.prefetch")
    if not is_whole(depth, minimum=0):
        raise ValueError(
            f"dask_variants.prefetch must be a whole number >= 0 (blocks loaded ahead of "
            f"the one being fitted), got {depth!r}. Set it with "
            "dask.config.set({'dask_variants.prefetch': 2})."
        )
    return int(depth)


class _Context:
    """What every runner needs: the model, the blocks, messages, progress, callbacks."""

    def __init__(self, est, method, source, static, on_pass, total):
        self.est, self.method, self.source = est, method, source
        self.static, self.on_pass = static, on_pass
        self.name = type(est).__name__
        self.seen = 0
        self.empty = 0  # empty blocks skipped (counted in the DEBUG log)
        self.depth = prefetch_depth()
        self.bar = _progress.bar(total, f"{self.name}.{method}")

    def error(self, k, stage, err):
        return block_error(self.est, self.method, k, self.source.n, stage, err)

    def end_pass(self, p, model):
        """Report the pass; True when the callback asks to stop."""
        self.bar.set_postfix_str(f"epoch {p + 1}")
        if self.on_pass is None:
            return False
        return bool(self.on_pass(p, model, self.seen))


def _run_local(ctx, orders):
    """Fit in this thread; load ahead in ``prefetch`` threads on the active scheduler."""
    source, est = ctx.source, ctx.est
    step = _blocks._call(est, "partial_fit")
    with contextlib.ExitStack() as stack:
        schedule, kwargs = _local_scheduler(source.schedule, stack)
        inline = ctx.depth == 0 or schedule is dask.local.get_sync
        pool = None
        if not inline:
            pool = ThreadPoolExecutor(ctx.depth, thread_name_prefix="dask_variants-load")
            stack.callback(pool.shutdown, wait=False, cancel_futures=True)

        def load(batch):
            t0 = time.perf_counter()
            return source.load(batch, schedule, **kwargs), time.perf_counter() - t0

        items = source.batches(orders)
        pending = collections.deque()

        def refill():
            while len(pending) < ctx.depth + 1:
                item = next(items, None)
                if item is None:
                    return
                pending.append((item, None if inline else pool.submit(load, item[1])))

        refill()
        while pending:
            (p, batch, ends_pass), fut = pending.popleft()
            t_wait = time.perf_counter()
            try:
                loaded, t_load = load(batch) if fut is None else fut.result()
            except Exception as err:
                k, cause = _find_failing_block(source, batch, schedule, kwargs, err)
                raise ctx.error(k, "loading", cause) from cause
            waited = time.perf_counter() - t_wait
            for k, (xk, yk, pk) in zip(batch, loaded):
                t0 = time.perf_counter()
                try:
                    fitted = fit_block(step, xk, yk, pk, ctx.static)
                except Exception as err:
                    raise ctx.error(k, "fitting", err) from err
                ctx.seen += 1
                ctx.empty += not fitted
                ctx.bar.update(1)
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug(
                        "%s.%s block %d: loaded in %.4fs (batch of %d, waited %.4fs), "
                        "%s in %.4fs", ctx.name, ctx.method, k, t_load, len(batch), waited,
                        "fitted" if fitted else "empty, skipped", time.perf_counter() - t0,
                    )
            del loaded, xk, yk, pk
            if ends_pass and ctx.end_pass(p, est):
                return
            refill()


def _local_scheduler(schedule, stack):
    """The scheduler to load with, and its keywords: one worker pool for the whole call.

    Every loader thread shares it, so no more than the scheduler's number of workers
    compute blocks at once (dask would otherwise give each loader thread a pool), and
    the process scheduler does not start a new pool for every load.
    """
    import dask.multiprocessing
    import dask.threaded

    if dask.config.get("pool", None) is not None:
        return schedule, {}
    if schedule is dask.threaded.get:
        from dask.system import CPU_COUNT

        pool = ThreadPoolExecutor(dask.config.get("num_workers", None) or CPU_COUNT,
                                  thread_name_prefix="dask_variants-compute")
        stack.callback(pool.shutdown, wait=False)
        return schedule, {"pool": pool}
    if schedule is dask.multiprocessing.get:
        pool = _process_pool()
        stack.callback(pool.shutdown)
        return schedule, {"pool": pool}
    return schedule, {}


def _process_pool():
    """A process pool like the one dask's process scheduler builds for each compute."""
    import functools
    import os
    from concurrent.futures import ProcessPoolExecutor

    from dask.multiprocessing import get_context, initialize_worker_process
    from dask.system import CPU_COUNT

    if os.environ.get("PYTHONHASHSEED") in (None, "0"):
        os.environ["PYTHONHASHSEED"] = "6640"  # as dask does: stable hashing in workers
    workers = dask.config.get("num_workers", None) or CPU_COUNT
    init = functools.partial(
        initialize_worker_process,
        user_initializer=dask.config.get("multiprocessing.initializer", None),
    )
    return ProcessPoolExecutor(workers, mp_context=get_context(), initializer=init)


def _find_failing_block(source, batch, schedule, kwargs, err):
    """The block of ``batch`` whose loading fails, and its exception.

    A batch is loaded by one scheduler call; on failure its blocks are loaded again one
    at a time to tell which one failed. When none fails alone, the first is blamed.
    """
    if len(batch) == 1:
        return batch[0], err
    for k in batch:
        try:
            source.load([k], schedule, **kwargs)
        except Exception as single:
            return k, single
    return batch[0], err
