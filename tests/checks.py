"""The checks every generated variant must pass, and how to build and feed a variant.

``build(Variant)`` makes an instance with the parameters scikit-learn's own test suite
uses for the base class (meta-estimators get their sub-estimators), seeded. ``data_for``
makes a small problem the estimator's tags say it accepts, with every class present in
every row block so that an ``iid`` fit on the first block sees them all.
"""
import contextlib
import inspect
import pickle
import warnings

import dask
import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from dask.array.utils import assert_eq
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone, is_regressor
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.utils._test_common.instance_generator import _construct_instances

from dask_variants._variants._protocol import sklearn_base
from dask_variants.mixins.blockwise import ROW_METHODS
from dask_variants.mixins.incremental import IncrementalMixin
from dask_variants.utils.discovery import all_variants

N_ROWS, BLOCK = 80, 20
ALL_METHODS = ROW_METHODS + (
    "fit", "partial_fit", "score", "fit_transform", "fit_predict", "set_output",
    "get_feature_names_out", "staged_predict", "kneighbors",
)

#: variants that cannot take an in-memory-comparable dask input at all, with why
NO_DASK_INPUT = {
    "DictVectorizer": "takes a list of dicts, not an array",
    "FeatureHasher": "takes dicts or pairs, not an array",
    "PatchExtractor": "takes a 3-D stack of images",
    "FrozenEstimator": "wraps an already fitted estimator; fit is a no-op",
    "MultiLabelBinarizer": "takes an iterable of label sets, not an array",
}

#: methods that draw fresh random numbers on every call, so that a call per block cannot
#: equal one call on all rows; only their shape and dtype are compared
RANDOM_METHODS = {
    "BernoulliRBM": {"score_samples"},  # corrupts one random feature per row
    "DummyClassifier": {"predict", "predict_proba", "predict_log_proba"},  # "stratified"
}


def variant_id(Variant):
    """``iid.ensemble.GradientBoostingClassifier``."""
    return Variant.__module__.replace("dask_variants.", "") + "." + Variant.__name__


def check_id(check):
    return check.__name__


def _seed(est):
    params = est.get_params()
    seeds = {k: 0 for k, v in params.items() if k.endswith("random_state") and v is None}
    if seeds:
        est.set_params(**seeds)
    return est


def build(Variant):
    """An instance of ``Variant`` with the parameters scikit-learn tests its base with."""
    Base = sklearn_base(Variant)
    base = next(iter(_construct_instances(Base)))
    params = base.get_params(deep=False)
    if issubclass(Variant, IncrementalMixin):
        inner = params.get("estimator")
        if inner is not None and not hasattr(inner, "partial_fit"):
            # meta-estimators learn incrementally only around an incremental estimator
            params["estimator"] = SGDRegressor() if is_regressor(base) else SGDClassifier()
    est = Variant(**params)
    if isinstance(est, IncrementalMixin):
        est.set_params(shuffle_blocks=False)
    return _seed(est)


def as_base(est):
    """The scikit-learn class's instance with ``est``'s parameters (knobs dropped)."""
    Base = sklearn_base(type(est))
    params = est.get_params(deep=False)
    names = set(inspect.signature(Base.__init__).parameters)
    return Base(**{k: v for k, v in params.items() if k in names})


def _tags(est):
    return est.__sklearn_tags__()


