"""The one-model fit: pass row blocks through ``partial_fit`` with bounded memory.

``stream(est, X, y, per_row, static, passes=..., ...)`` fits ``est`` (a private copy the
caller swaps in on success) block by block. It picks the driver; the drivers decide how
blocks are loaded and where the model runs:

* :mod:`._local`: the graph of ``X``, ``y`` and the per-row parameters is optimised once
  (:class:`._source.Source`); loading runs ahead of fitting in ``dask_variants.prefetch``
  loader threads on the active dask scheduler, small blocks in batches.
* :mod:`._distributed`: with a ``distributed.Client`` as the active scheduler, every
  ``partial_fit`` runs as a task next to its block instead: the model travels, the data
  does not.

Blocks are always fitted in the order drawn by :func:`._source.pass_orders`, so the
fitted model is the same on every scheduler.
"""
from ..blocks import _blocks
from ..blocks._state import adopt
from . import _local, _merge, _progress
from ._source import (
    Source, block_error, client_of, no_rows_error, pass_orders, prefetch_depth,
)

__all__ = []


def fit(est, X, y, per_row, static, *, passes, shuffle, random_state, method,
        blocks=None, on_pass=None, check_y=None):
    """Fit ``est`` on the row blocks: by an exact parallel merge where one exists.

    The one entry point for fitting one model. Estimators whose block states merge
    exactly (scalers, naive Bayes: :func:`._merge.rule`) fit their blocks in parallel and
    merge them in a tree, unless a pass visits only some blocks (``blocks``); the others
    :func:`stream` their blocks through ``partial_fit`` in order. The parameters are
    :func:`stream`'s; after a merge ``on_pass`` is called once per pass, with the merged
    model (a merge cannot stop early).
    """
    if blocks is None and _merge.rule(est) is not None:
        # the merge fits every block at once: each block's task checks its own y
        _merge.fit(est, X, y, per_row, static, passes=passes, shuffle=shuffle,
                   random_state=random_state, method=method, check_y=check_y)
        if on_pass is not None:
            n = _blocks.n_blocks(X)
            for p in range(passes):
                on_pass(p, est, n * (p + 1))
        return est
    return stream(est, X, y, per_row, static, passes=passes, shuffle=shuffle,
                  random_state=random_state, method=method, blocks=blocks, on_pass=on_pass,
                  check_y=check_y)


def stream(est, X, y, per_row, static, *, passes, shuffle, random_state, method,
           blocks=None, on_pass=None, check_y=None):
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
    check_y : callable, default=None
        ``check_y(y_block)`` runs on the first non-empty block fitted, before its
        ``partial_fit``; its error is raised as it is (scikit-learn's target check,
        made on a block the fit loads anyway).

    Returns
    -------
    est
    """
    source = Source(X, y, per_row)
    n_train = source.n if blocks is None else len(blocks)
    orders = pass_orders(source.n, passes, shuffle, random_state, blocks)
    ctx = _Context(est, method, source, static, on_pass, passes * n_train)
    ctx.check_y = check_y
    client = client_of(source.schedule)
    with ctx.bar:
        if client is not None:
            from . import _distributed  # imports distributed

            model = _distributed.run(client, ctx, orders)
        else:
            model = None
            _local.run(ctx, orders)
        if ctx.seen and ctx.empty == ctx.seen:
            raise no_rows_error(est, method, source.n)
        if model is not None:
            adopt(est, model)
    return est


class _Context:
    """What every runner needs: the model, the blocks, messages, progress, callbacks."""

    def __init__(self, est, method, source, static, on_pass, total):
        self.est, self.method, self.source = est, method, source
        self.static, self.on_pass = static, on_pass
        self.total = total  # blocks to fit, every pass
        self.name = type(est).__name__
        self.seen = 0
        self.empty = 0  # empty blocks skipped (counted in the DEBUG log)
        self.check_y = None  # run on the first non-empty block's y, then dropped
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


