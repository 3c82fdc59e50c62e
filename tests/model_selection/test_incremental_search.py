"""dask-ml's incremental searches: bracket plan, one scan per round, determinism, errors."""
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier

from dask_variants import incremental
from dask_variants import metrics as dv_metrics
from dask_variants.exceptions import EagerComputeWarning, SearchWarning
from dask_variants.model_selection import (
    HyperbandSearchCV,
    IncrementalSearchCV,
    InverseDecaySearchCV,
    SuccessiveHalvingSearchCV,
)

PARAMS = {"alpha": np.logspace(-4, 0, 30), "penalty": ["l2", "l1", "elasticnet"]}
CV_KEYS = {"mean_partial_fit_time", "mean_score_time", "std_partial_fit_time",
           "std_score_time", "test_score", "rank_test_score", "model_id",
           "partial_fit_calls", "params"}
TIMES = ("mean_partial_fit_time", "mean_score_time", "std_partial_fit_time",
         "std_score_time")


class Counter:
    """Counts how often each row block of a generated array is computed."""

    def __init__(self):
        self.loads = []
        self.lock = threading.Lock()
        self.fail = None

    def __dask_tokenize__(self):
        return ("Counter", id(self))

    def __getstate__(self):  # a copy in another process counts for itself
        return {"loads": [], "fail": self.fail}

    def __setstate__(self, state):
        self.__dict__.update(state, lock=threading.Lock())

    def make(self, block_info=None):
        k = block_info[None]["chunk-location"][0]
        rows = block_info[None]["chunk-shape"][0]
        with self.lock:
            self.loads.append(k)
        if k == self.fail:
            raise ZeroDivisionError(f"cannot generate block {k}")
        rng = np.random.RandomState(k)
        X = rng.normal(size=(rows, 6))
        y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=rows) > 0)
        return np.column_stack([X, y])


def generated(counter, n_blocks=8, rows=50):
    """X, y whose blocks are made by ``counter`` (one call per loaded block)."""
    XY = da.map_blocks(counter.make, chunks=((rows,) * n_blocks, (7,)), dtype=float,
                       meta=np.empty((0, 7)))
    return XY[:, :6], XY[:, 6].astype(int)


@pytest.fixture
def xy():
    X, y = generated(Counter())
    return X, y


class ConstantFunction(BaseEstimator):
    """Scores ``value`` whatever it learned (dask-ml's test estimator)."""

    def __init__(self, value=0.0):
        self.value = value

    def partial_fit(self, X, y=None):
        self.calls_ = getattr(self, "calls_", 0) + 1
        return self

    def score(self, X, y=None):
        return self.value


class LinearFunction(ConstantFunction):
    """Scores ``slope * calls``: improves by ``slope`` per ``partial_fit`` call."""

    def __init__(self, slope=1.0):
        self.slope = slope

    def score(self, X, y=None):
        return self.slope * self.calls_


def comparable(search):
    """``cv_results_`` without timings, and the best model's coefficients."""
    out = {k: v.tolist() for k, v in search.cv_results_.items() if k not in TIMES}
    out["params"] = [sorted((k, str(v)) for k, v in p.items()) for p in out["params"]]
    return out, search.best_estimator_.coef_.tolist(), search.best_index_


def hyperband(**kwargs):
    kwargs.setdefault("random_state", 0)
    return HyperbandSearchCV(SGDClassifier(random_state=0), PARAMS, **kwargs)


# --------------------------------------------------------------------------- plan


@pytest.mark.parametrize("max_iter, models, calls",
                         [(3, 5, 11), (9, 17, 69), (27, 49, 357), (81, 143, 1581)])
def test_hyperband_metadata_matches_dask_ml_plan(max_iter, models, calls):
    meta = hyperband(max_iter=max_iter).metadata
    assert (meta["n_models"], meta["partial_fit_calls"]) == (models, calls)
    assert set(meta["brackets"][0]) == {"bracket", "n_models", "partial_fit_calls",
                                        "decisions", "SuccessiveHalvingSearchCV params"}


