"""Input checks for dask inputs, raised before any block is loaded, and their messages."""
import sys

import numpy as np

from . import _blocks

__all__ = ["check_dask_X", "check_classes"]


def _tags(est):
    try:
        return est.__sklearn_tags__()
    except Exception:
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


def _numeric_or_bool(dtype):
    try:
        return np.dtype(dtype).kind in "biuf"
    except TypeError:  # pandas extension dtypes
        return getattr(dtype, "_is_numeric", False) or getattr(dtype, "kind", "O") in "biuf"


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
        # label transformers (LabelEncoder, LabelBinarizer) take y: any label values
        or (not tags.input_tags.two_d_array and tags.target_tags.one_d_labels)
    )


# ------------------------------------------------------------------ dtype-aware checks
#
# Which columns of a frame an estimator can take is decided by what the estimator is:
# first a few rules over scikit-learn's class hierarchy (composites that route columns
# to other estimators, and estimators whose parameters decide whether they take
# strings), then the estimator's tags. A rule's class is looked up only in modules
# already imported: an estimator cannot be an instance of a class nobody imported, so
# checking costs no import.


def _loaded(module, name):
    mod = sys.modules.get(module)
    return None if mod is None else getattr(mod, name, None)


def _column_transformer(est, meta):
    from sklearn.utils._indexing import _get_column_indices

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
        if step is not None and not (isinstance(step, str) and step == "passthrough"):
            return refused_columns(step, meta)  # later steps see the first one's output
    return []


def _feature_union(est, meta):
    return [r for _, trans in est.transformer_list for r in refused_columns(trans, meta)]


def _function_transformer(est, meta):
    # validate=False (the default) hands X to func as it is
    return _all_non_numeric(est, meta) if est.validate else []


def _simple_imputer(est, meta):
    # scikit-learn keeps object columns for these two strategies only
    if isinstance(est.strategy, str) and est.strategy in ("most_frequent", "constant"):
        return []
    return _all_non_numeric(est, meta)


def _hist_gradient_boosting(est, meta):
    # categorical_features="from_dtype" takes pandas category columns as categorical
    if isinstance(est.categorical_features, str) and est.categorical_features == "from_dtype":
        return [(c, est) for c, t in meta.dtypes.items()
                if not _numeric_or_bool(t) and str(t) != "category"]
    return _all_non_numeric(est, meta)


_RULES = (
    ("sklearn.compose._column_transformer", "ColumnTransformer", _column_transformer),
    ("sklearn.pipeline", "Pipeline", _pipeline),
    ("sklearn.pipeline", "FeatureUnion", _feature_union),
    ("sklearn.preprocessing._function_transformer", "FunctionTransformer",
     _function_transformer),
    ("sklearn.impute._base", "SimpleImputer", _simple_imputer),
    ("sklearn.ensemble._hist_gradient_boosting.gradient_boosting",
     "BaseHistGradientBoosting", _hist_gradient_boosting),
)


def _all_non_numeric(est, meta):
    return [(c, est) for c, t in meta.dtypes.items() if not _numeric_or_bool(t)]


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
        them (``ColumnTransformer``, ``Pipeline``, ``FeatureUnion``), or its parameters
        keep them (``FunctionTransformer(validate=False)``, ``SimpleImputer`` with
        ``strategy="most_frequent"`` or ``"constant"``, histogram gradient boosting with
        ``categorical_features="from_dtype"`` for category columns).
    """
    if est is None or isinstance(est, str):  # "passthrough", "drop"
        return []
    if not _all_non_numeric(est, meta):
        return []
    for module, name, rule in _RULES:
        cls = _loaded(module, name)
        if cls is not None and isinstance(est, cls):
            return rule(est, meta)
    if _takes_any_values(_tags(est)):
        return []
    return _all_non_numeric(est, meta)
