"""Input checks for dask inputs, raised before any block is loaded, and their messages.

Block helpers by use (the mixins, the wrappers, the engine and the searches call them);
the public ones are re-exported by :mod:`dask_variants.utils.validation`.
"""
import numbers
import warnings

import numpy as np

from . import _blocks, _kinds
from ._rules import match_class

__all__ = []


def is_whole(value, minimum=1):
    """True for a whole number (not a bool) of at least ``minimum``."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and \
        value >= minimum


def _tags(est):
    """``est``'s scikit-learn tags, or ``None`` for an object without any (not an
    estimator of scikit-learn's API: a third-party class that predates tags)."""
    try:
        return est.__sklearn_tags__()
    except AttributeError:  # no __sklearn_tags__; any other error is the estimator's
        return None


def check_dask_X(est, X, method):
    """Validate a dask ``X`` for ``est.method``; return it with one column chunk.

    Raises
    ------
    TypeError
        ``X`` is a dask Bag, Delayed or another collection without row blocks.
    ValueError
        ``X`` is not 2-D (1-D is accepted where the estimator takes raw text), or has
        object columns that the estimator cannot take.
    """
    name = f"{type(est).__name__}.{method}"
    kind = _blocks.container(X)
    if kind is None:
        raise TypeError(
            f"{name} got {type(X).__module__}.{type(X).__name__} {X!r}, a dask collection "
            "without row blocks. Convert it first: bag.to_dataframe(), "
            "dask.array.from_delayed(...), or compute it."
        )
    tags = _tags(est)
    takes_text = bool(tags is not None and not tags.input_tags.two_d_array)
    takes_objects = _takes_any_values(tags)
    if kind == "array":
        if X.ndim != 2 and not (takes_text and X.ndim == 1):
            raise ValueError(
                f"{name} expects a 2-D array of shape (n_samples, n_features), got a "
                f"{X.ndim}-D dask array of shape {X.shape!r}. Reshape it, e.g. "
                "X.reshape(-1, 1) for a single feature."
            )
        if X.ndim == 2 and X.shape[1] == 0:
            raise _no_features(name, X.shape)
        if X.dtype == object and not takes_objects:
            raise ValueError(
                f"{name} got a dask array of dtype object {X!r}; {type(est).__name__} "
                "needs numbers. Convert with X.astype(float) or encode the columns first."
            )
        return _blocks.as_rows(X)
    if kind == "series" and not takes_text:
        raise ValueError(
            f"{name} expects a 2-D input, got a dask Series {X.name!r}. Use X.to_frame()."
        )
    if kind == "frame" and len(X.columns) == 0:
        raise _no_features(name, (np.nan, 0))
    if kind == "frame":
        refused = refused_columns(est, X._meta)
        if refused:
            bad = [c for c, _ in refused]
            inner = sorted({type(e).__name__ for _, e in refused if e is not est})
            who = (f"{type(est).__name__} hands them to {', '.join(inner)}, which need"
                   if inner else f"{type(est).__name__} needs")
            raise ValueError(
                f"{name} got a dask DataFrame with non-numeric columns {bad!r}; "
                f"{who} numbers. Encode or drop those columns first "
                "(e.g. with a OneHotEncoder variant in a Pipeline)."
            )
    return X


def _no_features(name, shape):
    return ValueError(
        f"{name}: found array with 0 feature(s) (shape={shape!r}) while a minimum of 1 "
        "is required. Select at least one column of X."
    )


def check_classes(est, method, y, classes):
    """Raise when a classifier's ``partial_fit`` has neither ``classes`` nor ``y``."""
    if classes is None and y is None:
        raise ValueError(
            f"{type(est).__name__}.{method} needs the class labels: got classes=None and "
            "y=None. Pass y, or classes=[...] listing every label."
        )


