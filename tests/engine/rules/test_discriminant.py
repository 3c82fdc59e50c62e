"""exact.LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis and NearestCentroid
equal scikit-learn on the concatenated rows.

Tolerance: every fitted attribute to rtol 1e-8 (LDA / QDA: SVDs and a generalised
eigenproblem of well-conditioned data, rounding ~1e-13 here), signs of the singular
vectors included; NearestCentroid to rtol 1e-10; float32 data to rtol 1e-3. The
'eigen' solvers' eigenvectors are compared up to the sign of each (scipy's ``eigh``
flips signs under 1e-15 perturbations of its input, so scikit-learn's signs are not a
function of the data to rounding), and LDA's only where the eigenvalue is not a
repeated zero (any basis of that eigenspace is scikit-learn's answer too).
"""
import dask
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from sklearn.covariance import OAS, LedoitWolf, MinCovDet, ShrunkCovariance
from sklearn.discriminant_analysis import (
    LinearDiscriminantAnalysis,
    QuadraticDiscriminantAnalysis,
)
from sklearn.neighbors import NearestCentroid

from dask_variants import exact
from tests.engine.rules.compare import assert_same_fit, concat, frame_layout, layouts

RTOL = 1e-8

rng = np.random.RandomState(0)
X = rng.normal(size=(200, 4)) @ (np.eye(4) + 0.3 * rng.normal(size=(4, 4))) + [0, 3, -1, 5]
Y3 = rng.choice(np.array(["a", "b", "c"]), size=200, p=[0.3, 0.5, 0.2])
X[Y3 == "b"] += [2, 0, 1, 0]
X[Y3 == "c"] *= [1, 2, 0.5, 1]
Y2 = np.where(X[:, 0] + rng.normal(size=200) > 0.5, 1, 0)
# a class whose rows all come late (absent from the first blocks) and one that is small
Y4 = Y3.copy()
Y4[-6:] = "late"


def _fit_both(cls, params, dX, dy):
    ours = getattr(exact, cls.__name__)(**params).fit(dX, dy)
    ref = cls(**params).fit(concat(dX), concat(dy))
    if params.get("solver") == "eigen":
        _eigenvectors_to_sklearn_signs(ours, ref)
    return ours, ref


def _eigenvectors_to_sklearn_signs(ours, ref):
    """Flip each eigenvector of an 'eigen' solver to scikit-learn's sign (only the
    signs: the values are still compared), and LDA's zero-eigenvalue ones to its."""
    def flip(a, b):
        return a * np.where(np.sum(a * b, axis=0) < 0, -1, 1)

    if hasattr(ref, "rotations_"):
        ours.rotations_ = [flip(a, b) for a, b in zip(ours.rotations_, ref.rotations_)]
    else:
        r = ref._max_components
        np.testing.assert_allclose(flip(ours.scalings_[:, :r], ref.scalings_[:, :r]),
                                   ref.scalings_[:, :r], rtol=RTOL, atol=1e-10)
        ours.scalings_ = ref.scalings_  # beyond r: a basis of a repeated eigenvalue


LDA_PARAMS = [
    {}, {"solver": "svd", "store_covariance": True, "n_components": 1},
    {"solver": "lsqr"}, {"solver": "lsqr", "shrinkage": "auto"},
    {"solver": "eigen", "shrinkage": 0.3}, {"solver": "eigen", "shrinkage": "auto"},
    {"solver": "lsqr", "priors": [0.2, 0.2, 0.6]},
    {"solver": "eigen", "covariance_estimator": LedoitWolf()},
    {"solver": "lsqr", "covariance_estimator": OAS(assume_centered=True)},
    {"solver": "lsqr", "covariance_estimator": ShrunkCovariance(shrinkage=0.5)},
]


