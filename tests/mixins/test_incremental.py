"""IncrementalMixin: fit streams the blocks through partial_fit, as a hand loop would."""
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.naive_bayes import MultinomialNB
from sklearn.neural_network import MLPClassifier

import dask_variants.incremental as incremental
from dask_variants.blocks._blocks import block_order

rng = np.random.RandomState(0)
X_NP = rng.normal(size=(90, 4))
Y_NP = (X_NP[:, 0] - X_NP[:, 1] > 0).astype(int)


@st.composite
def row_chunks(draw, n=90):
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=10)))
    edges = [0, *cuts, n]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


def _hand_loop(est, X, y, chunks, order=None, epochs=1, **params):
    edges = np.concatenate([[0], np.cumsum(chunks)])
    for _ in range(epochs):
        for k in order if order is not None else range(len(chunks)):
            sl = slice(edges[k], edges[k + 1])
            est.partial_fit(X[sl], y[sl], **params)
    return est


@given(chunks=row_chunks())
def test_incremental_fit_equals_a_hand_written_partial_fit_loop(chunks):
    X = da.from_array(X_NP, chunks=(chunks, 4))
    y = da.from_array(Y_NP, chunks=(chunks,))
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    ref = _hand_loop(SGDClassifier(random_state=0), X_NP, Y_NP, chunks, classes=[0, 1])
    assert_allclose(est.coef_, ref.coef_)
    assert_allclose(est.intercept_, ref.intercept_)


@given(seed=st.integers(0, 2**31 - 1), epochs=st.integers(1, 3))
def test_incremental_shuffled_epochs_follow_the_seeded_block_order(seed, epochs):
    chunks = (20, 25, 15, 30)
    X = da.from_array(X_NP, chunks=(chunks, 4))
    y = da.from_array(Y_NP, chunks=(chunks,))
    est = incremental.SGDClassifier(random_state=seed, epochs=epochs).fit(X, y)
    order_rng = np.random.RandomState(seed)
    ref = SGDClassifier(random_state=seed)
    for _ in range(epochs):
        _hand_loop(ref, X_NP, Y_NP, chunks, order=block_order(4, True, order_rng), classes=[0, 1])
    assert_allclose(est.coef_, ref.coef_)
    again = clone(est).fit(X, y)
    assert_allclose(again.coef_, est.coef_)


def test_incremental_fit_resets_and_partial_fit_continues(xy_rowblocks):
    X, y = xy_rowblocks
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    first = est.coef_.copy()
    est.fit(X, y)
    assert_allclose(est.coef_, first)  # fit starts again from scratch
    est.partial_fit(X, y)
    ref = SGDClassifier(random_state=0)
    Xn, yn = X.compute(), y.compute()
    _hand_loop(ref, Xn, yn, X.chunks[0], epochs=2, classes=[0, 1])
    assert_allclose(est.coef_, ref.coef_)


def test_incremental_classes_are_taken_from_the_fit_parameters_or_y():
    X = da.from_array(X_NP, chunks=30)
    y = da.from_array(Y_NP, chunks=30)
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    est.fit(X, y, classes=[0, 1, 2])
    assert est.classes_.tolist() == [0, 1, 2]
    est.fit(X, y)
    assert est.classes_.tolist() == [0, 1]


def test_incremental_per_row_parameters_follow_the_blocks():
    X = da.from_array(X_NP, chunks=30)
    y = da.from_array(Y_NP, chunks=45)  # rechunked to X's blocks
    w = np.linspace(0.1, 3, 90)
    est = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    est.fit(X, y, sample_weight=da.from_array(w, chunks=10))
    ref = SGDClassifier(random_state=0)
    for k in range(3):
        sl = slice(30 * k, 30 * k + 30)
        ref.partial_fit(X_NP[sl], Y_NP[sl], classes=[0, 1], sample_weight=w[sl])
    assert_allclose(est.coef_, ref.coef_)
    est.fit(X, y, sample_weight=w)  # in memory, split along X's blocks
    assert_allclose(est.coef_, ref.coef_)


def test_incremental_dask_dataframe_with_unknown_sizes():
    df = pd.DataFrame(X_NP, columns=list("abcd"))
    df["target"] = Y_NP
    ddf = dd.from_pandas(df, npartitions=3)
    est = incremental.SGDRegressor(random_state=0, shuffle_blocks=False)
    est.fit(ddf[list("abcd")], ddf["target"])
    ref = SGDRegressor(random_state=0)
    for part in ddf.partitions:
        p = part.compute()
        ref.partial_fit(p[list("abcd")], p["target"])
    assert_allclose(est.coef_, ref.coef_)
    pred = est.predict(ddf[list("abcd")])
    assert isinstance(pred, dd.Series)
    assert_allclose(pred.compute().to_numpy(), ref.predict(df[list("abcd")]))


def test_incremental_transformers_without_score_fit():
    X = da.from_array(np.abs(X_NP), chunks=30)
    est = incremental.StandardScaler().fit(X)
    assert_allclose(est.mean_, np.abs(X_NP).mean(axis=0))
    nb = incremental.MultinomialNB().fit(X, da.from_array(Y_NP, chunks=30))
    assert_allclose(nb.feature_count_, MultinomialNB().fit(np.abs(X_NP), Y_NP).feature_count_)


def test_incremental_mlp_matches_the_hand_loop():
    X = da.from_array(X_NP, chunks=30)
    y = da.from_array(Y_NP, chunks=30)
    params = dict(hidden_layer_sizes=(5,), random_state=0)
    est = incremental.MLPClassifier(**params, shuffle_blocks=False, epochs=2).fit(X, y)
    ref = _hand_loop(MLPClassifier(**params), X_NP, Y_NP, (30, 30, 30), epochs=2, classes=[0, 1])
    for a, b in zip(est.coefs_, ref.coefs_):
        assert_allclose(a, b)


def test_incremental_numpy_input_is_plain_sklearn():
    est = incremental.SGDClassifier(random_state=0, epochs=7).fit(X_NP, Y_NP)
    ref = SGDClassifier(random_state=0).fit(X_NP, Y_NP)
    assert_allclose(est.coef_, ref.coef_)
    assert est.n_iter_ == ref.n_iter_


def test_incremental_fit_takes_partial_fit_parameters_only_on_dask_input():
    with pytest.raises(TypeError, match="classes"):
        incremental.SGDClassifier().fit(X_NP, Y_NP, classes=[0, 1])  # as scikit-learn
    X = da.from_array(X_NP, chunks=30)
    with pytest.raises(TypeError, match=r"partial_fit does not take \['coef_init'\]"):
        incremental.SGDClassifier().fit(X, da.from_array(Y_NP, chunks=30), coef_init=np.zeros(4))
