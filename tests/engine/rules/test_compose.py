"""exact.Pipeline and exact.FeatureUnion: every step fitted on every row of what the
previous step produced, equal to scikit-learn's composite on the concatenated data."""
import dask.array as da
import numpy as np
import pytest
from sklearn.cluster import MiniBatchKMeans
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, Normalizer, StandardScaler

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, layouts

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 4)) * [1, 10, 100, 0.1] + [0, 3, -50, 1]
Y = X @ rng.normal(size=4) + rng.normal(size=200)
W = rng.uniform(0.5, 2, size=200)


def steps(exact_outer):
    union = (exact.FeatureUnion if exact_outer else FeatureUnion)(
        [("a", MaxAbsScaler()), ("b", make_pipeline(MinMaxScaler()))])
    return [("n", Normalizer()), ("s", StandardScaler()), ("u", union), ("r", Ridge())]


@pytest.mark.parametrize("dX, dy, dw", layouts(X, Y, W))
def test_pipeline_of_exact_steps_equals_sklearn(dX, dy, dw):
    ours = exact.Pipeline(steps(True)).fit(dX, dy, r__sample_weight=dw)
    ref = Pipeline(steps(False)).fit(concat(dX), concat(dy), r__sample_weight=concat(dw))
    # a step after the first sees a frame with string column names where scikit-learn
    # sees an array (row-wise outputs of a dask frame are frames: DESIGN); the names it
    # learned only from that are dropped, so nothing is skipped
    skip = ()
    for (name, got), (_, want) in zip(ours.steps, ref.steps):
        if name == "u":
            for (_, g), (_, w) in zip(got.transformer_list, want.transformer_list):
                assert_same_fit(g[-1] if hasattr(g, "steps") else g,
                                w[-1] if hasattr(w, "steps") else w, rtol=1e-10, skip=skip)
        else:
            assert_same_fit(got, want, rtol=1e-8, atol=1e-10, skip=skip)
    np.testing.assert_allclose(ours.predict(dX).compute(), ref.predict(concat(dX)),
                               rtol=1e-8)


def test_pipeline_steps_become_exact_variants():
    pipe = exact.Pipeline([("s", StandardScaler()), ("l", exact.LinearRegression())])
    pipe.fit(da.from_array(X, chunks=(50, -1)), da.from_array(Y, chunks=50))
    assert isinstance(pipe.steps[0][1], exact.StandardScaler)
    ref = make_pipeline(StandardScaler(), LinearRegression()).fit(X, Y)
    assert_same_fit(pipe[-1], ref[-1], rtol=1e-9, atol=1e-10)


def test_pipeline_refuses_a_step_without_exact_fit_before_reading():
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    pipe = exact.Pipeline([("s", StandardScaler()), ("k", MiniBatchKMeans(2))])
    with pytest.raises(TypeError, match=r"step 'k' \(MiniBatchKMeans\) has no exact"):
        pipe.fit(dX)


def test_pipeline_in_memory_is_sklearn():
    ours = exact.Pipeline(steps(True)).fit(X, Y)
    ref = Pipeline(steps(False)).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_partial_fit_merges_every_row_into_the_state():
    dX = da.from_array(X, chunks=(30, -1))
    est = exact.StandardScaler().fit(dX[:100])
    est.partial_fit(dX[100:])
    ref = StandardScaler().partial_fit(X[:100]).partial_fit(X[100:])
    assert_same_fit(est, ref, rtol=1e-12)
    assert not hasattr(exact.LinearRegression(), "partial_fit")  # as scikit-learn's