@pytest.mark.parametrize("dX, dy", layouts(X, Y3))
def test_lda_equals_sklearn_on_every_layout(dX, dy):
    ours, ref = _fit_both(LinearDiscriminantAnalysis, {}, dX, dy)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)
    assert ours._max_components == ref._max_components
    np.testing.assert_allclose(ours.transform(dX).compute(), ref.transform(concat(dX)),
                               rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("params", LDA_PARAMS, ids=str)
def test_lda_every_solver_and_shrinkage(params):
    dX, dy = (da.from_array(X, chunks=((7, 93, 0, 60, 40), -1)),
              da.from_array(Y3, chunks=((7, 93, 0, 60, 40),)))
    ours, ref = _fit_both(LinearDiscriminantAnalysis, params, dX, dy)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("y", [Y2, Y4], ids=["binary", "late-class"])
@pytest.mark.parametrize("solver", ["svd", "eigen"])
def test_lda_binary_and_class_absent_from_first_blocks(y, solver):
    dX, dy = da.from_array(X, chunks=(40, -1)), da.from_array(y, chunks=40)
    ours, ref = _fit_both(LinearDiscriminantAnalysis, {"solver": solver}, dX, dy)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


def test_lda_small_data_held_whole():
    # fewer rows than 2 * n_features per class: decomposed as scikit-learn does
    Xs, ys = X[:14], np.array([0, 1] * 7)
    ours, ref = _fit_both(LinearDiscriminantAnalysis, {}, da.from_array(Xs, chunks=(5, -1)),
                          da.from_array(ys, chunks=5))
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


def test_lda_float32_keeps_dtypes():
    X32 = X.astype(np.float32)
    ours, ref = _fit_both(LinearDiscriminantAnalysis, {},
                          da.from_array(X32, chunks=(50, -1)), da.from_array(Y3, chunks=50))
    assert ours.coef_.dtype == ref.coef_.dtype == np.float32
    assert_same_fit(ours, ref, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("params, err, match", [
    ({"shrinkage": "auto"}, NotImplementedError, "shrinkage not supported"),
    ({"solver": "lsqr", "covariance_estimator": MinCovDet()}, ValueError,
     "covariance_estimator=MinCovDet"),
])
def test_lda_refuses_before_reading(params, err, match):
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.LinearDiscriminantAnalysis(**params)
    with pytest.raises(err, match=match):
        est.fit(dX, da.from_array(Y3, chunks=50))
    assert not hasattr(est, "coef_")


QDA_PARAMS = [{}, {"reg_param": 0.1, "store_covariance": True},
              {"priors": [0.4, 0.2, 0.2, 0.2]}]
if "solver" in QuadraticDiscriminantAnalysis().get_params():  # scikit-learn >= 1.9
    QDA_PARAMS += [{"solver": "eigen", "shrinkage": "auto"},
                   {"solver": "eigen", "store_covariance": True},
                   {"solver": "eigen", "covariance_estimator": OAS()}]


@pytest.mark.parametrize("dX, dy", layouts(X, Y3))
def test_qda_equals_sklearn_on_every_layout(dX, dy):
    ours, ref = _fit_both(QuadraticDiscriminantAnalysis, {"store_covariance": True},
                          dX, dy)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("params", QDA_PARAMS, ids=str)
def test_qda_every_parameter(params):
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(Y4[::-1], chunks=30)
    ours, ref = _fit_both(QuadraticDiscriminantAnalysis, params, dX, dy)
    assert_same_fit(ours, ref, rtol=RTOL, atol=1e-10)
    proba = ours.predict_proba(dX)
    assert isinstance(proba, da.Array)
    np.testing.assert_allclose(proba.compute(), ref.predict_proba(X), rtol=1e-7,
                               atol=1e-10)


@pytest.mark.parametrize("dX, dy", layouts(X, Y4))
@pytest.mark.parametrize("params", [{}, {"shrink_threshold": 0.5},
                                    {"priors": "uniform"}], ids=str)
def test_nearest_centroid_equals_sklearn(dX, dy, params):
    ours, ref = _fit_both(NearestCentroid, params, dX, dy)
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-12)


def test_nearest_centroid_sparse_blocks_and_lazy_predict():
    Xs = scipy.sparse.csr_matrix(np.where(np.abs(X) > 1, X, 0))
    dX = da.from_array(Xs, chunks=(50, -1), asarray=False)
    dy = da.from_array(Y3, chunks=50)
    ours = exact.NearestCentroid(shrink_threshold=0.2).fit(dX, dy)
    ref = NearestCentroid(shrink_threshold=0.2).fit(Xs, Y3)
    assert_same_fit(ours, ref, rtol=1e-10, atol=1e-12)
    pred = ours.predict(da.from_array(X, chunks=(50, -1)))
    assert isinstance(pred, da.Array)
    np.testing.assert_array_equal(pred.compute(), ref.predict(X))


def test_nearest_centroid_refuses_manhattan_before_reading():
    def boom(block):
        raise AssertionError("a block was read")

    dX = da.from_array(X, chunks=(50, -1)).map_blocks(boom, dtype=float)
    est = exact.NearestCentroid(metric="manhattan")
    with pytest.raises(ValueError, match="metric='manhattan'") as info:
        est.fit(dX, da.from_array(Y3, chunks=50))
    assert "dask_variants.iid.NearestCentroid" in str(info.value)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])  # processes: test_covariance
def test_lda_same_on_every_scheduler(scheduler):
    dX, dy = da.from_array(X, chunks=(30, -1)), da.from_array(Y3, chunks=30)
    with dask.config.set(scheduler=scheduler):
        ours = exact.LinearDiscriminantAnalysis().fit(dX, dy)
    assert_same_fit(ours, LinearDiscriminantAnalysis().fit(X, Y3), rtol=RTOL, atol=1e-10)


def test_lda_frame_predict_is_lazy_and_named():
    dX, dy = frame_layout(X, Y3)
    ours, ref = _fit_both(LinearDiscriminantAnalysis, {}, dX, dy)
    assert list(ours.feature_names_in_) == [f"f{j}" for j in range(4)]
    pred = ours.predict(dX)
    np.testing.assert_array_equal(np.asarray(pred.compute()), ref.predict(concat(dX)))


@pytest.mark.parametrize("cls", [LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis,
                                 NearestCentroid], ids=lambda c: c.__name__)
def test_discriminant_in_memory_is_sklearn(cls):
    ours = getattr(exact, cls.__name__)().fit(X, Y3)
    assert_same_fit(ours, cls().fit(X, Y3), rtol=0, atol=0)
