"""The prefetch bound on a cluster: blocks made on the workers wait for the model."""
import time

import dask
import dask.array as da
import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin

from dask_variants import incremental

pytestmark = pytest.mark.distributed


def _log(path, event):
    with open(path, "a") as f:  # one short append per event, from any process
        f.write(f"{event} {time.monotonic()!r}\n")


def _made_slowly(block, path, delay):
    time.sleep(delay)
    _log(path, "load")
    return block + 1.0


class SlowLogger(RegressorMixin, BaseEstimator):
    """A partial_fit that takes ``delay`` seconds and logs when it is done."""

    def __init__(self, path=None, delay=0.0):
        self.path = path
        self.delay = delay

    def partial_fit(self, X, y=None):
        time.sleep(self.delay)
        self.n_blocks_ = getattr(self, "n_blocks_", 0) + 1
        self.n_features_in_ = X.shape[1]
        _log(self.path, "fit")
        return self

    def fit(self, X, y=None):
        self.__dict__.pop("n_blocks_", None)
        return self.partial_fit(X, y)

    def predict(self, X):
        return X[:, 0]


def test_prefetch_bound_holds_on_the_cluster(client, tmp_path):
    path = str(tmp_path / "events.log")
    n, delay = 10, 0.1
    X = da.zeros((n * 2000, 300), chunks=(2000, 300))  # 4.8 MB blocks: not batched
    X = X.map_blocks(_made_slowly, path, delay, meta=np.empty((0, 0)))
    Variant = incremental.variant(SlowLogger)
    est = Variant(path=path, delay=delay, shuffle_blocks=False)
    with dask.config.set({"dask_variants.prefetch": 2}):
        est.fit(X)
    events = sorted((float(t), kind) for kind, t in (line.split() for line in open(path)))
    loaded = fitted = ahead = 0
    for _, kind in events:
        loaded += kind == "load"
        fitted += kind == "fit"
        ahead = max(ahead, loaded - fitted)
    assert (loaded, fitted, est.n_blocks_) == (n, n, n)
    # the block being fitted plus at most prefetch = 2 more are ever held
    assert ahead <= 2 + 1