def data_for(est, n=N_ROWS, seed=0):
    """``(X, y)`` as numpy for ``est``; ``y`` is None when the estimator takes none."""
    tags = _tags(est)
    rng = np.random.RandomState(seed)
    n_classes = 3 if tags.classifier_tags is None or tags.classifier_tags.multi_class else 2
    labels = np.arange(n) % n_classes
    n_features = 4
    dictionary = getattr(est, "dictionary", None)  # SparseCoder: X must match its atoms
    if isinstance(dictionary, np.ndarray):
        n_features = dictionary.shape[1]
    if tags.target_tags.one_d_labels and not tags.input_tags.two_d_array:
        return labels, None  # LabelEncoder & co. take the labels as X
    if tags.target_tags.two_d_labels and not tags.input_tags.two_d_array:
        return [{int(c), int(c) + 1} for c in labels], None  # MultiLabelBinarizer
    if tags.input_tags.dict:
        return [{"a": float(c), "b": f"s{c}"} for c in labels], labels  # DictVectorizer
    if tags.input_tags.string and not tags.input_tags.two_d_array:
        words = np.array(["apple", "pear", "plum", "fig", "kiwi", "lime", "date", "melon"])
        X = np.array([" ".join(rng.choice(words, 5)) + f" c{c}" for c in labels], dtype=object)
    elif tags.input_tags.one_d_array and not tags.input_tags.two_d_array:
        X = rng.uniform(size=n) + labels
    else:
        X = rng.normal(size=(n, n_features)) + labels[:, None]
        if tags.input_tags.positive_only:
            X = np.abs(X)
        if tags.input_tags.pairwise:
            X = X @ X.T
    if is_regressor(est):
        y = X.sum(axis=1) if X.ndim == 2 else X * 2.0
        y = y + rng.normal(scale=0.1, size=n)
        if tags.target_tags.positive_only:
            y = np.abs(y) + 0.1
    else:
        y = labels
    if y is not None and not tags.target_tags.single_output:
        y = np.column_stack([y, y[::-1]])
    return X, y


def to_dask(X, y):
    chunks = (BLOCK,) + tuple(-1 for _ in range(np.ndim(X) - 1))
    dX = da.from_array(X, chunks=chunks)
    dy = None if y is None else da.from_array(y, chunks=(BLOCK,) + (-1,) * (np.ndim(y) - 1))
    return dX, dy


def _fit(est, X, y, **params):
    return est.fit(X, **params) if y is None else est.fit(X, y, **params)


def _post_fit_methods(est):
    return [m for m in ROW_METHODS if hasattr(est, m)]


def _call(est, method, X):
    if method == "inverse_transform":
        X = est.transform(X)
    return getattr(est, method)(X)


def _assert_same(got, expected, err_msg="", exact=True):
    """Equal values (``exact``) or close ones; sparse results are compared sparse.

    Never densified: a HashingVectorizer's output is 2**20 columns wide, 670 MB dense at
    80 rows, and densifying it was most of the suite's peak memory.
    """
    if not (scipy.sparse.issparse(got) or scipy.sparse.issparse(expected)):
        (assert_array_equal if exact else assert_allclose)(
            np.asarray(got), np.asarray(expected), err_msg=err_msg)
        return
    g, e = (scipy.sparse.csr_matrix(a, copy=True) for a in (got, expected))
    for m in (g, e):  # one canonical form: no duplicates, no stored zeros, sorted
        m.sum_duplicates()
        m.eliminate_zeros()
        m.sort_indices()
    assert g.shape == e.shape, (err_msg, g.shape, e.shape)
    assert_array_equal(g.indptr, e.indptr, err_msg=err_msg)
    assert_array_equal(g.indices, e.indices, err_msg=err_msg)
    (assert_array_equal if exact else assert_allclose)(g.data, e.data, err_msg=err_msg)


def _quiet():
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    return ctx


def _skip_without_dask_input(est):
    name = sklearn_base(type(est)).__name__
    if name in NO_DASK_INPUT:
        pytest.skip(f"{name}: {NO_DASK_INPUT[name]}")
    if _tags(est).input_tags.pairwise:
        pytest.skip(f"{name} takes a precomputed n x n kernel, which has no row blocks")


# --------------------------------------------------------------------------- checks


