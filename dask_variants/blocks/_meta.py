"""What a post-fit method returns, from fitted attributes alone.

Never by computing a block or by predicting on a made-up row: the width comes from
``classes_``, ``n_features_in_``, ``get_feature_names_out()``, ``n_outputs_``... and the
dtype from the same attributes. Each block's result is cast to the dtype declared here,
so the lazy collection's meta is always what ``compute()`` gives.

The dtypes of a transform of a frame with string or category columns are
:mod:`._frame_dtypes`'; the names of frame outputs (and the target recorded at fit)
:mod:`._labels`'.
"""
from typing import NamedTuple

import numpy as np
from sklearn.base import is_classifier, is_regressor

from . import _frame_dtypes
from .._sklearn_compat import spec
from ._rules import is_a, match_class

__all__ = []


class Spec(NamedTuple):
    """One output of a blockwise method."""

    tail: tuple  # shape after the row axis; () for one value per row; may hold nan
    dtype: np.dtype  # None: leave the block's dtype alone (only where it is not knowable)
    columns: object  # column labels for DataFrame output (None: 0..width-1)
    sparse: bool = False
    name: object = None  # the Series name of a one-value-per-row output
    dtypes: object = None  # per-column dtypes where the method returns a pandas frame


def _input_dtype(X):
    """The dtype scikit-learn's ``check_array`` would give ``X``: a frame's common one."""
    dtype = getattr(X, "dtype", None)
    if dtype is None and hasattr(X, "dtypes"):
        try:
            dtype = np.result_type(*[np.dtype(t) for t in X.dtypes])
        except TypeError:  # extension or object dtypes
            return None
    return dtype


#: fitted arrays that a transform is computed from: float32 ones keep float32 input
_FITTED_ARRAYS = ("cluster_centers_", "components_", "coef_", "scale_", "mean_")


def _float_dtype(est, X):
    """float32 when ``X`` is float32 and the estimator preserves it.

    It does when its tags say so, or when the arrays it transforms with were fitted in
    float32 (``MiniBatchKMeans.cluster_centers_``: its tags list only float64).
    """
    dtype = _input_dtype(X)
    if dtype is not None and dtype == np.float32:
        try:
            preserves = est.__sklearn_tags__().transformer_tags.preserves_dtype
        except AttributeError:
            preserves = []
        fitted = [getattr(est, a, None) for a in _FITTED_ARRAYS]
        if "float32" in (preserves or []) or any(
                isinstance(a, np.ndarray) and a.dtype == np.float32 for a in fitted):
            return np.dtype(np.float32)
    return np.dtype(np.float64)


def _regression_dtype(est, X):
    """A linear model's ``X @ coef_ + intercept_``: their common float type."""
    coef = getattr(est, "coef_", None)
    if not isinstance(coef, np.ndarray) or coef.dtype.kind != "f":
        return np.dtype(np.float64)
    parts = [coef.dtype, np.asarray(getattr(est, "intercept_", coef.dtype.type(0))).dtype]
    dtype = _input_dtype(X)
    if dtype is not None and dtype.kind == "f":
        parts.append(dtype)
    return np.dtype(np.result_type(*parts))


def _n_outputs(est):
    """Output width of a regressor's ``predict``: () for one column, (k,) for k."""
    if hasattr(est, "_predict_1d"):  # PLS & co. remember whether y was 1-D
        return () if est._predict_1d else (est.coef_.shape[0],)
    if hasattr(est, "support_"):  # libsvm regressors: one output
        return ()
    order = getattr(est, "order_", None)
    if order is not None:  # regressor chains
        return (len(order),)
    estimators = getattr(est, "estimators_", None)
    if is_a(est, spec("_MultiOutputEstimator")) and estimators is not None:
        return (len(estimators),)
    coef = getattr(est, "coef_", None)
    if isinstance(coef, np.ndarray) and not is_classifier(est):
        return (coef.shape[0],) if coef.ndim == 2 else ()
    n = getattr(est, "n_outputs_", None)
    if n is not None:
        return (n,) if n > 1 or getattr(est, "_dask_variants_y_2d", False) else ()
    for attr in ("_y", "y_train_", "dual_coef_"):  # neighbors, Gaussian processes, kernel ridge
        value = getattr(est, attr, None)
        if isinstance(value, np.ndarray):
            return (value.shape[1],) if value.ndim == 2 else ()
    return ()


