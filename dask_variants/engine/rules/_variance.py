"""``VarianceThreshold`` on every row: the columns' counts, means and variances merged.

Per block (validated as ``fit`` validates X: float64, NaN allowed, dense or sparse),
each column's count of non-NaN values, their mean and variance (implicit zeros of a
sparse block are values), its minimum and maximum and whether it holds a NaN; merged
by the pairwise update of :mod:`dask_variants.engine._merge` (``_pooled``). The finish
is ``fit``'s: ``variances_`` = the pooled variance (NaN ignored, as ``np.nanvar`` and
``mean_variance_axis`` ignore it), and with ``threshold=0`` the element-wise
``nanmin`` with the peak-to-peak range (NaN where the column holds one, as ``np.ptp``),
so a constant column is exactly 0; then scikit-learn's error when no feature passes.

Tolerance: ``variances_`` rtol 1e-10 (a pooled variance against numpy's two-pass one),
atol 1e-25 (a constant column's variance is rounding noise in both, unless threshold=0).
"""
import warnings

import numpy as np
import scipy.sparse

from .. import _merge
from ._base import OnePass

__all__ = []


class VarianceThresholdRule(OnePass):
    """``VarianceThreshold``: every ``threshold``; dense, sparse or frame blocks, NaN
    ignored as scikit-learn ignores it. rtol 1e-10."""

    def leaf(self, template, static, k, x, y, params):
        from sklearn.utils import check_array
        from sklearn.utils.sparsefuncs import mean_variance_axis, min_max_axis

        x = check_array(x, accept_sparse=("csr", "csc"), dtype=np.float64,
                        ensure_all_finite="allow-nan")
        if scipy.sparse.issparse(x):
            mean, var, n = mean_variance_axis(x, axis=0, return_sum_weights=True)
            lo, hi = min_max_axis(x, axis=0, ignore_nan=True)
            nan = _nan_columns(x)
        else:
            valid = ~np.isnan(x)
            n = valid.sum(axis=0).astype(np.float64)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
                mean, var = np.nanmean(x, axis=0), np.nanvar(x, axis=0)
                lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            nan = ~valid.all(axis=0)
        return (np.asarray(n, np.float64), mean, var, lo, hi, nan, x.shape[0])

    def merge(self, a, b):
        n, mean, var = _merge._pooled(*a[:3], *b[:3])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo, hi = np.fmin(a[3], b[3]), np.fmax(a[4], b[4])
        return (n, mean, var, lo, hi, a[5] | b[5], a[6] + b[6])

    def finish(self, est, stat, static):
        n, _, var, lo, hi, nan, rows = stat
        var = np.where(n == 0, np.nan, var)
        if est.threshold == 0:
            ptp = np.where(nan, np.nan, hi - lo)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                var = np.nanmin(np.array([var, ptp]), axis=0)
        if np.all(~np.isfinite(var) | (var <= est.threshold)):
            msg = "No feature in X meets the variance threshold {0:.5f}"
            if rows == 1:
                msg += " (X contains only one sample)"
            raise ValueError(msg.format(est.threshold))
        est.variances_ = var


def _nan_columns(x):
    x = x.tocsc()
    nan = np.zeros(x.shape[1], bool)
    counts = np.add.reduceat(np.isnan(x.data).astype(np.int64), x.indptr[:-1]) \
        if x.nnz else np.zeros(x.shape[1], np.int64)
    nonempty = np.diff(x.indptr) > 0
    nan[nonempty] = counts[nonempty] > 0
    return nan