def check_non_dask_input_equals_sklearn(est):
    """NumPy in: every post-fit method gives scikit-learn's result, type and dtype."""
    X, y = data_for(est)
    base = as_base(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _fit(est, X, y) is est
        _fit(base, X, y)
        for method in _post_fit_methods(base):
            try:
                expected = _call(base, method, X)
            except Exception as err:  # the base cannot either: same error type
                with pytest.raises(type(err)):
                    _call(est, method, X)
                continue
            got = _call(est, method, X)
            assert type(got) is type(expected), method
            if isinstance(expected, (tuple, list)):
                assert len(got) == len(expected)
                for g, e in zip(got, expected):
                    _assert_same(g, e, err_msg=method)
                continue
            assert np.asarray(got).dtype == np.asarray(expected).dtype, method
            _assert_same(got, expected, err_msg=method)


def _reference_fit(est, X, y):
    """The scikit-learn base fitted as the variant's namespace says, on numpy blocks."""
    base = as_base(est)
    if isinstance(est, IncrementalMixin):
        params = {}
        if "classes" in inspect.signature(base.partial_fit).parameters and y is not None:
            params["classes"] = (
                np.unique(y) if y.ndim == 1 else [np.unique(c) for c in y.T]
            )
        for start in range(0, len(X), BLOCK):
            sl = slice(start, start + BLOCK)
            if y is None:
                base.partial_fit(X[sl], **params)
            else:
                base.partial_fit(X[sl], y[sl], **params)
    else:
        _fit_iid_reference(base, X, y)
    return base


def _fit_iid_reference(base, X, y):
    """iid's rule on numpy: the first block, except a vocabulary, learned from every row."""
    from sklearn.preprocessing import LabelBinarizer, LabelEncoder
    from sklearn.preprocessing._encoders import _BaseEncoder

    if isinstance(base, (LabelEncoder, LabelBinarizer)):
        _fit(base, X, None)  # classes_ of every label
        return
    sample = (X[:BLOCK], None if y is None else y[:BLOCK])
    auto = isinstance(base, _BaseEncoder) and isinstance(base.categories, str)
    if not auto:
        _fit(base, *sample)
        return
    # categories_ from every row; everything else from the first block
    base.set_params(categories=_fit(clone(base), X, y).categories_)
    _fit(base, *sample)
    base.set_params(categories="auto")


def check_dask_input_equals_base_on_computed(est):
    """Dask in: fitted as the namespace says; each method lazily equals the base's."""
    _skip_without_dask_input(est)
    X, y = data_for(est)
    dX, dy = to_dask(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _fit(est, dX, dy) is est
        ref = _reference_fit(est, X, y)
        for method in _post_fit_methods(ref):
            try:
                expected = _call(ref, method, X)
            except Exception as err:
                with pytest.raises(type(err)):
                    dask.compute(_call(est, method, dX))
                continue
            got = _call(est, method, dX)
            if method in RANDOM_METHODS.get(sklearn_base(type(est)).__name__, ()):
                assert got.shape == np.shape(expected) and got.dtype == expected.dtype
                assert got.compute().shape == np.shape(expected)
                continue
            if isinstance(got, list):  # multi-output predict_proba
                assert len(got) == len(expected)
                for g, e in zip(got, expected):
                    assert_eq(g, e, check_graph=False)
                continue
            assert isinstance(got, da.Array), method
            if isinstance(expected, list):  # ragged rows: vectorizers' inverse_transform
                computed = got.compute()
                assert len(computed) == len(expected)
                for g, e in zip(computed, expected):
                    assert_array_equal(g, e, err_msg=method)
                continue
            if scipy.sparse.issparse(expected):
                _assert_same(got.compute(), expected, err_msg=method, exact=False)
                continue
            assert_eq(got, expected, check_graph=False)


def check_fit_returns_self(est):
    """``fit`` on a dask input returns the estimator itself."""
    _skip_without_dask_input(est)
    X, y = to_dask(*data_for(est))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _fit(est, X, y) is est


def check_clone_and_params_round_trip(est):
    """``clone``, ``get_params`` and ``set_params`` see the knobs like any parameter."""
    params = est.get_params()
    cloned = clone(est)
    assert type(cloned) is type(est)
    assert set(cloned.get_params()) == set(params)
    knobs = type(est)._extra_params if hasattr(type(est), "_extra_params") else {}
    for name in knobs:
        assert name in params
    sig = inspect.signature(type(est).__init__)
    for name in knobs:
        assert sig.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert repr(est).startswith(type(est).__name__ + "(")


def check_pickle_by_reference(est):
    """Classes pickle by reference; fitted instances round-trip with their state."""
    Variant = type(est)
    assert pickle.loads(pickle.dumps(Variant)) is Variant
    X, y = data_for(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _fit(est, X, y)
    again = pickle.loads(pickle.dumps(est))
    assert type(again) is Variant
    assert again.get_params().keys() == est.get_params().keys()


def _forbid_compute(*args, **kwargs):
    raise AssertionError("something was computed where the result should be lazy")


@contextlib.contextmanager
def no_compute():
    """Fail if anything is computed inside the block: the outputs must be lazy."""
    with dask.config.set(scheduler=_forbid_compute):
        yield


def check_post_fit_methods_are_lazy(est):
    """Post-fit methods on a dask input compute nothing until asked."""
    _skip_without_dask_input(est)
    X, y = data_for(est)
    dX, _ = to_dask(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _fit(est, X, y)
        with no_compute():
            for method in _post_fit_methods(est):
                if method == "inverse_transform":
                    continue
                try:
                    out = getattr(est, method)(dX)
                except NotImplementedError:
                    continue
                outs = out if isinstance(out, (list, tuple)) else [out]
                for o in outs:
                    assert dask.is_dask_collection(o), method
                    assert o.numblocks[0] == dX.numblocks[0], method


def check_hasattr_and_signature_parity(est):
    """Same methods as the base (fitted or not, class or instance), same signatures."""
    Variant, Base = type(est), sklearn_base(type(est))
    base = as_base(est)
    names = set(ALL_METHODS) | {n for n in dir(Base) if n.startswith("set_") and n.endswith("_request")}
    for name in names:
        assert hasattr(Variant, name) == hasattr(Base, name), name
        assert hasattr(est, name) == hasattr(base, name), name
        if hasattr(Base, name) and callable(getattr(Base, name)):
            v = inspect.signature(getattr(Variant, name))
            b = inspect.signature(getattr(Base, name))
            assert list(v.parameters) == list(b.parameters), name
    X, y = data_for(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _fit(base, X, y)
        except Exception:
            return
        _fit(est, X, y)
    for name in ALL_METHODS:
        assert hasattr(est, name) == hasattr(base, name), name
    assert est.__sklearn_tags__() == base.__sklearn_tags__()


ALL_CHECKS = [
    check_non_dask_input_equals_sklearn,
    check_dask_input_equals_base_on_computed,
    check_fit_returns_self,
    check_clone_and_params_round_trip,
    check_pickle_by_reference,
    check_post_fit_methods_are_lazy,
    check_hasattr_and_signature_parity,
]


#: environment variable: run the per-variant suites on a sample of the variants
SAMPLE_VARIABLE = "DASK_VARIANTS_TEST_SAMPLE"


def all_variant_classes():
    """Every variant; with ``DASK_VARIANTS_TEST_SAMPLE=k``, a deterministic sample.

    The sample takes, in each namespace, ``k`` variants of every mirrored scikit-learn
    module (all of them where a module has fewer), chosen by a stable hash of the name,
    so every module, both namespaces and so every kind of estimator stay covered, and
    every check still runs on each variant chosen. Unset (the default, the README's
    command) runs every variant.
    """
    import os
    import zlib

    variants = all_variants()
    k = os.environ.get(SAMPLE_VARIABLE, "")
    if not k:
        return variants
    if not k.isdigit() or int(k) < 1:
        raise ValueError(f"{SAMPLE_VARIABLE}={k!r}: give a positive number of variants "
                         "per module, or leave it unset to test every variant.")
    groups = {}
    for V in variants:
        groups.setdefault(V.__module__, []).append(V)
    chosen = set()
    for group in groups.values():
        group.sort(key=lambda V: zlib.crc32(V.__name__.encode()))
        chosen.update(group[:int(k)])
    return [V for V in variants if V in chosen]
