"""The local driver: fit in this thread, load blocks ahead on the active dask scheduler.

Loading runs ahead of fitting in ``dask_variants.prefetch`` loader threads: while block
``k`` is fitted, at most ``prefetch`` later loads are running or held. Small blocks are
loaded in batches of up to ``_source._BATCH_BYTES`` (a batch counts as one block for the
bound), so they do not pay a scheduler round trip each.

Reading and converting many small blocks (parquet files of a few hundred rows) holds
the GIL much of the time, as the ``partial_fit`` calls fitting them do, so on the
threaded scheduler the two take turns on one core. Where every block has a recipe of
its own (``blocks._processes``), :class:`_Loads` has worker processes compute the
batches instead, while this thread fits: see its docstring for when.
"""
import collections
import contextlib
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import dask

from ..blocks import _blocks
from . import _source
from ._source import failing_block, fit_block

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = []


def run(ctx, orders):
    """Fit in this thread; load ahead in ``prefetch`` threads on the active scheduler."""
    source, est = ctx.source, ctx.est
    step = _blocks.in_memory(est, "partial_fit")
    with contextlib.ExitStack() as stack:
        schedule, kwargs = local_scheduler(source.schedule, stack)
        inline = ctx.depth == 0 or schedule is dask.local.get_sync
        pool = None
        if not inline:
            pool = ThreadPoolExecutor(ctx.depth, thread_name_prefix="dask_variants-load")
            stack.callback(pool.shutdown, wait=False, cancel_futures=True)

        loads = _Loads(ctx, schedule, kwargs, inline)

        def load(batch):
            t0 = time.perf_counter()
            return loads(batch), time.perf_counter() - t0

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
                k, single = failing_block(source, batch, schedule, **kwargs)
                cause = err if single is None else single
                raise ctx.error(k, "loading", cause) from cause
            waited = time.perf_counter() - t_wait
            for k, (xk, yk, pk) in zip(batch, loaded):
                t0 = time.perf_counter()
                if ctx.check_y is not None and _blocks.n_rows(xk):
                    ctx.check_y(yk)  # scikit-learn's target error, as it is
                    ctx.check_y = None
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


#: worker processes load the batches when the first batch, timed on the scheduler's
#: threads, says the others would take at least this long (seconds) there: below it,
#: starting the processes (a second or two, once per interpreter) could cost more
_PROCESS_SECONDS = 1.0


class _Loads:
    """Load a batch: on the active scheduler, or in worker processes from its recipe.

    Worker processes (:mod:`dask_variants.blocks._processes`) load the batches when
    work may go to them (the threaded scheduler, ``dask_variants.blockwise-processes``,
    more than one core: ``_processes.allowed``), the fit loads ahead in loader threads,
    the blocks' sizes are known and small (so at most ``_source._BATCH_BYTES`` cross
    between processes at a time, in a batch), every block has a
    recipe of its own (``Source.self_contained``), and the first batch, loaded on the
    scheduler's threads and timed, says the remaining blocks would take at least
    ``_PROCESS_SECONDS`` to load there. Loads started meanwhile wait for that answer.
    The values are the same either way; the prefetch bound holds (a loader thread waits
    for its worker process).
    """

    def __init__(self, ctx, schedule, kwargs, inline):
        from ..blocks import _processes

        self.source, self.total = ctx.source, ctx.total
        self.schedule, self.kwargs = schedule, kwargs
        sizes = self.source.sizes
        self.possible = (not inline and sizes is not None
                         and max(sizes, default=0) <= _source._BATCH_BYTES
                         and _processes.allowed(schedule) and self.source.self_contained())
        self.in_processes = False
        self._first = True
        self._lock = threading.Lock()
        self._decided = threading.Event()

    def __call__(self, batch):
        if not self.possible:
            return self.source.load(batch, self.schedule, **self.kwargs)
        with self._lock:
            first, self._first = self._first, False
        if first:
            try:
                t0 = time.perf_counter()
                out = self.source.load(batch, self.schedule, **self.kwargs)
                rest = (time.perf_counter() - t0) / len(batch) * (self.total - len(batch))
                self.in_processes = rest >= _PROCESS_SECONDS
                logger.debug("first batch of %d blocks loaded in %.4fs: the others %s",
                             len(batch), time.perf_counter() - t0,
                             "in worker processes" if self.in_processes else "here")
            finally:
                self._decided.set()
            return out
        self._decided.wait()
        if self.in_processes:
            return self.source.load_in_process(batch)
        return self.source.load(batch, self.schedule, **self.kwargs)


def local_scheduler(schedule, stack):
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