def _takes_any_values(tags):
    """True when the tags say the estimator takes strings, categories or raw labels."""
    if tags is None:
        return False
    return bool(
        tags.input_tags.string or tags.input_tags.categorical
        or tags.input_tags.dict  # DictVectorizer: one mapping per row
        # label transformers (LabelEncoder, LabelBinarizer) take y: any label values
        or (not tags.input_tags.two_d_array and tags.target_tags.one_d_labels)
        # MultiLabelBinarizer takes y: one set of labels per row
        or (not tags.input_tags.two_d_array and tags.target_tags.two_d_labels)
    )


# ------------------------------------------------------------------ dtype-aware checks
#
# Which columns of a frame an estimator can take is decided by what it is: first rules
# over scikit-learn's class hierarchy (composites that route columns to other
# estimators, and estimators whose parameters decide whether they take strings), then
# the estimator's tags.


def _column_transformer(est, meta):
    from .._sklearn_compat import _get_column_indices

    refused, used = [], set()
    for _, trans, columns in est.transformers:
        if callable(columns):
            columns = columns(meta)
        idx = _get_column_indices(meta, columns)
        used.update(idx)
        refused += refused_columns(trans, meta.iloc[:, idx])
    rest = [i for i in range(meta.shape[1]) if i not in used]
    return refused + refused_columns(est.remainder, meta.iloc[:, rest])


def _pipeline(est, meta):
    for _, step in est.steps:
        if _kinds.is_step(step):
            return refused_columns(step, meta)  # later steps see the first one's output
    return []


def _feature_union(est, meta):
    return [r for _, trans in est.transformer_list for r in refused_columns(trans, meta)]


def _function_transformer(est, meta):
    # validate=False (the default) hands X to func as it is
    return _all_non_numeric(est, meta) if est.validate else []


def _simple_imputer(est, meta):
    return [] if _kinds.keeps_strings(est) else _all_non_numeric(est, meta)


def _hist_gradient_boosting(est, meta):
    # categorical_features="from_dtype" takes pandas category columns as categorical
    if isinstance(est.categorical_features, str) and est.categorical_features == "from_dtype":
        return [(c, est) for c, t in meta.dtypes.items()
                if not _kinds.numeric(t) and getattr(t, "name", None) != "category"]
    return _all_non_numeric(est, meta)


#: "module:Class" -> the columns it refuses, for it and its subclasses (match_class)
_RULES = {
    "sklearn.compose:ColumnTransformer": _column_transformer,
    "sklearn.pipeline:Pipeline": _pipeline,
    "sklearn.pipeline:FeatureUnion": _feature_union,
    "sklearn.preprocessing:FunctionTransformer": _function_transformer,
    "sklearn.impute:SimpleImputer": _simple_imputer,
    _kinds.HIST_GRADIENT_BOOSTING: _hist_gradient_boosting,
}


def _all_non_numeric(est, meta):
    return [(c, est) for c, t in meta.dtypes.items() if not _kinds.numeric(t)]


def refused_columns(est, meta):
    """Return the columns of a frame that ``est`` cannot take, each with who refuses it.

    Parameters
    ----------
    est : estimator, ``"passthrough"``, ``"drop"`` or None
    meta : pandas.DataFrame
        The frame's (empty) meta: only the dtypes are read.

    Returns
    -------
    list of (column, estimator)
        Empty when ``est`` takes every column: numbers always; strings and categories
        when its tags say so (encoders), or when it hands them on to estimators that take
        them (``ColumnTransformer``, ``Pipeline``, ``FeatureUnion``, a meta-estimator
        whose ``estimator`` takes them, e.g. the ``ParallelPostFit`` wrapper or
        ``GridSearchCV``), or its parameters
        keep them (``FunctionTransformer(validate=False)``, ``SimpleImputer`` with
        ``strategy="most_frequent"`` or ``"constant"``, histogram gradient boosting with
        ``categorical_features="from_dtype"`` for category columns).
    """
    if not _kinds.is_step(est):  # "passthrough", "drop", None
        return []
    if not _all_non_numeric(est, meta):
        return []
    rule = match_class(est, _RULES)
    if rule is not None:
        return rule(est, meta)
    if _takes_any_values(_tags(est)):
        return []
    inner = _wrapped(est)
    if inner is not None:  # a meta-estimator hands X to the estimator it wraps
        return refused_columns(inner, meta)
    return _all_non_numeric(est, meta)