@pytest.mark.parametrize("max_iter, models, calls", [(3, 5, 11), (9, 17, 69), (27, 49, 357)])
def test_hyperband_fit_makes_the_planned_models_and_calls(xy, max_iter, models, calls):
    X, y = xy
    search = hyperband(max_iter=max_iter).fit(X, y)
    assert len(search.cv_results_["model_id"]) == models
    assert sum(h[-1]["partial_fit_calls"] for h in search.model_history_.values()) == calls
    assert search.metadata_ == search.metadata
    assert set(search.cv_results_) == CV_KEYS | {"bracket", "param_alpha", "param_penalty"}
    assert all(m.startswith("bracket=") for m in search.cv_results_["model_id"])
    assert search.best_score_ == search.cv_results_["test_score"][search.best_index_]
    assert search.best_params_ == search.cv_results_["params"][search.best_index_]
    assert (search.n_splits_, search.multimetric_) == (1, False)


def test_hyperband_plan_runs_to_max_iter_81_on_a_cheap_estimator():
    X, y = generated(Counter(), n_blocks=4, rows=10)
    search = HyperbandSearchCV(ConstantFunction(), {"value": np.linspace(0, 1, 200)},
                               max_iter=81, random_state=0).fit(X, y)
    assert (search.metadata_["n_models"], search.metadata_["partial_fit_calls"]) == \
        (143, 1581)
    assert search.best_score_ == max(search.cv_results_["test_score"])


def test_successive_halving_metadata_matches_fit(xy):
    X, y = xy
    search = SuccessiveHalvingSearchCV(SGDClassifier(random_state=0), PARAMS,
                                       n_initial_parameters=9, n_initial_iter=2,
                                       random_state=0)
    search.fit(X, y)
    assert search.metadata == search.metadata_
    assert min(set(search.cv_results_["partial_fit_calls"]) - {1}) == 2


