"""What a streaming fit needs before its first block, and what it records after a pass.

:func:`prepare_stream` checks and aligns ``X``, ``y`` and the fit parameters of every
streaming fit (the incremental variants, the ``Incremental`` wrapper, the incremental
searches) before any block is loaded; :class:`EpochLog` is the ``on_pass`` callback of
the one-model fit that records ``history_`` and stops early on a held-out score.
"""
import inspect
import time

from ..blocks import _blocks, _rows
from ..blocks._checks import check_classes, check_dask_X

__all__ = []


def prepare_stream(owner, est, X, y, params, method, *, fresh):
    """Check and align what a streaming fit needs, before any block is loaded.

    Parameters
    ----------
    owner : estimator
        Named in error messages: a variant, or the ``Incremental`` wrapper.
    est : estimator
        The one whose ``partial_fit`` will run (a variant: its scikit-learn base's).
    X, y : dask collections (``y`` may be None or in memory)
    params : dict
        Fit parameters, passed to every ``partial_fit`` call.
    method : str
    fresh : bool
        ``est`` starts learning anew, so ``classes_`` it already has do not count.

    Returns
    -------
    X, y, per_row, static
        ``X`` in row blocks; ``y`` and the per-row parameters aligned with its blocks;
        the other parameters, with ``classes`` computed from ``y`` when ``partial_fit``
        needs them and none were given.
    """
    name = f"{type(owner).__name__}.{method}"
    X = check_dask_X(owner, X, method)
    per_row, static = _rows.split_params(X, params, owner=name)
    given_y = y
    X, y, per_row = _rows.align_all(X, y, per_row, owner=name)
    accepted = inspect.signature(_blocks.in_memory(est, "partial_fit")).parameters
    if not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        unknown = sorted((set(static) | set(per_row)) - set(accepted))
        if unknown:
            raise TypeError(
                f"{name} on a dask input passes its parameters to partial_fit on every "
                f"block, and partial_fit does not take {unknown!r}. It takes "
                f"{[p for p in accepted if p not in ('X', 'y')]!r}."
            )
    learned = None if fresh else getattr(est, "classes_", None)
    if "classes" in accepted and static.get("classes") is None and learned is None:
        check_classes(owner, method, y, None)
        # from y as given: a frame's y column is read alone, where the aligned y is a
        # column of the frame packing X with it, whose every column a pass would read
        static["classes"] = _blocks.compute_unique(given_y if _blocks.is_dask(given_y) else y)
    return X, y, per_row, static


class EpochLog:
    """Called after every pass: record ``history_`` and decide on early stopping.

    With ``holdout`` (block indices), the model is scored on those blocks after every
    pass; ``patience`` passes in a row that do not beat the best score by more than
    ``tol`` stop the fit.
    """

    def __init__(self, history, start, seen0, X, y, per_row, holdout, *, patience, tol):
        self.history, self.start, self.seen0 = history, start, seen0
        self.holdout, self.patience, self.tol = holdout, patience, tol
        self.best, self.bad = None, 0
        if holdout is not None:
            self.X = _blocks.select(X, holdout)
            self.y = None if y is None else _blocks.select(y, holdout)
            weight = per_row.get("sample_weight")
            self.weight = None if weight is None else _blocks.select(weight, holdout)

    def __call__(self, p, model, seen):
        score = None
        if self.holdout is not None:
            kwargs = {} if self.weight is None else {"sample_weight": self.weight}
            args = () if self.y is None else (self.y,)
            score = float(model.score(self.X, *args, **kwargs))
        self.history.append({"epoch": len(self.history) + 1, "score": score,
                             "blocks_seen": self.seen0 + seen,
                             "time": time.perf_counter() - self.start})
        if score is None:
            return False
        if self.best is None or score > self.best + self.tol:
            self.best, self.bad = score, 0
        else:
            self.bad += 1
        return self.bad >= self.patience