def _wrapped(est):
    """The estimator a meta-estimator wraps as its ``estimator`` parameter, or None."""
    try:
        inner = est.get_params(deep=False).get("estimator")
    except AttributeError:  # no get_params, or one reading a parameter never stored
        return None
    return inner if hasattr(inner, "fit") else None


def check_params(est):
    """Raise scikit-learn's parameter error before any block is loaded.

    A streaming fit would otherwise meet ``InvalidParameterError`` (e.g.
    ``SGDClassifier(loss="log")``) inside ``partial_fit`` on the first block, and
    report it as that block's failure. Classes that declare
    ``_parameter_constraints`` are validated as their own ``fit`` would.
    """
    if getattr(est, "_parameter_constraints", None) is not None:
        est._validate_params()


def check_target(est, y, params=None, static=None):
    """Raise scikit-learn's error for a target a classifier cannot learn, once.

    A continuous ``y`` given to a classifier is reported by
    :func:`sklearn.utils.multiclass.check_classification_targets`, as scikit-learn's
    error, before any block of ``X`` is fitted, instead of failing on some block. What
    is checked: the classes computed from all of ``y`` (``static["classes"]`` when
    ``params`` gave none), else ``y`` itself when it is in memory. A dask ``y`` with
    ``classes`` given is checked on the first non-empty block the fit loads: the
    function to call on it is returned, for the engine (reading a block of ``y`` here
    would read that block twice, and X's with it when both come from one frame).

    Parameters
    ----------
    est : estimator
    y : array-like, dask collection or None
    params : dict, default=None
        The fit parameters the caller was given.
    static : dict, default=None
        The parameters passed to every ``partial_fit`` call, ``classes`` included.

    Returns
    -------
    check : callable or None
        ``check(y_block)`` raising scikit-learn's error, to run on the first block
        fitted; ``None`` when nothing is left to check.
    """
    if y is None or not _is_classifier(est):
        return None
    from sklearn.utils.multiclass import check_classification_targets

    computed = (static or {}).get("classes")
    if computed is not None and (params or {}).get("classes") is None:
        sample = computed if not isinstance(computed, list) else None  # 2-D y: per column
    elif _blocks.is_dask(y):
        return check_classification_targets
    else:
        sample = y
    if sample is not None and len(sample):
        check_classification_targets(sample)
    return None


def _is_classifier(est):
    tags = _tags(est)
    return tags is not None and tags.estimator_type == "classifier"


def check_columns(est, X):
    """Raise scikit-learn's error for a dask ``X`` whose columns do not match the fit.

    Compares the width (``n_features_in_``) and, for a dask DataFrame, the column
    names (``feature_names_in_``) with what the fitted estimator saw, as
    scikit-learn's own methods do on each block, but at the call, on the meta, so a
    wrong ``X`` fails before anything is built or computed. Estimators whose tags say
    they do not validate their input (``no_validation``) are left alone.
    """
    tags = _tags(est)
    if tags is None or tags.no_validation:
        return
    if not (hasattr(est, "n_features_in_") or hasattr(est, "feature_names_in_")):
        return
    kind = _blocks.container(X)
    if kind == "frame":
        meta = X._meta
    elif kind == "array" and X.ndim == 2 and not np.isnan(X.shape[1]):
        meta = np.empty((0, int(X.shape[1])), dtype=X.dtype)
    else:
        return
    from .._sklearn_compat import _check_feature_names, _check_n_features

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns again on every block
        _check_feature_names(est, meta, reset=False)
        _check_n_features(est, meta, reset=False)
