"""What the public checks (``estimator_checks``) fit and compare: a working copy of the
variant, a small problem its tags accept, the scikit-learn reference fitted as the
variant's namespace fits dask blocks, and exact comparisons that name the method."""
import contextlib
import inspect

import dask
import dask.array as da
import numpy as np
import scipy.sparse
from dask.array.utils import assert_eq as _dask_assert_eq
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone, is_regressor

from .._variants._protocol import sklearn_base
from ..mixins import BlockwisePredictMixin, ExactMixin, IncrementalMixin
from ..mixins.blockwise import ROW_METHODS

__all__ = []

N_ROWS, BLOCK = 80, 20
#: knobs set on the working copy so that its blocks are visited in a known order
REPRODUCIBLE = {"shuffle_blocks": False, "holdout_blocks": None, "sample_choice": "leading"}


def working_copy(variant):
    """A copy of ``variant`` to fit: seeded, its blocks visited in a known order."""
    if isinstance(variant, type):
        try:
            variant = variant()
        except TypeError as err:
            raise TypeError(
                f"{variant.__module__}.{variant.__qualname__} cannot be built with default "
                f"parameters ({err}); pass an instance with the parameters it needs instead "
                "of the class."
            ) from err
    if not isinstance(variant, BlockwisePredictMixin):
        raise TypeError(
            f"{variant!r} is not a variant. Check the class dask_variants makes of it, "
            f"e.g. dask_variants.iid.variant({type(variant).__name__})."
        )
    est = clone(variant)
    params = est.get_params()
    fixed = {k: 0 for k, v in params.items() if k.endswith("random_state") and v is None}
    fixed.update({k: v for k, v in REPRODUCIBLE.items() if k in params})
    if fixed:
        est.set_params(**fixed)
    return est


def has_row_blocks(tags):
    """Whether the tags describe an input that a dask collection of row blocks can hold."""
    inputs, targets = tags.input_tags, tags.target_tags
    if inputs.pairwise or inputs.dict:
        return False
    if inputs.two_d_array or inputs.one_d_array or inputs.string:
        return True
    return targets.one_d_labels and not targets.two_d_labels  # the labels are X


def data_for(est, n=N_ROWS, seed=0):
    """``(X, y)`` as numpy, of the kind ``est``'s tags accept; ``y`` None if it takes none.

    Every class is in every row block, so that a fit on the first block sees them all.
    """
    tags = est.__sklearn_tags__()
    rng = np.random.RandomState(seed)
    n_classes = 3 if tags.classifier_tags is None or tags.classifier_tags.multi_class else 2
    labels = np.arange(n) % n_classes
    n_features = 4
    dictionary = getattr(est, "dictionary", None)  # a fixed dictionary fixes the features
    if isinstance(dictionary, np.ndarray):
        n_features = dictionary.shape[1]
    if tags.target_tags.one_d_labels and not tags.input_tags.two_d_array:
        return labels, None  # label transformers take the labels as X
    if tags.target_tags.two_d_labels and not tags.input_tags.two_d_array:
        return [{int(c), int(c) + 1} for c in labels], None  # label sets
    if tags.input_tags.dict:
        return [{"a": float(c), "b": f"s{c}"} for c in labels], labels
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
    if not tags.target_tags.single_output:
        y = np.column_stack([y, y[::-1]])
    return X, y


def to_dask(X, y):
    dX = da.from_array(X, chunks=(BLOCK,) + (-1,) * (np.ndim(X) - 1))
    dy = None if y is None else da.from_array(y, chunks=(BLOCK,) + (-1,) * (np.ndim(y) - 1))
    return dX, dy


def as_base(est):
    """The estimator class's instance with ``est``'s parameters (the knobs left out)."""
    Base = sklearn_base(type(est))
    params = est.get_params(deep=False)
    names = set(inspect.signature(Base.__init__).parameters)
    return Base(**{k: v for k, v in params.items() if k in names})


def fit(est, X, y, **params):
    return est.fit(X, **params) if y is None else est.fit(X, y, **params)


def post_fit_methods(est):
    return [m for m in ROW_METHODS if hasattr(est, m)]


def call(est, method, X):
    if method == "inverse_transform":
        X = est.transform(X)
    return getattr(est, method)(X)


def reference_fit(est, X, y):
    """The estimator class fitted on numpy rows as ``est``'s namespace fits dask blocks."""
    base = as_base(est)
    if isinstance(est, IncrementalMixin):
        params = {}
        if y is not None and "classes" in inspect.signature(base.partial_fit).parameters:
            params["classes"] = np.unique(y) if y.ndim == 1 else [np.unique(c) for c in y.T]
        for _ in range(est.get_params()["epochs"]):
            for start in range(0, len(X), BLOCK):
                rows = slice(start, start + BLOCK)
                args = (X[rows],) if y is None else (X[rows], y[rows])
                base.partial_fit(*args, **params)
        return base
    if isinstance(est, ExactMixin):
        return fit(base, X, y)  # every row, as scikit-learn on the concatenated blocks
    from sklearn.preprocessing import (
        LabelBinarizer, LabelEncoder, OneHotEncoder, OrdinalEncoder, TargetEncoder,
    )

    if isinstance(base, (LabelEncoder, LabelBinarizer)):
        return fit(base, X, None)  # classes_ from every row
    rows = slice(0, BLOCK * est.get_params().get("sample_blocks", 1))
    sample = (X[rows], None if y is None else y[rows])
    encoder = isinstance(base, (OneHotEncoder, OrdinalEncoder, TargetEncoder))
    if not (encoder and isinstance(base.categories, str) and base.categories == "auto"):
        return fit(base, *sample)
    # categories_ from every row; everything else from the sample
    base.set_params(categories=fit(clone(base), X, y).categories_)
    fit(base, *sample)
    return base.set_params(categories="auto")


def assert_same(got, expected, err_msg="", exact=True):
    """Equal values (``exact``) or close ones; sparse results are compared sparse.

    Never densified: a ``HashingVectorizer``'s output is 2**20 columns wide.
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
    assert g.shape == e.shape, f"{err_msg}: shape {g.shape} where expected {e.shape}"
    assert_array_equal(g.indptr, e.indptr, err_msg=err_msg)
    assert_array_equal(g.indices, e.indices, err_msg=err_msg)
    (assert_array_equal if exact else assert_allclose)(g.data, e.data, err_msg=err_msg)


def assert_eq(got, expected, method):
    """dask's ``assert_eq`` (values, dtype, shape, meta, chunks), naming ``method``."""
    try:
        _dask_assert_eq(got, expected, check_graph=False)
    except AssertionError as err:
        raise AssertionError(f"{method}(dask X) differs from the reference: {err}") from err


def assert_raises_like(err, attempt, what):
    """``attempt()`` raises an exception of the type of ``err``, which the reference raised."""
    try:
        attempt()
    except type(err):
        return
    raise AssertionError(
        f"{what} did not raise {type(err).__name__} as the base class does "
        f"({err!r})")


def _forbid_compute(*args, **kwargs):
    raise AssertionError("something was computed where the result should be lazy")


@contextlib.contextmanager
def no_compute():
    """Fail if anything is computed inside the block: the outputs must be lazy."""
    with dask.config.set(scheduler=_forbid_compute):
        yield
