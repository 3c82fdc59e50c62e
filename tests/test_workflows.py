"""The four workflows our users run today with dask-ml, at small size, end to end.

Each runs in both forms: the dask-ml style wrapper (``dask_variants.wrappers``) and the
class-factory variants (``dask_variants.incremental`` / ``dask_variants.iid``), with
only the imports changed from the original documents, and asserts what a user checks.
"""

import dask
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from tests.checks import no_compute




# --------------------------------------------------- 1. incremental docs (Incremental)


def test_incremental_docs_wrapper_form():
    from sklearn.linear_model import SGDClassifier

    from dask_variants.datasets import make_classification
    from dask_variants.wrappers import Incremental

    X, y = make_classification(chunks=25, random_state=0)
    assert X.shape == (100, 20) and X.chunks[0] == (25, 25, 25, 25)
    estimator = SGDClassifier(random_state=10, max_iter=100)
    clf = Incremental(estimator)
    assert clf.fit(X, y, classes=[0, 1]) is clf
    assert repr(clf) == "Incremental(estimator=SGDClassifier(max_iter=100, random_state=10))"
    score = clf.score(X, y)
    assert isinstance(score, float) and score > 0.5
    assert clf.coef_.shape == (1, 20)
    assert clf.coef_ is clf.estimator_.coef_
    assert repr(clf.estimator_) == "SGDClassifier(max_iter=100, random_state=10)"


def test_incremental_docs_variant_form():
    from dask_variants.datasets import make_classification
    from dask_variants.incremental.linear_model import SGDClassifier

    X, y = make_classification(chunks=25, random_state=0)
    clf = SGDClassifier(random_state=10, max_iter=100)
    # on dask input the variant's fit takes partial_fit's classes=, as the wrapper does
    assert clf.fit(X, y, classes=[0, 1]) is clf
    assert clf.score(X, y) > 0.5
    assert clf.coef_.shape == (1, 20)
    assert_array_equal(clf.classes_, [0, 1])
    # without classes= they are computed from y: the same model
    other = SGDClassifier(random_state=10, max_iter=100).fit(X, y)
    assert_allclose(other.coef_, clf.coef_)


# ------------------------------------------- 2. incremental notebook (distributed)


