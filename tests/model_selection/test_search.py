"""scikit-learn's GridSearchCV / RandomizedSearchCV over dask arrays, folds along blocks.

The incremental variants and the Incremental wrapper are fitted on dask folds (never a
NumPy copy of a fold), one block per ``partial_fit`` call, and scored blockwise.
"""
import dask
import dask.array as da
import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from dask_variants import incremental
from dask_variants.datasets import make_classification
from dask_variants.metrics import get_scorer
from dask_variants.model_selection import BlockKFold
from dask_variants.wrappers import Incremental


class BlockRecordingSGD(SGDClassifier):
    """SGDClassifier that records what each ``partial_fit`` call receives."""

    seen = []

    def partial_fit(self, X, y=None, classes=None, sample_weight=None):
        BlockRecordingSGD.seen.append((type(X), X.shape[0]))
        return super().partial_fit(X, y, classes=classes, sample_weight=sample_weight)


@pytest.fixture
def problem():
    """An easy binary problem, 600 rows in 6 blocks of 100."""
    X, y = make_classification(
        n_samples=600, n_features=10, n_informative=5, chunks=100, random_state=0
    )
    return dask.persist(X, y, scheduler="sync")


@pytest.fixture
def fit_inputs(monkeypatch):
    """Record the types and row blocks that ``fit`` receives on a class."""
    seen = []

    def spy(cls):
        original = cls.fit

        def fit(self, X, y=None, **kwargs):
            seen.append((type(X), type(y), getattr(X, "chunks", None)))
            return original(self, X, y, **kwargs)

        monkeypatch.setattr(cls, "fit", fit)
        return seen

    return spy


def check_dask_folds(seen, n_fits):
    assert len(seen) == n_fits
    for x_type, y_type, chunks in seen:
        assert x_type is da.Array and y_type is da.Array
        assert len(chunks[0]) >= 2  # a fold keeps its blocks: never one gathered array
        assert max(chunks[0]) <= 100


def test_grid_search_over_an_incremental_variant_with_epochs(problem, fit_inputs):
    X, y = problem
    Variant = incremental.SGDClassifier
    seen = fit_inputs(Variant)
    grid = {"epochs": [1, 3], "alpha": [1e-4, 10.0]}
    search = GridSearchCV(Variant(random_state=0), grid, cv=BlockKFold(3))
    with dask.config.set(scheduler="sync"):
        search.fit(X, y)
    # 4 candidates x 3 folds, then the refit on all of X
    check_dask_folds(seen[:-1], 12)
    assert seen[-1][0] is da.Array and seen[-1][2] == X.chunks
    # alpha=10 regularises the model to a near-constant: never the best
    assert search.best_params_["alpha"] == 1e-4
    assert search.best_params_["epochs"] in (1, 3)
    assert search.best_score_ > 0.75
    assert sorted(search.cv_results_["param_epochs"].tolist()) == [1, 1, 3, 3]
    best = search.best_estimator_
    assert isinstance(best, Variant) and best.epochs == search.best_params_["epochs"]
    assert isinstance(search.predict(X), da.Array)
    assert search.score(X, y) > 0.75


def test_partial_fit_sees_one_block_at_a_time_inside_the_search(problem):
    X, y = problem
    BlockRecordingSGD.seen.clear()
    Variant = incremental.variant(BlockRecordingSGD)
    search = GridSearchCV(
        Variant(random_state=0, epochs=2), {"alpha": [1e-4, 1e-3]}, cv=BlockKFold(3),
        refit=False,
    )
    with dask.config.set(scheduler="sync"):
        search.fit(X, y)
    # 2 candidates x 3 folds x 2 epochs x 4 training blocks of 100 rows, as NumPy
    assert BlockRecordingSGD.seen == [(np.ndarray, 100)] * (2 * 3 * 2 * 4)


def test_randomized_search_over_an_incremental_variant(problem, fit_inputs):
    X, y = problem
    Variant = incremental.SGDClassifier
    seen = fit_inputs(Variant)
    search = RandomizedSearchCV(
        Variant(random_state=0),
        {"alpha": loguniform(1e-5, 1e-2), "epochs": [1, 2]},
        n_iter=3, cv=BlockKFold(2), random_state=0,
        scoring=get_scorer("accuracy"),  # blockwise: the test fold is not gathered either
    )
    with dask.config.set(scheduler="sync"):
        search.fit(X, y)
    check_dask_folds(seen[:-1], 6)
    assert 1e-5 <= search.best_params_["alpha"] <= 1e-2
    assert search.best_score_ > 0.75


def test_grid_search_over_the_incremental_wrapper(problem, fit_inputs):
    X, y = problem
    seen = fit_inputs(Incremental)
    model = Incremental(SGDClassifier(random_state=0), random_state=0)
    grid = {"estimator__alpha": [1e-4, 10.0], "shuffle_blocks": [True, False]}
    search = GridSearchCV(model, grid, cv=BlockKFold(3))
    with dask.config.set(scheduler="sync"):
        search.fit(X, y, classes=[0, 1])
    check_dask_folds(seen[:-1], 12)
    assert search.best_params_["estimator__alpha"] == 1e-4
    assert search.best_score_ > 0.75
    assert isinstance(search.best_estimator_, Incremental)
    assert search.best_estimator_.coef_.shape == (1, 10)
    assert isinstance(search.best_estimator_.predict(X), da.Array)


def test_search_matches_a_hand_written_cross_validation(problem):
    """The search's fold scores are those of fitting each fold by hand."""
    X, y = problem
    search = GridSearchCV(
        incremental.SGDClassifier(random_state=0, shuffle_blocks=False),
        {"alpha": [1e-3]}, cv=BlockKFold(3), refit=False,
    )
    with dask.config.set(scheduler="sync"):
        search.fit(X, y)
    Xc, yc = dask.compute(X, y)
    for i, (train, test) in enumerate(BlockKFold(3).split(X)):
        ref = SGDClassifier(random_state=0, alpha=1e-3)
        for start in range(0, len(train), 100):
            rows = train[start:start + 100]
            ref.partial_fit(Xc[rows], yc[rows], classes=[0, 1])
        expected = ref.score(Xc[test], yc[test])
        assert search.cv_results_[f"split{i}_test_score"][0] == pytest.approx(expected)
