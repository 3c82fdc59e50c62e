"""Metrics and scorers that run blockwise on dask collections.

On NumPy, pandas or list input every function here is scikit-learn's own (same
results, same errors). On dask arrays, DataFrames and Series the metric is split into
per-block partial sums, computed in parallel and combined; the inputs are never
gathered into one array. The functions are eager, like scikit-learn's: they call
``compute`` and return Python floats (or a NumPy array for
``multioutput="raw_values"``), unless given dask-ml's ``compute=False``: then they
return a lazy dask array. The pairwise distances and kernels (also in
:mod:`dask_variants.metrics.pairwise`, dask-ml's path) return lazy dask arrays with
``X``'s row blocks.
"""
from ._classification import accuracy_score, log_loss
from ._regression import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_log_error,
    r2_score,
    root_mean_squared_error,
    root_mean_squared_log_error,
)
from . import scorer  # noqa: F401  (dask-ml's module path, dask_ml.metrics.scorer)
from ._scorer import check_scoring, get_scorer, get_scorer_names
from .pairwise import (
    euclidean_distances,
    linear_kernel,
    pairwise_distances,
    pairwise_distances_argmin_min,
    pairwise_kernels,
    polynomial_kernel,
    rbf_kernel,
    sigmoid_kernel,
)

__all__ = [
    "accuracy_score",
    "check_scoring",
    "euclidean_distances",
    "get_scorer",
    "get_scorer_names",
    "linear_kernel",
    "log_loss",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_log_error",
    "pairwise_distances",
    "pairwise_distances_argmin_min",
    "pairwise_kernels",
    "polynomial_kernel",
    "r2_score",
    "rbf_kernel",
    "root_mean_squared_error",
    "root_mean_squared_log_error",
    "sigmoid_kernel",
]


def __dir__():  # the public names and submodules, not the private ones
    return sorted(__all__ + ['pairwise', 'scorer'])
