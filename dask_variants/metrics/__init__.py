"""Metrics and scorers that run blockwise on dask collections.

On NumPy, pandas or list input every function here is scikit-learn's own (same
results, same errors). On dask arrays, DataFrames and Series the metric is split into
per-block partial sums, computed in parallel and combined; the inputs are never
gathered into one array. The functions are eager, like scikit-learn's: they call
``compute`` and return Python floats (or a NumPy array for
``multioutput="raw_values"``).
"""
from ._classification import accuracy_score, log_loss
from ._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from ._scorer import check_scoring, get_scorer, get_scorer_names

__all__ = [
    "accuracy_score",
    "check_scoring",
    "get_scorer",
    "get_scorer_names",
    "log_loss",
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "root_mean_squared_error",
]