def test_inverse_decay_keeps_fewer_models_over_time(xy):
    X, y = xy
    search = InverseDecaySearchCV(SGDClassifier(random_state=0), PARAMS,
                                  n_initial_parameters=20, max_iter=8, random_state=0)
    search.fit(X, y)
    calls = sorted(search.cv_results_["partial_fit_calls"])
    # after t calls, about 20 / (1 + t) models are kept
    assert calls[0] == 1 and calls[-1] > calls[len(calls) // 2] and calls.count(1) >= 10


def test_hyperband_random_state_samples_like_dask_ml():
    # dask-ml seeds bracket 0 with random_state and bracket b with seed + b
    from sklearn.model_selection import ParameterSampler

    search = HyperbandSearchCV(ConstantFunction(), {"value": np.linspace(0, 1, 500)},
                               max_iter=9, random_state=0)
    X, y = generated(Counter(), n_blocks=2, rows=10)
    search.fit(X, y)
    passive = [p["value"] for p in ParameterSampler({"value": np.linspace(0, 1, 500)}, 3,
                                                    random_state=0)]
    bracket0 = search.cv_results_["bracket"] == 0
    assert sorted(search.cv_results_["param_value"][bracket0]) == sorted(passive)


# --------------------------------------------------------------------------- the scan


@pytest.mark.parametrize("max_iter", [3, 9, 27])
def test_search_loads_each_position_once_for_all_models_and_brackets(max_iter):
    counter = Counter()
    X, y = generated(counter)
    with dask.config.set(scheduler="sync"):
        search = hyperband(max_iter=max_iter).fit(X, y, classes=[0, 1])
    # the held-out rows: each block once; then each position (every model's j-th
    # call reads the same block) once, for every model of every bracket
    assert len(counter.loads) == 8 + max_iter
    assert search.metadata_["partial_fit_calls"] == {3: 11, 9: 69, 27: 357}[max_iter]


def test_search_loads_each_position_once_on_threads_with_prefetch():
    counter = Counter()
    X, y = generated(counter)
    with dask.config.set(scheduler="threads"):
        hyperband(max_iter=9).fit(X, y, classes=[0, 1])
    assert len(counter.loads) == 8 + 9


def test_search_feeds_every_model_the_same_block_sequence():
    seen = {}

    class Recorder(ConstantFunction):
        def partial_fit(self, X, y=None):
            seen.setdefault(self.value, []).append(float(X[0, 0]))
            return super().partial_fit(X, y)

    X, y = generated(Counter())
    IncrementalSearchCV(Recorder(), {"value": [0.1, 0.2, 0.3]}, n_initial_parameters="grid",
                        max_iter=5, random_state=0).fit(X, y)
    assert seen[0.1] == seen[0.2] == seen[0.3] and len(seen[0.1]) == 5


# --------------------------------------------------------------------------- determinism


def test_search_same_results_on_every_local_scheduler(xy):
    X, y = xy
    results = []
    for scheduler in ("sync", "threads", "processes"):
        # one worker process: spawning more only slows the test down
        with dask.config.set(scheduler=scheduler, num_workers=1 if scheduler == "processes"
                             else None):
            results.append(comparable(hyperband(max_iter=9).fit(X, y, classes=[0, 1])))
    assert results[0] == results[1] == results[2]


@pytest.mark.distributed
def test_search_same_results_on_a_cluster(client, xy):
    X, y = xy
    on_cluster = comparable(hyperband(max_iter=9).fit(X, y))
    with dask.config.set(scheduler="sync"):
        local = comparable(hyperband(max_iter=9).fit(X, y))
    assert on_cluster == local


@pytest.mark.distributed
def test_search_block_failure_on_a_cluster_names_the_block(client):
    counter = Counter()
    counter.fail = 3
    X, y = generated(counter)
    search = hyperband(max_iter=3)
    with pytest.raises(ZeroDivisionError, match="row block 3"):
        search.fit(X, y, classes=[0, 1])
    with pytest.raises(NotFittedError):
        search.predict(X)


def test_search_streams_validation_over_the_budget_with_the_same_choice(xy):
    X, y = xy
    in_memory = hyperband(max_iter=3).fit(X, y)
    with dask.config.set({"dask_variants.search-validation-bytes": 0}):
        streamed = hyperband(max_iter=3).fit(X, y)
    assert_array_equal(streamed.cv_results_["test_score"], in_memory.cv_results_["test_score"])
    assert streamed.best_index_ == in_memory.best_index_


# --------------------------------------------------------------------------- patience


def test_incremental_search_patience_stops_plateaued_models(xy):
    X, y = xy
    search = IncrementalSearchCV(ConstantFunction(), {"value": np.linspace(0, 1, 10)},
                                 patience=3, tol=0, max_iter=10, random_state=0)
    search.fit(X, y)
    assert set(search.cv_results_["partial_fit_calls"]) == {3}
    assert search.best_score_ == 1.0


@pytest.mark.parametrize("tol, calls", [(1, {10}), (4, {3})])
def test_incremental_search_tol_as_dask_ml(xy, tol, calls):
    # every 3 calls the score rises by 3: tol=1 keeps training, tol=4 stops
    X, y = xy
    search = IncrementalSearchCV(LinearFunction(slope=1), {"slope": [1.0]}, patience=3,
                                 n_initial_parameters="grid",
                                 tol=tol, max_iter=10, random_state=0).fit(X, y)
    assert set(search.cv_results_["partial_fit_calls"]) == calls


def test_incremental_search_patience_with_fits_per_score_as_dask_ml(xy):
    X, y = xy
    rng = np.random.RandomState(42)
    kwargs = dict(max_iter=15, tol=5, patience=5, fits_per_score=3, random_state=0,
                  n_initial_parameters=5)
    search = IncrementalSearchCV(LinearFunction(), {"slope": 2 + rng.rand(100)}, **kwargs)
    assert max(h["partial_fit_calls"] for h in search.fit(X, y).history_) == 16
    search = IncrementalSearchCV(LinearFunction(), {"slope": 0.9 * rng.rand(100)}, **kwargs)
    assert max(h["partial_fit_calls"] for h in search.fit(X, y).history_) == 7


def test_hyperband_patience_trains_less(xy):
    X, y = xy
    params = {"value": np.linspace(0, 1, 100)}
    search = HyperbandSearchCV(ConstantFunction(), params, max_iter=27, patience=True,
                               random_state=0).fit(X, y)
    assert search.metadata_["partial_fit_calls"] < search.metadata["partial_fit_calls"]
    assert all(d <= 27 // 3 + 1 for b in search.metadata_["brackets"] for d in b["decisions"])
    with pytest.warns(SearchWarning, match="patience"):
        HyperbandSearchCV(ConstantFunction(), params, max_iter=6, aggressiveness=2,
                          patience=2).fit(X, y)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("make, error, match", [
    (lambda: HyperbandSearchCV(DecisionTreeClassifier(), {"max_depth": [1, 2]}),
     TypeError, "has none"),
    (lambda: hyperband(max_iter=9).set_params(parameters={}), ValueError, "non-empty dict"),
    (lambda: hyperband().set_params(parameters=[]), ValueError, "non-empty dict"),
    (lambda: hyperband().set_params(parameters={"alpha": 0.1}), ValueError,
     r"parameters\['alpha'\] must be a non-empty list"),
    (lambda: hyperband().set_params(parameters={"alpha": []}), ValueError,
     "non-empty list"),
    (lambda: hyperband().set_params(parameters={"alhpa": [1]}), ValueError,
     "not a parameter of SGDClassifier"),
    (lambda: hyperband(max_iter=0), ValueError, "max_iter < 1 is not supported"),
    (lambda: IncrementalSearchCV(SGDClassifier(), PARAMS, max_iter=0), ValueError,
     "max_iter < 1"),
    (lambda: hyperband(aggressiveness=1), ValueError, "aggressiveness must be a number > 1"),
    (lambda: SuccessiveHalvingSearchCV(SGDClassifier(), PARAMS, n_initial_iter=2,
                                       aggressiveness=0.5), ValueError, "aggressiveness"),
    (lambda: hyperband(scoring=accuracy_score), ValueError,
     "looks like it is a metric function rather than a scorer.*make_scorer"),
    (lambda: hyperband(scoring=dv_metrics.accuracy_score), ValueError,
     "looks like it is a metric function"),
    (lambda: hyperband(scoring=["accuracy", "r2"]), ValueError, "one number"),
    (lambda: IncrementalSearchCV(SGDClassifier(), PARAMS, patience=1), ValueError,
     "patience >= 2"),
    (lambda: IncrementalSearchCV(SGDClassifier(), PARAMS, n_initial_parameters=0),
     ValueError, "n_initial_parameters"),
    (lambda: SuccessiveHalvingSearchCV(SGDClassifier(), PARAMS), ValueError,
     "n_initial_iter"),
])
def test_search_bad_input_raises_before_loading_a_block(make, error, match):
    counter = Counter()
    X, y = generated(counter)
    with pytest.raises(error, match=match):
        make().fit(X, y)
    assert counter.loads == []


def test_search_block_failure_names_the_block_and_leaves_it_unfitted():
    counter = Counter()
    counter.fail = 5
    X, y = generated(counter)
    search = hyperband(max_iter=3)
    with pytest.raises(ZeroDivisionError, match="HyperbandSearchCV.fit failed while "
                                                "loading row block 5 of 8") as info:
        search.fit(X, y, classes=[0, 1])
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert not hasattr(search, "best_estimator_") and not hasattr(search, "cv_results_")


def test_search_fit_failure_names_the_block():
    class Fails(ConstantFunction):
        def partial_fit(self, X, y=None):
            if getattr(self, "calls_", 0) == 2:
                raise ValueError("bad block")
            return super().partial_fit(X, y)

    X, y = generated(Counter())
    search = IncrementalSearchCV(Fails(), {"value": [1.0]}, max_iter=5, random_state=0,
                                 n_initial_parameters="grid")
    with pytest.raises(ValueError, match=r"fitting row block \d of 8: ValueError: bad block"):
        search.fit(X, y)
    assert "best_estimator_" not in search.__dict__


# --------------------------------------------------------------------------- usage


def test_search_computes_classes_from_y_and_predicts_lazily(xy):
    X, y = xy
    search = hyperband(max_iter=3).fit(X, y)
    assert_array_equal(search.best_estimator_.classes_, [0, 1])
    pred = search.predict(X)
    assert isinstance(pred, da.Array) and pred.chunks == X.chunks[:1]
    assert_array_equal(pred.compute(), search.best_estimator_.predict(X.compute()))
    assert search.score(X, y) == accuracy_score(y.compute(), pred.compute())
    assert search.score(X.compute(), y.compute()) == search.score(X, y)
    assert not hasattr(search, "transform")


@pytest.mark.parametrize("estimator", [incremental.SGDRegressor(random_state=0),
                                       SGDRegressor(random_state=0)])
def test_search_takes_variants_and_regressors(xy, estimator):
    X, y = xy
    search = IncrementalSearchCV(estimator, {"alpha": [1e-4, 1e-2]}, max_iter=3,
                                 n_initial_parameters="grid", random_state=0)
    search.fit(X, y.astype(float))
    assert type(search.best_estimator_) is type(estimator)
    assert sorted(search.cv_results_["partial_fit_calls"]) == [3, 3]


def test_search_dataframe_input_needs_no_pass_to_count_rows():
    dd = pytest.importorskip("dask.dataframe")
    counter = Counter()
    X, y = generated(counter)
    frame = dd.from_dask_array(da.concatenate([X, y[:, None]], axis=1),
                               columns=[f"x{i}" for i in range(6)] + ["y"])
    with dask.config.set(scheduler="sync"):
        search = hyperband(max_iter=3).fit(frame.drop(columns="y"), frame["y"].astype(int),
                                           classes=[0, 1])
    assert search.metadata_["partial_fit_calls"] == 11
    # validation (8 blocks), then positions 0, 1 and 2
    assert len(counter.loads) == 8 + 3
    assert isinstance(search.predict(frame.drop(columns="y")), dd.Series)


def test_search_logs_every_round_at_debug(xy, caplog):
    X, y = xy
    with caplog.at_level(logging.DEBUG, logger="dask_variants"):
        hyperband(max_iter=3).fit(X, y)
    rounds = [r for r in caplog.records if "round" in r.getMessage()]
    assert rounds and all(r.levelno == logging.DEBUG for r in rounds)


def test_search_progress_bar_counts_calls(xy, capsys):
    pytest.importorskip("tqdm")
    X, y = xy
    with dask.config.set({"dask_variants.progress": True}):
        hyperband(max_iter=3).fit(X, y)
    assert "11/11" in capsys.readouterr().err


def test_search_get_params_as_dask_ml():
    assert set(hyperband().get_params(deep=False)) == {
        "estimator", "parameters", "max_iter", "aggressiveness", "patience", "tol",
        "test_size", "random_state", "scoring", "verbose", "prefix", "predict_meta",
        "predict_proba_meta", "transform_meta"}
    sha = hyperband(max_iter=9).metadata["brackets"][0]["SuccessiveHalvingSearchCV params"]
    assert set(sha) == {"n_initial_parameters", "n_initial_iter", "aggressiveness",
                        "max_iter", "test_size", "patience", "tol", "random_state",
                        "scoring", "verbose", "prefix"}


# --------------------------------------------------------------------------- memory

SCRIPT = textwrap.dedent("""
    import json, resource, sys, time
    import dask, dask.array as da, numpy as np
    from sklearn.linear_model import SGDClassifier
    from dask_variants.model_selection import HyperbandSearchCV

    def make(block_info=None):
        k = block_info[None]["chunk-location"][0]
        rows, cols = block_info[None]["chunk-shape"]
        rng = np.random.RandomState(k)
        X = rng.normal(size=(rows, cols))
        X[:, 0] = (X[:, 1] > 0)
        return X

    rows, cols, n = 25000, 40, int(sys.argv[1])     # 8 MB blocks, generated lazily
    XY = da.map_blocks(make, chunks=((rows,) * n, (cols,)), dtype=float,
                       meta=np.empty((0, cols)))
    X, y = XY[:, 1:], XY[:, 0].astype(int)
    params = {"alpha": np.logspace(-4, 0, 30)}
    with dask.config.set(scheduler="threads"):
        HyperbandSearchCV(SGDClassifier(), params, max_iter=3, random_state=0).fit(
            X[:1000], y[:1000], classes=[0, 1])     # warm up imports and pools
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        t0 = time.time()
        search = HyperbandSearchCV(SGDClassifier(), params, max_iter=9, random_state=0,
                                   test_size=0.02)
        search.fit(X, y, classes=[0, 1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"base": base, "peak": peak, "seconds": time.time() - t0,
                      "block": rows * cols * 8, "data": n * rows * cols * 8,
                      "calls": search.metadata_["partial_fit_calls"]}))
""")


@pytest.mark.slow
def test_search_peak_memory_stays_far_below_the_data(tmp_path):
    script = tmp_path / "memory.py"
    script.write_text(SCRIPT)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    n = 25  # 200 MB, 10x the prefetch bound of a few 8 MB blocks
    out = subprocess.run([sys.executable, str(script), str(n)], capture_output=True,
                         text=True, env=env, timeout=120, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["calls"] == 69
    growth = got["peak"] - got["base"]
    # the block being fed, prefetch (2) more, one per scheduler thread being produced,
    # their slices, the validation rows (2% of the data) and the models: a bound that
    # does not depend on the number of blocks (measured: about 45 MB of 200 MB)
    assert growth < 10 * got["block"], (growth / 2**20, got)


def test_search_verbose_prints_every_round(xy, capsys):
    X, y = xy
    hyperband(max_iter=3, verbose=True, prefix="-mine").fit(X, y)
    out = capsys.readouterr().out
    assert "[HyperbandSearchCV-mine] bracket=1 round 0" in out and "round 1" in out
    hyperband(max_iter=3).fit(X, y)
    assert capsys.readouterr().out == ""


def test_search_clones_and_pickles(xy):
    import pickle

    from sklearn.base import clone

    X, y = xy
    search = hyperband(max_iter=3)
    assert clone(search).get_params()["max_iter"] == 3
    search.fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    assert_array_equal(again.predict(X).compute(), search.predict(X).compute())
    assert again.best_params_ == search.best_params_


@pytest.mark.parametrize("prefetch", [0, 4])
def test_search_same_results_whatever_the_prefetch(xy, prefetch):
    X, y = xy
    with dask.config.set({"dask_variants.prefetch": prefetch}):
        got = comparable(hyperband(max_iter=3).fit(X, y, classes=[0, 1]))
    assert got == comparable(hyperband(max_iter=3).fit(X, y, classes=[0, 1]))


def test_search_streamed_validation_uses_the_estimators_own_score(xy):
    class Scored(SGDClassifier):
        def score(self, X, y=None, sample_weight=None):
            return 0.5

    X, y = xy
    # a score with no blockwise form computes the held-out rows, and says so
    with dask.config.set({"dask_variants.search-validation-bytes": 0}), \
            pytest.warns(EagerComputeWarning, match="Scored.score has no blockwise form"):
        search = IncrementalSearchCV(Scored(random_state=0), {"alpha": [1e-4, 1e-2]},
                                     n_initial_parameters="grid", max_iter=2,
                                     random_state=0).fit(X, y)
    assert set(search.cv_results_["test_score"]) == {0.5}


def test_successive_halving_aggressiveness_near_one_terminates(xy):
    # dask-ml recursed forever when a step still asked for one call
    X, y = xy
    search = SuccessiveHalvingSearchCV(ConstantFunction(), {"value": np.linspace(0, 1, 9)},
                                       n_initial_parameters=9, n_initial_iter=1,
                                       aggressiveness=1.2, random_state=0).fit(X, y)
    assert search.best_score_ == max(search.cv_results_["test_score"])


@pytest.mark.parametrize("bad", [2.7, -1, True, "2"])
def test_prefetch_is_checked_by_one_rule_for_fits_and_searches(bad):
    """A search and a streaming fit refuse the same ``prefetch`` values with the same
    message (2.7 used to become 2 in a search), before any block is loaded."""
    X = da.from_array(np.random.RandomState(0).rand(40, 3), chunks=10)
    y = da.from_array(np.arange(40) % 2, chunks=10)
    search = IncrementalSearchCV(SGDClassifier(), {"alpha": [1e-4, 1e-3]}, n_initial_parameters=2,
                                 max_iter=2, random_state=0)
    with dask.config.set({"dask_variants.prefetch": bad}):
        with pytest.raises(ValueError) as in_search:
            search.fit(X, y, classes=[0, 1])
        with pytest.raises(ValueError) as in_fit:
            incremental.SGDClassifier().fit(X, y, classes=[0, 1])
    assert str(in_search.value) == str(in_fit.value)
    assert f"got {bad!r}" in str(in_fit.value) and "whole number >= 0" in str(in_fit.value)
    assert not hasattr(search, "best_estimator_")


@pytest.mark.parametrize("make, methods", [
    (lambda: incremental.MiniBatchKMeans(n_clusters=2, n_init=1, random_state=0),
     ["predict", "transform"]),
    (lambda: incremental.GaussianNB(), ["predict_joint_log_proba", "predict_proba"]),
])
def test_a_fitted_search_has_every_row_method_of_its_best_estimator(make, methods):
    from dask.array.utils import assert_eq

    from dask_variants.mixins.blockwise import ROW_METHODS

    rng = np.random.RandomState(0)
    Xn = np.abs(rng.rand(60, 3))
    X = da.from_array(Xn, chunks=20)
    y = da.from_array(np.arange(60) % 2, chunks=20)
    base = make()
    params = {"n_clusters": [2, 3]} if hasattr(base, "n_clusters") else {"var_smoothing": [1e-9, 1e-8]}
    search = IncrementalSearchCV(base, params, n_initial_parameters=2, max_iter=2,
                                 random_state=0).fit(X, y, **({} if "n_clusters" in params else {"classes": [0, 1]}))
    best = search.best_estimator_
    for name in ROW_METHODS:
        assert hasattr(search, name) == hasattr(best, name), name
    for name in methods:
        assert_eq(getattr(search, name)(X), getattr(best, name)(X))
        assert_eq(getattr(search, name)(Xn), getattr(best, name)(Xn))
