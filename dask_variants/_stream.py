"""The streaming engine: pass row blocks through ``partial_fit``.

``stream(est, X, y, per_row, static, passes=..., ...)`` fits ``est`` (a private copy the
caller swaps in on success) block by block. Everything about how blocks are loaded and
where the model runs lives here, so the mixin stays a thin front.
"""
import logging
import time

from .utils import _blocks

logger = logging.getLogger("dask_variants")

__all__ = []


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


def stream(est, X, y, per_row, static, *, passes, shuffle, random_state, method):
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
    """
    step = _blocks._call(est, "partial_fit")
    n = _blocks.n_blocks(X)
    rng = _blocks.check_random_state(random_state)
    for _ in range(passes):
        for k in _blocks.block_order(n, shuffle, rng):
            parts = (
                _blocks.block(X, k),
                None if y is None else _blocks.block(y, k),
                {name: _blocks.block(v, k) for name, v in per_row.items()},
            )
            t0 = time.perf_counter()
            try:
                xk, yk, pk = _blocks.load(parts)
            except Exception as err:
                raise block_error(est, method, k, n, "loading", err) from err
            t1 = time.perf_counter()
            try:
                if y is None:
                    step(xk, **static, **pk)
                else:
                    step(xk, yk, **static, **pk)
            except Exception as err:
                raise block_error(est, method, k, n, "fitting", err) from err
            logger.debug(
                "%s block %d: loaded in %.4fs, fitted in %.4fs",
                type(est).__name__, k, t1 - t0, time.perf_counter() - t1,
            )
    return est