def _special(est, method, X):
    """Rules for the estimators whose output the general rules get wrong.

    A rule applies to the class it names and its subclasses: the classes of
    ``est``'s MRO are compared, by identity, with the rules' classes (resolved among
    the imported modules by :func:`._rules.match_class`), the nearest first. A class
    that only shares a rule's name matches nothing.
    """
    rule = match_class(est, {spec: rule for (spec, name), rule in _SPECIAL.items()
                             if name == method})
    return None if rule is None else rule(est, X)


def _one_hot_inverse(est, X):
    # sklearn returns object where a row had an unknown category: declare object then
    dtype = (
        np.dtype(object)
        if est.handle_unknown != "error"
        else np.result_type(*[c.dtype for c in est.categories_])
    )
    return Spec((est.n_features_in_,), dtype, list(getattr(est, "feature_names_in_", [])) or None)


def _voting_transform(est, X):
    if est.voting == "hard":
        return Spec((len(est.estimators_),), np.asarray(est.classes_).dtype, None)
    n = len(est.classes_)
    width = len(est.estimators_) * n if est.flatten_transform else np.nan
    return Spec((width,), np.dtype(np.float64), None)


def _label_binarizer(est, X):
    n = len(est.classes_)
    return Spec((1 if n == 2 and est.y_type_ != "multiclass" else n,), np.dtype(np.int64), None,
                bool(est.sparse_output))


def _per_output_classes(est):
    # MultiOutputClassifier sets classes_ in fit but not in partial_fit: ask its estimators
    return [np.asarray(e.classes_) for e in est.estimators_]


def _vectorizer(float_only):
    """Vectorizers' ``transform``: sparse, one column per term, in their ``dtype``
    (tf-idf weights are floats: float64 unless ``dtype`` is float32)."""
    def spec(est, X):
        tail, columns = _frame_dtypes.transform_width(est)
        dtype = np.dtype(est.dtype)
        if float_only and dtype not in (np.float32, np.float64):
            dtype = np.dtype(np.float64)
        return Spec(tail, dtype, columns, True)
    return spec


def _tfidf_transform(est, X):
    """``TfidfTransformer.transform``: sparse, float32 kept, other input as float64."""
    dtype = _input_dtype(X)
    dtype = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)
    return Spec((est.n_features_in_,), dtype, None, True)


#: ("module:Class", method) -> rule; the module is the public one
_SPECIAL = {
    ("sklearn.feature_extraction.text:CountVectorizer", "transform"): _vectorizer(False),
    ("sklearn.feature_extraction.text:TfidfVectorizer", "transform"): _vectorizer(True),
    ("sklearn.feature_extraction.text:TfidfTransformer", "transform"): _tfidf_transform,
    ("sklearn.preprocessing:MultiLabelBinarizer", "transform"): lambda est, X: Spec(
        (len(est.classes_),), np.dtype(int), None, bool(est.sparse_output)),
    ("sklearn.multioutput:MultiOutputClassifier", "predict"): lambda est, X: Spec(
        (len(est.estimators_),),
        np.result_type(*[c.dtype for c in _per_output_classes(est)]), None),
    ("sklearn.multioutput:MultiOutputClassifier", "predict_proba"): lambda est, X: [
        Spec((len(c),), np.dtype(np.float64), list(c)) for c in _per_output_classes(est)],
    ("sklearn.preprocessing:LabelBinarizer", "inverse_transform"): lambda est, X: Spec((), est.classes_.dtype, None),
    ("sklearn.preprocessing:OneHotEncoder", "inverse_transform"): _one_hot_inverse,
    ("sklearn.ensemble:VotingClassifier", "transform"): _voting_transform,
    ("sklearn.preprocessing:LabelBinarizer", "transform"): _label_binarizer,
    ("sklearn.preprocessing:LabelEncoder", "transform"): lambda est, X: Spec((), np.dtype(np.int64), None),
    ("sklearn.preprocessing:LabelEncoder", "inverse_transform"): lambda est, X: Spec((), est.classes_.dtype, None),
    ("sklearn.isotonic:IsotonicRegression", "transform"): lambda est, X: Spec((), np.dtype(np.float64), None),
    ("sklearn.impute:MissingIndicator", "transform"): lambda est, X: Spec(
        (len(est.features_),), np.dtype(bool), None, est.sparse is True),
    ("sklearn.feature_extraction.text:HashingVectorizer", "transform"): lambda est, X: Spec(
        (est.n_features,), np.dtype(est.dtype), None, True),
    ("sklearn.linear_model:SGDOneClassSVM", "predict"): lambda est, X: Spec((), np.dtype(np.int32), None),
    ("sklearn.ensemble:GradientBoostingRegressor", "apply"): lambda est, X: Spec(
        (len(est.estimators_),), np.dtype(np.float64), None),
    ("sklearn.multioutput:ClassifierChain", "predict"): lambda est, X: Spec(
        (len(est.order_),), np.dtype(np.float64), None),
}


