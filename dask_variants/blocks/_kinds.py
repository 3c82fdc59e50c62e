"""Named questions about what an estimator is, for the frame code (checks, vocabularies,
output dtypes).

Each is a :func:`dask_variants.blocks._rules.is_a` test against scikit-learn's class
hierarchy (STYLE.md: by what an estimator is, never by its name), so a subclass, a
variant or another library's class derived from them answers as its base does, and
asking imports nothing.
"""
import numpy as np

from .._sklearn_compat import spec
from ._rules import is_a

__all__ = []


def is_encoder(est):
    """``OneHotEncoder``, ``OrdinalEncoder``, ``TargetEncoder``: learn ``categories_``."""
    return is_a(est, spec("_BaseEncoder"))


def is_vocabulary_encoder(est):
    """``OneHotEncoder``, ``OrdinalEncoder``: a fit that learns ``categories_`` (and,
    with ``min_frequency`` / ``max_categories``, their counts), not a target statistic."""
    return is_a(est, "sklearn.preprocessing:OneHotEncoder",
                "sklearn.preprocessing:OrdinalEncoder")


def is_label_transformer(est):
    """``LabelEncoder``, ``LabelBinarizer``: fitted on the labels themselves."""
    return is_a(est, "sklearn.preprocessing:LabelEncoder", "sklearn.preprocessing:LabelBinarizer")


def is_column_transformer(est):
    return is_a(est, "sklearn.compose:ColumnTransformer")


def is_pipeline(est):
    return is_a(est, "sklearn.pipeline:Pipeline")


def is_feature_union(est):
    return is_a(est, "sklearn.pipeline:FeatureUnion")


def is_function_transformer(est):
    return is_a(est, "sklearn.preprocessing:FunctionTransformer")


def is_simple_imputer(est):
    return is_a(est, "sklearn.impute:SimpleImputer")


#: the base of both histogram gradient boosting estimators (a private class)
HIST_GRADIENT_BOOSTING = spec("BaseHistGradientBoosting")


def is_hist_gradient_boosting(est):
    return is_a(est, HIST_GRADIENT_BOOSTING)


def is_step(est):
    """False for a composite's placeholders: ``None``, ``"passthrough"``, ``"drop"``."""
    return est is not None and not isinstance(est, str)


def keeps_strings(est):
    """A ``SimpleImputer`` whose strategy keeps object columns as they are."""
    return isinstance(est.strategy, str) and est.strategy in ("most_frequent", "constant")


def numeric(dtype):
    """True for numbers and booleans, numpy or pandas extension dtypes."""
    try:
        return np.dtype(dtype).kind in "biuf"
    except TypeError:  # pandas extension dtypes
        return getattr(dtype, "_is_numeric", False) or getattr(dtype, "kind", "O") in "biuf"
