"""A search whose worker dies ends, with an error that says so; it never waits forever.

The search pins every model's ``partial_fit`` to the worker holding its block. A worker
that dies comes back (its nanny restarts it) under a new address, where no pinned fit
can run. Its own cluster: the test kills a worker, which the session's cluster must keep.
"""
import os
import threading
import time

import dask.array as da
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from dask_variants.model_selection import IncrementalSearchCV

pytestmark = pytest.mark.distributed


class SlowMajority(ClassifierMixin, BaseEstimator):
    """Predicts the majority class seen so far; each ``partial_fit`` takes ``delay`` s."""

    def __init__(self, delay=0.2, value=0):
        self.delay = delay
        self.value = value

    def partial_fit(self, X, y, classes=None):
        time.sleep(self.delay)
        self.classes_ = np.asarray(classes if classes is not None else np.unique(y))
        counts = getattr(self, "counts_", np.zeros(len(self.classes_)))
        self.counts_ = counts + [np.sum(y == c) for c in self.classes_]
        self.n_features_in_ = X.shape[1]
        return self

    def fit(self, X, y):
        for attr in ("counts_", "classes_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def predict(self, X):
        return np.full(len(X), self.classes_[np.argmax(self.counts_)])


def _worker_fitting(client, runner):
    """A worker running one of the search's fits now (so a fit is pinned to it)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and runner.is_alive():
        for worker, keys in client.processing().items():
            if any(str(key).startswith("dask_variants-search-") for key in keys):
                return worker
        time.sleep(0.05)
    raise AssertionError("the search never ran a fit on the cluster")


def test_search_stops_with_a_clear_error_when_a_worker_dies():
    distributed = pytest.importorskip("distributed")
    rng = np.random.RandomState(0)
    X = da.from_array(rng.normal(size=(400, 3)), chunks=40)
    y = da.from_array((rng.normal(size=400) > 0).astype(int), chunks=40)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        X, y = client.persist([X, y])
        distributed.wait([X, y])
        search = IncrementalSearchCV(SlowMajority(), {"value": [0, 1, 2, 3]},
                                     n_initial_parameters=4, max_iter=30, random_state=0)
        outcome = {}

        def fit():
            try:
                search.fit(X, y, classes=[0, 1])
            except Exception as err:  # what the test asserts on, in the main thread
                outcome["error"] = err
            else:
                outcome["fitted"] = True

        runner = threading.Thread(target=fit, daemon=True)
        runner.start()
        victim = _worker_fitting(client, runner)  # 4 models x 30 fits of 0.2 s
        client.run(os._exit, 1, workers=[victim], on_error="ignore")
        runner.join(timeout=60)
        assert not runner.is_alive(), "the search still waits for the dead worker"
    error = outcome.get("error")
    assert isinstance(error, RuntimeError), outcome
    assert "IncrementalSearchCV.fit lost the worker(s)" in str(error)
    assert victim in str(error)
