"""The local driver: fit in this thread, load blocks ahead on the active dask scheduler.

Loading runs ahead of fitting in ``dask_variants.prefetch`` loader threads: while block
``k`` is fitted, at most ``prefetch`` later loads are running or held. Small blocks are
loaded in batches of up to ``_source._BATCH_BYTES`` (a batch counts as one block for the
bound), so they do not pay a scheduler round trip each.
"""
import collections
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import dask

from ..blocks import _blocks
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