def notebook_data():
    from dask_variants.datasets import make_classification
    from dask_variants.model_selection import train_test_split

    n, d = 4000, 20
    X, y = make_classification(n_samples=n, n_features=d, chunks=n // 10, flip_y=0.2,
                               random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    X_train, X_test, y_train, y_test = dask.persist(X_train, X_test, y_train, y_test)
    classes = da.unique(y_train).compute()
    assert_array_equal(classes, [0, 1])
    return X_train, X_test, y_train, y_test, classes


def check_predictions(model, X_test):
    with no_compute():
        pred = model.predict(X_test)  # Predict produces lazy dask arrays
    assert isinstance(pred, da.Array) and pred.chunks[0] == X_test.chunks[0]
    head = pred[:100].compute()
    assert head.shape == (100,) and set(np.unique(head)) <= {0, 1}


@pytest.mark.distributed
def test_incremental_notebook_wrapper_form(client):
    from sklearn.linear_model import SGDClassifier

    from dask_variants.wrappers import Incremental

    X_train, X_test, y_train, y_test, classes = notebook_data()
    # The notebook has loss='log': scikit-learn renamed it 'log_loss' (1.1) and removed
    # 'log' (1.3), so the only change beyond the imports is the loss name.
    est = SGDClassifier(loss="log_loss", penalty="l2", tol=1e-3, random_state=0)
    inc = Incremental(est, scoring="accuracy", random_state=0)
    inc.fit(X_train, y_train, classes=classes)
    first = inc.score(X_test, y_test)
    assert 0.6 < first <= 1.0  # flip_y=0.2 caps what any model can reach near 0.9

    est = SGDClassifier(loss="log_loss", penalty="l2", tol=0e-3, random_state=0)
    inc = Incremental(est, scoring="accuracy", random_state=0)
    scores = []
    for _ in range(3):
        inc.partial_fit(X_train, y_train, classes=classes)
        scores.append(inc.score(X_test, y_test))
    assert all(0.6 < s <= 1.0 for s in scores)
    check_predictions(inc, X_test)
    assert inc.score(X_test, y_test) == scores[-1]


@pytest.mark.distributed
def test_incremental_notebook_variant_form(client):
    from dask_variants.incremental import SGDClassifier

    X_train, X_test, y_train, y_test, classes = notebook_data()
    # loss='log' in the notebook: 'log_loss' since scikit-learn 1.1 ('log' removed in 1.3)
    inc = SGDClassifier(loss="log_loss", penalty="l2", tol=1e-3, random_state=0)
    inc.fit(X_train, y_train, classes=classes)
    assert 0.6 < inc.score(X_test, y_test) <= 1.0

    inc = SGDClassifier(loss="log_loss", penalty="l2", tol=0e-3, random_state=0)
    scores = []
    for _ in range(3):
        inc.partial_fit(X_train, y_train, classes=classes)
        scores.append(inc.score(X_test, y_test))
    assert all(0.6 < s <= 1.0 for s in scores)
    check_predictions(inc, X_test)
    # the same three passes as one fit with epochs=3 and the same block order
    three = SGDClassifier(loss="log_loss", penalty="l2", tol=0e-3, random_state=0,
                          epochs=3, shuffle_blocks=False)
    again = SGDClassifier(loss="log_loss", penalty="l2", tol=0e-3, random_state=0,
                          shuffle_blocks=False)
    three.fit(X_train, y_train)
    for _ in range(3):
        again.partial_fit(X_train, y_train, classes=classes)
    assert_allclose(three.coef_, again.coef_)


# ---------------------------------- 3. out-of-core pipelines (Pipeline, to parquet)


@pytest.fixture
def on_disk(tmp_path):
    """The blog's ``read()``: X and y read back from parquet as dask arrays."""
    dd = pytest.importorskip("dask.dataframe")
    from dask_variants.datasets import make_classification

    X, y = make_classification(n_samples=3000, n_features=20, chunks=500, random_state=2)
    X.to_dask_dataframe(columns=[f"x{i}" for i in range(20)]).to_parquet(tmp_path / "X.parq")
    y.to_dask_dataframe(columns="y").to_frame().to_parquet(tmp_path / "y.parq")

    def read():
        # a pair of dask DataFrames converted to a pair of dask arrays, as in the blog
        # (each read whole: projecting columns of one file made dask fuse partitions and
        # then reject the lengths it had computed, "3 != 6")
        X = dd.read_parquet(tmp_path / "X.parq").to_dask_array(lengths=True)
        y = dd.read_parquet(tmp_path / "y.parq")["y"].to_dask_array(lengths=True)
        return X, y

    return read


def check_pipeline_run(pipe, X, y, tmp_path):
    """Fit out of core, predict lazily, write the predictions to parquet, read back."""
    dd = pytest.importorskip("dask.dataframe")

    with no_compute():
        predictions = pipe.predict(X)
    assert isinstance(predictions, da.Array) and predictions.chunks[0] == X.chunks[0]
    # The blog wrote predictions.to_dask_dataframe(columns='a').to_parquet(...): a 1-D
    # array now converts to a dask Series, which has no to_parquet, hence to_frame().
    predictions.to_dask_dataframe(columns="a").to_frame().to_parquet(tmp_path / "predictions.parq")
    back = dd.read_parquet(tmp_path / "predictions.parq")
    assert len(back) == X.shape[0]
    assert list(back.columns) == ["a"]
    assert_array_equal(back["a"].compute().to_numpy(), predictions.compute())
    assert pipe.score(X, y) > 0.7


def test_out_of_core_pipeline_variant_form(on_disk, tmp_path):
    from sklearn.pipeline import make_pipeline

    from dask_variants.incremental.linear_model import SGDClassifier
    from dask_variants.incremental.preprocessing import StandardScaler

    X, y = on_disk()
    assert X.chunks[0] == (500,) * 6
    pipe = make_pipeline(
        StandardScaler(),
        SGDClassifier(max_iter=1000, tol=1e-3, random_state=2),
    )
    pipe.fit(X, y)
    scaler, clf = pipe.steps[0][1], pipe.steps[1][1]
    Xc, yc = dask.compute(X, y)
    assert_allclose(scaler.mean_, Xc.mean(axis=0))
    assert clf.coef_.shape == (1, 20)
    assert_array_equal(clf.classes_, [0, 1])
    check_pipeline_run(pipe, X, y, tmp_path)


def test_out_of_core_pipeline_wrapper_form(on_disk, tmp_path):
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from dask_variants.wrappers import Incremental

    X, y = on_disk()
    pipe = Pipeline([
        ("scale", Incremental(StandardScaler())),
        ("clf", Incremental(SGDClassifier(max_iter=1000, tol=1e-3, random_state=2))),
    ])
    pipe.fit(X, y, clf__classes=[0.0, 1.0])
    Xc, _ = dask.compute(X, y)
    assert_allclose(pipe.steps[0][1].mean_, Xc.mean(axis=0))
    assert pipe.steps[1][1].coef_.shape == (1, 20)
    check_pipeline_run(pipe, X, y, tmp_path)


# -------------------------------------------------- 4. iid: fit on the first block


def test_iid_blog_variant_form():
    from sklearn.ensemble import GradientBoostingClassifier as SklearnGBC

    from dask_variants.datasets import make_classification
    from dask_variants.iid.ensemble import GradientBoostingClassifier
    from dask_variants.mixins import BlockwisePredictMixin, IIDMixin

    X, y = make_classification(n_samples=6000, chunks=1000, random_state=0)
    clf = GradientBoostingClassifier(n_estimators=30, random_state=0)
    clf.fit(X, y)
    # the class is made with type() from the mixins and the scikit-learn class
    assert type(clf).__bases__ == (IIDMixin, BlockwisePredictMixin, SklearnGBC)
    # it trained on the first block only: exactly scikit-learn on those rows
    ref = SklearnGBC(n_estimators=30, random_state=0).fit(
        X.blocks[0].compute(), y.blocks[0].compute()
    )
    assert_allclose(clf.feature_importances_, ref.feature_importances_)
    with no_compute():
        prob_a = clf.predict_proba(X)
    assert isinstance(prob_a, da.Array)
    assert prob_a.shape == (6000, 2) and prob_a.chunks == ((1000,) * 6, (2,))
    head = prob_a[:10].compute()
    assert_allclose(head.sum(axis=1), 1.0)
    assert_allclose(head, ref.predict_proba(X[:10].compute()))
    assert clf.score(X, y) > 0.7


def test_iid_blog_wrapper_form():
    from sklearn.ensemble import GradientBoostingClassifier

    from dask_variants.datasets import make_classification
    from dask_variants.wrappers import ParallelPostFit

    X, y = make_classification(n_samples=6000, chunks=1000, random_state=0)
    # dask-ml's ParallelPostFit fits as scikit-learn does: hand it the sample to train on
    X_small, y_small = dask.compute(X.blocks[0], y.blocks[0])
    clf = ParallelPostFit(GradientBoostingClassifier(n_estimators=30, random_state=0))
    clf.fit(X_small, y_small)
    with no_compute():
        prob_a = clf.predict_proba(X)
    assert prob_a.shape == (6000, 2) and prob_a.chunks[0] == (1000,) * 6
    head = prob_a[:10].compute()
    assert_allclose(head.sum(axis=1), 1.0)
    assert_allclose(head, clf.estimator_.predict_proba(X[:10].compute()))
    assert clf.score(X, y) > 0.7
