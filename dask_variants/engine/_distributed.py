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
from ._source import BlockFailure, fit_block, task_failure, unpack

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = []

_Item = collections.namedtuple("_Item", "future blocks batch submitted loads")


def _fit_blocks_task(state, blocks, static, batch, names, has_y):
    """``(fitted copy of the model, blocks with rows fitted so far, pending check)``.

    ``state`` is the previous task's result, ``(model, fitted, check_y)``:
    ``partial_fit`` runs on every block of ``blocks``, empty ones skipped and not
    counted, so the driver can tell an all-empty ``X`` without fetching anything but
    the last result. ``check_y`` (the target check) runs on the first non-empty block
    and is passed on until one is met.
    """
    model, fitted, check_y = state
    model = copy.deepcopy(model)  # never mutate the stored input: retries stay exact
    step = _blocks.in_memory(model, "partial_fit")
    for k, values in zip(batch, blocks):
        x, y, params = unpack(values, names, has_y)
        if check_y is not None and _blocks.n_rows(x):
            try:
                check_y(y)
            except Exception as err:  # any error: reported as it is, naming no block
                raise BlockFailure(k, "checking", err) from err
            check_y = None
        try:
            fitted += fit_block(step, x, y, params, static)
        except Exception as err:
            raise BlockFailure(k, "fitting", err) from err
    return model, fitted, check_y


def run(client, ctx, orders):
    """Fit ``ctx.est`` on the cluster; return the fitted model (a new object).

    ``ctx.seen`` counts the blocks fitted and ``ctx.empty`` the empty ones skipped, as
    the local driver counts them.
    """
    source = ctx.source
    token = uuid.uuid4().hex[:16]
    state = (ctx.est, 0, ctx.check_y)
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
            state = client.submit(
                _fit_blocks_task, state, blocks, ctx.static, batch, source.names,
                source.has_y, key=f"dask_variants-partial_fit-{token}-{step}",
            )
            step += 1
            window.append(_Item(state, blocks, batch, time.perf_counter(), loads))
            if ends_pass:
                current = None
                if ctx.on_pass is not None:
                    while window:
                        _settle(ctx, window.popleft())
                    current = _result(ctx, state)
                if ctx.end_pass(p, current):
                    return current
        while window:
            _settle(ctx, window.popleft())
        return _result(ctx, state) if step else ctx.est
    except BaseException:
        client.cancel([item.future for item in window])
        raise


def _result(ctx, state):
    """The model of the settled ``state`` future; records the empty blocks in ``ctx``."""
    model, fitted, _ = state.result()
    ctx.empty = ctx.seen - fitted
    return model


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
        error, cause = task_failure(ctx.error, item.future.exception(),
                                    list(zip(item.batch, item.blocks)))
        raise error from cause
    ctx.seen += len(item.batch)
    ctx.bar.update(len(item.batch))
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s.%s blocks %s: fitted on the cluster %.4fs after submission",
            ctx.name, ctx.method, list(item.batch), time.perf_counter() - item.submitted,
        )
