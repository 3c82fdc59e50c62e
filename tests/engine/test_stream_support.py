"""Helpers for the streaming tests: lazily generated blocks and instrumented estimators.

A module of its own (no tests in it) so that dask worker processes can import what the
tests pickle by reference.
"""
import threading
import time

import dask.array as da
import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

#: what happened, in order, for the prefetch-bound checks (threads scheduler only)
EVENTS = []
_LOCK = threading.Lock()


def _generate(block_info=None, *, cols, delay, fail_at, record):
    info = block_info[None]
    k = info["chunk-location"][0]
    rows = info["chunk-shape"][0]
    if record:
        with _LOCK:
            EVENTS.append(("load", k))
    if delay:
        time.sleep(delay)
    if k == fail_at:
        raise OSError(f"cannot read block {k}")
    return np.random.RandomState(k).normal(size=(rows, cols))


def lazy_blocks(n_blocks, rows=50, cols=4, *, delay=0.0, fail_at=None, record=False):
    """A lazily generated float64 array of ``n_blocks`` row blocks (block k seeded by k)."""
    return da.map_blocks(
        _generate, chunks=((rows,) * n_blocks, (cols,)), dtype=np.float64,
        meta=np.empty((0, cols)), cols=cols, delay=delay, fail_at=fail_at, record=record,
    )


def target(X):
    """A binary target computed blockwise from X."""
    return (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)


class Recorder(RegressorMixin, BaseEstimator):
    """Sums what it sees; can be slow, can fail when a block holds ``fail_value``."""

    def __init__(self, delay=0.0, fail_value=None, record=False):
        self.delay = delay
        self.fail_value = fail_value
        self.record = record

    def partial_fit(self, X, y=None):
        X = np.asarray(X)
        if self.fail_value is not None and (X == self.fail_value).any():
            raise ArithmeticError("cannot learn from this block")
        if self.delay:
            time.sleep(self.delay)
        self.total_ = getattr(self, "total_", 0.0) + float(X.sum())
        self.n_calls_ = getattr(self, "n_calls_", 0) + 1
        self.n_features_in_ = X.shape[1]
        if self.record:
            with _LOCK:
                EVENTS.append(("fit", self.n_calls_))
        return self

    def fit(self, X, y=None):
        for attr in ("total_", "n_calls_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def predict(self, X):
        return np.full(len(X), self.total_)
