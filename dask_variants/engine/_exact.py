"""The exact fit: every row, in parallel, with scikit-learn's own answer.

``fit(est, X, y, per_row, static, method=...)`` finds ``est``'s rule
(:mod:`.rules`, by class identity), lets it refuse what it cannot honour before any
block is read, then runs the rule's passes on the reduction engine
(:mod:`._reduce`): one task per block computing a statistic, a tree of merges, one
finish on the client. Each pass reads each block once; a persisted input is read from
memory, any other is recomputed per pass. The fitted attributes equal scikit-learn's
``fit`` on the concatenated blocks, to floating-point rounding.
"""
import contextlib
import logging
import time

from sklearn.base import clone

from ..blocks import _blocks
from . import _local, _progress, _reduce, rules
from ._source import Source, no_rows_error

logger = logging.getLogger(__name__)

__all__ = []


def rule(est):
    """``est``'s exact rule, or ``None``."""
    return rules.rule_for(_blocks.in_memory_class(est))


def check(est, static, per_row):
    """The rule's refusals, before any block is read; the rule."""
    found = rule(est)
    found.check(est, static, per_row)
    return found


def fit(est, X, y, per_row, static, *, method):
    """Fit ``est`` (a private copy the caller adopts) exactly on every row of ``X``."""
    found = check(est, static, per_row)
    found.check_X(est, X)
    source = Source(X, y, per_row)
    template = clone(est)  # the parameters only: what travels to every block's task
    name = f"{type(est).__name__}.{method}"
    passes = []
    bar = _progress.bar(None, f"{name} (passes)")

    def reduce(leaf, merge, blocks=None):
        # ``blocks``: a pass over these blocks only (a rule fetching a few rows), in order
        p = len(passes) + 1
        t0 = time.perf_counter()
        named = p > 1 or getattr(found, "iterative", False)
        stat = _reduce.run(source, leaf, merge, est=est, method=method, order=blocks,
                           label="exact", stage=f"pass {p}" if named else None,
                           schedule=schedule, **kwargs)
        if stat is None:
            raise no_rows_error(est, method, source.n)
        passes.append(time.perf_counter() - t0)
        bar.update(1)
        logger.debug("%s pass %d over %d blocks in %.4fs", name, p,
                     source.n if blocks is None else len(blocks), passes[-1])
        return stat

    with bar, contextlib.ExitStack() as stack:
        # one worker pool for every pass (the process scheduler would start one a pass)
        schedule, kwargs = _local.local_scheduler(source.schedule, stack)
        found.fit(est, template, reduce, static)
    if found.sets_features:
        _set_features(est, X)
    return est


def one_pass(est, X, leaf, merge, *, method, label="exact"):
    """One reduction pass over the row blocks of dask ``X`` alone: the merged statistic.

    For a composite's own statistic (a ``ColumnTransformer``'s output density), which
    is not a rule's ``fit``. ``leaf(k, x, y, params)`` sees each non-empty block once;
    all-empty input raises :func:`._source.no_rows_error`.
    """
    source = Source(X, None, {})
    with contextlib.ExitStack() as stack:
        schedule, kwargs = _local.local_scheduler(source.schedule, stack)
        stat = _reduce.run(source, leaf, merge, est=est, method=method, label=label,
                           schedule=schedule, **kwargs)
    if stat is None:
        raise no_rows_error(est, method, source.n)
    return stat


def _set_features(est, X):
    """``n_features_in_`` and, for a frame of string column names, ``feature_names_in_``,
    as scikit-learn's validation sets them on the concatenated data."""
    from .._sklearn_compat import _get_feature_names

    meta = X._meta if _blocks.container(X) == "frame" else None
    est.n_features_in_ = int(X.shape[1]) if meta is None else meta.shape[1]
    names = None if meta is None else _get_feature_names(meta)
    if names is None:
        est.__dict__.pop("feature_names_in_", None)
    else:
        est.feature_names_in_ = names