def _text_inverse(est, X):
    """Vectorizers' ``inverse_transform``: one array of terms per document."""
    return Spec((), np.dtype(object), None)


def _n_classes(est):
    classes = getattr(est, "classes_", None)
    return None if classes is None else len(classes)


def _sparse_transform(est):
    """Whether ``est.transform`` gives sparse matrices, from its parameters or fit."""
    if is_a(est, "sklearn.compose:ColumnTransformer"):  # decided at fit by density
        return bool(getattr(est, "sparse_output_", False))
    for attr in ("sparse_output", "sparse"):
        if getattr(est, attr, False) is True:
            return True
    return is_a(est, *(f"sklearn.feature_extraction{sub}:{name}" for sub, name in (
        (".text", "CountVectorizer"), (".text", "HashingVectorizer"),
        (".text", "TfidfTransformer"), ("", "FeatureHasher"))))  # TfidfVectorizer too


def output_spec(est, method, X):
    """Return the :class:`Spec` of ``est.method(X)``, or a list of them (multi-output).

    Parameters
    ----------
    est : fitted estimator
    method : str
    X : dask collection
        Only its dtype is read.
    """
    special = _special(est, method, X)
    if special is not None:
        return special
    if method == "inverse_transform" and hasattr(est, "vocabulary_"):
        return _text_inverse(est, X)
    classes = getattr(est, "classes_", None)
    multi = isinstance(classes, list)
    if method == "predict":
        if classes is not None and not is_regressor(est):
            if multi:
                dtype = np.result_type(*[np.asarray(c).dtype for c in classes])
                return Spec((len(classes),), dtype, None)
            return Spec((), np.asarray(classes).dtype, None)
        if is_regressor(est):
            return Spec(_n_outputs(est), _regression_dtype(est, X), None)
        labels = getattr(est, "labels_", None)
        if isinstance(labels, np.ndarray):
            return Spec((), labels.dtype, None)
        return Spec((), np.dtype(np.int64), None)
    if method in ("predict_proba", "predict_log_proba", "predict_joint_log_proba"):
        if multi:
            return [Spec((len(c),), np.dtype(np.float64), list(c)) for c in classes]
        n = _n_classes(est)
        if n is None:  # mixtures: one column per component
            n = getattr(est, "n_components", np.nan)
        return Spec((n,), np.dtype(np.float64), None if classes is None else list(classes))
    if method == "decision_function":
        n = _n_classes(est)
        if n is None or n == 2:
            return Spec((), np.dtype(np.float64), None)
        if getattr(est, "decision_function_shape", "ovr") == "ovo":
            return Spec((n * (n - 1) // 2,), np.dtype(np.float64), None)
        return Spec((n,), np.dtype(np.float64), list(classes))
    if method == "transform":
        tail, columns = _frame_dtypes.transform_width(est)
        spec = Spec(tail, _frame_dtypes.encoded_dtype(est) or _float_dtype(est, X), columns,
                    _sparse_transform(est))
        return _frame_dtypes.with_frame_dtypes(est, spec, X)
    if method == "inverse_transform":
        n = getattr(est, "n_features_in_", np.nan)
        try:
            columns = list(est.feature_names_in_)
        except AttributeError:
            columns = None
        return Spec((n,), _float_dtype(est, X), columns)
    if method in ("score_samples", "mahalanobis"):
        return Spec((), np.dtype(np.float64), None)
    if method == "apply":
        estimators = getattr(est, "estimators_", None)
        if estimators is None:  # a single tree
            return Spec((), np.dtype(np.intp), None)
        shape = np.shape(estimators)
        if len(shape) == 2:  # gradient boosting: (n_estimators, K)
            return Spec(shape, np.dtype(np.float64), None)
        return Spec((len(estimators),), np.dtype(np.intp), None)
    return Spec((np.nan,), None, None)
