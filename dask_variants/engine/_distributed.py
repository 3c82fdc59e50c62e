"""Model-to-data streaming on a ``distributed`` cluster.

Every batch of blocks is loaded where the scheduler puts it, and ``partial_fit`` runs as
a task whose inputs are the previous model and those blocks: the scheduler runs it on the
worker holding the (large) blocks, so the (small) model travels and the data does not.
Each task copies the model before fitting, so it is a pure function of (model, blocks):
a task retried after a worker died cannot apply a block twice, and the chain recomputes
to the same model. At most ``prefetch`` batches are loaded ahead of the one being fitted.

Only imported when a ``distributed.Client`` is the active scheduler.
"""
import collections
import copy
import logging
import time
import uuid

from distributed import wait

from ..blocks import _blocks
from ._source import BlockFailure, fit_block

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = []

_Item = collections.namedtuple("_Item", "future blocks batch submitted loads")


def _fit_blocks_task(model, blocks, static, batch, names, has_y):
    """Return a fitted copy of ``model``: ``partial_fit`` on every block of ``blocks``."""
    model = copy.deepcopy(model)  # never mutate the stored input: retries stay exact
    step = _blocks.in_memory(model, "partial_fit")
    for k, values in zip(batch, blocks):
        x = values[0]
        y = values[1] if has_y else None
        params = dict(zip(names, values[2:] if has_y else values[1:]))
        try:
            fit_block(step, x, y, params, static)
        except Exception as err:
            raise BlockFailure(k, "fitting", err) from err
    return model


def run(client, ctx, orders):
    """Fit ``ctx.est`` on the cluster; return the fitted model (a new object)."""
    source = ctx.source
    token = uuid.uuid4().hex[:16]
    model = ctx.est
    window = collections.deque()
    width = len(source.keys)
    step = 0
    try:
        for p, batch, ends_pass in source.batches(orders):
            # only blocks this call loads count: persisted ones take no new memory
            while sum(item.loads for item in window) > ctx.depth:
                _settle(ctx, window.popleft())
            keys = [key for k in batch for key in source.block_keys(k)]
            futures, loads = _futures(client, source, keys)
            blocks = [futures[i * width:(i + 1) * width] for i in range(len(batch))]
            model = client.submit(
                _fit_blocks_task, model, blocks, ctx.static, batch, source.names,
                source.has_y, key=f"dask_variants-partial_fit-{token}-{step}",
            )
            step += 1
            window.append(_Item(model, blocks, batch, time.perf_counter(), loads))
            if ends_pass:
                current = None
                if ctx.on_pass is not None:
                    while window:
                        _settle(ctx, window.popleft())
                    current = model.result()
                if ctx.end_pass(p, current):
                    return current
        while window:
            _settle(ctx, window.popleft())
        return model.result() if step else ctx.est
    except BaseException:
        client.cancel([item.future for item in window])
        raise


def _futures(client, source, keys):
    """Futures of ``keys``, submitted from the graph or already held by the cluster, and
    whether any had to be submitted (loaded) for this call."""
    from distributed import Future

    graph = source.graph(keys)
    wanted = [key for key in keys if key in graph]
    got = dict(zip(wanted, client.get(graph, wanted, sync=False))) if wanted else {}
    return [got[key] if key in got else Future(key, client) for key in keys], bool(wanted)


def _settle(ctx, item):
    """Wait for one fit task; raise the error naming its block if it failed."""
    wait([item.future])
    if item.future.status == "error":
        exc = item.future.exception()
        if isinstance(exc, BlockFailure):
            raise ctx.error(exc.k, exc.stage, exc.cause) from exc.cause
        for k, futures in zip(item.batch, item.blocks):
            for f in futures:
                if f.status == "error":
                    cause = f.exception()
                    raise ctx.error(k, "loading", cause) from cause
        raise ctx.error(item.batch[0], "fitting", exc) from exc
    ctx.seen += len(item.batch)
    ctx.bar.update(len(item.batch))
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s.%s blocks %s: fitted on the cluster %.4fs after submission",
            ctx.name, ctx.method, list(item.batch), time.perf_counter() - item.submitted,
        )
