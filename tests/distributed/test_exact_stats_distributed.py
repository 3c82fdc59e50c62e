"""The exact scalers / naive Bayes / selection / imputation family on a 2-worker
LocalCluster: scikit-learn's fit on the concatenated rows (the median's further passes
and the class merges of naive Bayes run as tasks on the workers)."""
import dask.array as da
import numpy as np
import pytest
from sklearn.feature_selection import SelectKBest, VarianceThreshold, f_classif
from sklearn.impute import SimpleImputer
from sklearn.naive_bayes import GaussianNB

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, frame_layout

pytest.importorskip("distributed")

pytestmark = pytest.mark.distributed

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 4))
Y = np.sort(rng.choice([0, 1, 2], 200))
XN = X.copy()
XN[rng.rand(200, 4) < 0.2] = np.nan


def test_exact_stats_family_on_cluster_equals_sklearn(client):
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(Y, chunks=30)
    dXN = da.from_array(XN, chunks=(30, -1))
    assert_same_fit(exact.SimpleImputer(strategy="median").fit(dXN),
                    SimpleImputer(strategy="median").fit(XN), rtol=0, atol=0)
    assert_same_fit(exact.GaussianNB().fit(dX, dy), GaussianNB().fit(X, Y),
                    rtol=1e-9, atol=1e-12)
    assert_same_fit(exact.SelectKBest(f_classif, k=2).fit(dX, dy),
                    SelectKBest(f_classif, k=2).fit(X, Y), rtol=1e-9, atol=1e-12)
    fX, = frame_layout(XN)
    assert_same_fit(exact.VarianceThreshold().fit(fX), VarianceThreshold().fit(fX.compute()),
                    rtol=1e-10, atol=1e-25)
