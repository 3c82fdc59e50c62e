"""What an estimator is, by scikit-learn's class hierarchy, without importing anything.

Behaviour that depends on the estimator is chosen by what it is (STYLE.md): these
predicates are ``isinstance`` checks against scikit-learn classes, so a subclass, a
variant or another library's class derived from them answers as its base does. A class
is looked up only in a module already imported: an object cannot be an instance of a
class that nobody imported, so asking costs no import.
"""
import sys

import numpy as np

__all__ = []


def _instance(est, module, name):
    mod = sys.modules.get(module)
    cls = None if mod is None else getattr(mod, name, None)
    return cls is not None and isinstance(est, cls)


def is_encoder(est):
    """``OneHotEncoder``, ``OrdinalEncoder``, ``TargetEncoder``: learn ``categories_``."""
    return _instance(est, "sklearn.preprocessing._encoders", "_BaseEncoder")


def is_label_transformer(est):
    """``LabelEncoder``, ``LabelBinarizer``: fitted on the labels themselves."""
    return (_instance(est, "sklearn.preprocessing._label", "LabelEncoder")
            or _instance(est, "sklearn.preprocessing._label", "LabelBinarizer"))


def is_column_transformer(est):
    return _instance(est, "sklearn.compose._column_transformer", "ColumnTransformer")


def is_pipeline(est):
    return _instance(est, "sklearn.pipeline", "Pipeline")


def is_feature_union(est):
    return _instance(est, "sklearn.pipeline", "FeatureUnion")


def is_function_transformer(est):
    return _instance(est, "sklearn.preprocessing._function_transformer", "FunctionTransformer")


def is_simple_imputer(est):
    return _instance(est, "sklearn.impute._base", "SimpleImputer")


def is_hist_gradient_boosting(est):
    return _instance(est, "sklearn.ensemble._hist_gradient_boosting.gradient_boosting",
                     "BaseHistGradientBoosting")


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
