"""IIDMixin: fit on a sample of whole row blocks; every other input is scikit-learn's."""
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

import dask_variants.iid as iid

rng = np.random.RandomState(0)
X_NP = rng.normal(size=(100, 3))
Y_NP = np.arange(100) % 2
X, Y = da.from_array(X_NP, chunks=25), da.from_array(Y_NP, chunks=25)


def test_iid_fits_on_the_first_block():
    est = iid.LogisticRegression().fit(X, Y)
    ref = LogisticRegression().fit(X_NP[:25], Y_NP[:25])
    assert_allclose(est.coef_, ref.coef_)


def test_iid_sample_blocks_takes_more_leading_blocks():
    est = iid.LogisticRegression(sample_blocks=2).fit(X, Y)
    assert_allclose(est.coef_, LogisticRegression().fit(X_NP[:50], Y_NP[:50]).coef_)
    est = iid.LogisticRegression(sample_blocks=10).fit(X, Y)  # more than there are: all
    assert_allclose(est.coef_, LogisticRegression().fit(X_NP, Y_NP).coef_)


def test_iid_random_blocks_are_seeded_by_random_state():
    est = iid.GradientBoostingClassifier(
        n_estimators=5, random_state=3, sample_blocks=2, sample_choice="random").fit(X, Y)
    chosen = sorted(np.random.RandomState(3).choice(4, size=2, replace=False))
    rows = np.concatenate([np.arange(25 * k, 25 * k + 25) for k in chosen])
    ref = GradientBoostingClassifier(n_estimators=5, random_state=3).fit(X_NP[rows], Y_NP[rows])
    assert_allclose(est.predict_proba(X_NP), ref.predict_proba(X_NP))


@pytest.mark.parametrize("knobs, match", [
    ({"sample_blocks": 0}, "sample_blocks must be a whole number >= 1, got 0"),
    ({"sample_blocks": 1.5}, "sample_blocks must be a whole number"),
    ({"sample_choice": "first"}, "sample_choice must be 'leading' or 'random', got 'first'"),
])
def test_iid_bad_knobs_raise_before_any_block_is_loaded(knobs, match):
    est = iid.LogisticRegression(**knobs)
    with pytest.raises(ValueError, match=match):
        est.fit(X, Y)


def test_iid_numpy_input_is_plain_sklearn():
    est = iid.LogisticRegression(sample_blocks=1).fit(X_NP, Y_NP)
    assert_allclose(est.coef_, LogisticRegression().fit(X_NP, Y_NP).coef_)


def test_iid_failed_fit_keeps_the_fitted_state():
    est = iid.LogisticRegression().fit(X, Y)
    coef = est.coef_.copy()
    bad_y = da.from_array(np.zeros(100), chunks=25)  # one class: LogisticRegression refuses
    with pytest.raises(ValueError):
        est.fit(X, bad_y)
    assert_allclose(est.coef_, coef)
