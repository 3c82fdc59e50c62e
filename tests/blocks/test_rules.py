"""Behaviour is chosen by what an estimator is, not by what its class is called."""
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.cluster import KMeans
from sklearn.preprocessing import LabelEncoder as SklearnLabelEncoder

from dask_variants import iid
from dask_variants.exceptions import EagerComputeWarning
from dask_variants.blocks._rules import score_rule


class PCA(BaseEstimator):
    """A third-party class that shares scikit-learn's name; its score is a median."""

    def fit(self, X, y=None):
        self.center_ = np.median(X, axis=0)
        return self

    def score(self, X, y=None):
        return float(np.median(np.abs(np.asarray(X) - self.center_)))


class MyKMeans(KMeans):
    """A plain subclass: it keeps KMeans' blockwise score."""


@pytest.fixture
def X():
    rng = np.random.RandomState(0)
    return rng.exponential(size=(120, 3))


def test_score_rule_is_not_taken_from_a_class_name(X):
    assert score_rule(PCA) is None
    est = iid.variant(PCA)(sample_blocks=4).fit(da.from_array(X, chunks=30))
    with pytest.warns(EagerComputeWarning):
        got = est.score(da.from_array(X, chunks=30))
    assert got == pytest.approx(PCA().fit(X).score(X))


def test_a_subclass_keeps_the_blockwise_score(X):
    assert score_rule(MyKMeans) == "sum"
    est = iid.variant(MyKMeans)(n_clusters=2, n_init=1, random_state=0, sample_blocks=4)
    est.fit(da.from_array(X, chunks=30))
    got = est.score(da.from_array(X, chunks=30))  # no EagerComputeWarning (an error here)
    assert_allclose(got, KMeans.score(est, X))


class TwoOfThree(TransformerMixin, BaseEstimator):
    """Declares three output columns by its fitted attributes, returns two."""

    def fit(self, X, y=None):
        self.n_features_in_ = X.shape[1]
        self.components_ = np.ones((3, X.shape[1]))
        return self

    def transform(self, X):
        return np.asarray(X)[:, :2]


def test_a_block_whose_output_breaks_the_declared_meta_is_named(X):
    est = iid.variant(TwoOfThree)().fit(da.from_array(X, chunks=30))
    out = est.transform(da.from_array(X, chunks=30))
    assert out.shape == (120, 3)
    with pytest.raises(ValueError, match=r"TwoOfThree.transform returned shape \(120, 2\) "
                                         r"for row blocks 0 to 3, but its fitted attributes "
                                         r"declare \(n, 3\)"):
        out.compute()


class LabelEncoder(TransformerMixin, BaseEstimator):
    """A third-party class named like scikit-learn's; its transform gives two columns."""

    def fit(self, X, y=None):
        self.n_features_in_ = 1
        self.n_components_ = 2
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        return np.hstack([X, X * 2.0])


class MyLabelEncoder(SklearnLabelEncoder):
    """A plain subclass: its transform is scikit-learn's, one int64 per row."""


def test_meta_special_cases_follow_the_class_not_its_name():
    labels = np.array([3, 1, 2, 3, 1, 2] * 5)
    column = labels.reshape(-1, 1)
    same_name = iid.variant(LabelEncoder)().fit(da.from_array(column, chunks=10))
    out = same_name.transform(da.from_array(column, chunks=10))
    assert (out.shape, out.dtype) == ((30, 2), np.float64)  # not LabelEncoder's rule
    assert_allclose(out.compute(), LabelEncoder().fit(column).transform(column))
    sub = iid.variant(MyLabelEncoder)().fit(da.from_array(labels, chunks=10))
    out = sub.transform(da.from_array(labels, chunks=10))
    assert (out.shape, out.dtype) == ((30,), np.int64)  # scikit-learn's rule
    assert_allclose(out.compute(), SklearnLabelEncoder().fit(labels).transform(labels))


class ScoresAsLabels(ClassifierMixin, BaseEstimator):
    """Integer classes_, but predict returns a float score per row."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float)[:, 0] / 10.0


def test_a_block_whose_dtype_breaks_the_declared_meta_is_named(X):
    y = (X[:, 0] > 1).astype(np.int64)
    est = iid.variant(ScoresAsLabels)().fit(da.from_array(X, chunks=30),
                                            da.from_array(y, chunks=30))
    out = est.predict(da.from_array(X, chunks=30))
    assert out.dtype == np.int64  # declared from classes_
    with pytest.raises(ValueError, match=r"ScoresAsLabels.predict returned dtype float64 "
                                         r"for row blocks 0 to 3, but its fitted attributes "
                                         r"declare int64"):
        out.compute()
