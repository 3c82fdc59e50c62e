"""The univariate selectors on every row: each test's sufficient statistics, merged.

``SelectKBest``, ``SelectPercentile``, ``SelectFpr``, ``SelectFdr``, ``SelectFwe`` with
``score_func`` one of scikit-learn's ``f_classif``, ``f_regression`` (its defaults,
``center=True``, ``force_finite=True``) or ``chi2``. Per block, X and y are validated as
the score function validates them, and reduced to what its formula reads:

* ``f_classif``: per class, the count, the column sums and the sums of squares
  (``f_oneway``'s raw-sum formula is then evaluated on the merged sums, as scikit-learn's
  source writes it, warning on constant features as it does);
* ``f_regression``: the count, the means of X's columns and of y, their centred sums
  of squares and cross-products (merged by the pairwise update), giving
  ``r_regression``'s correlation; F, the p-values and the ``force_finite``
  replacements are then computed as ``f_regression``'s source computes them;
* ``chi2``: per class the count and the column sums (the observed table), finished
  by scikit-learn's own ``_chisquare``.

``scores_`` / ``pvalues_`` are set as ``fit`` sets them (after the selector's own
``_check_params``); which features are kept is the selector's own
``_get_support_mask`` on them, ties included. Any other ``score_func`` is refused
before any block is read.

Tolerance: chi2 rtol 1e-12 (sums); f_classif rtol 1e-9 (its raw-sum formula loses
digits on columns of large mean, scikit-learn's as ours); f_regression rtol 1e-9
(scikit-learn centres with the raw formula ``sum(x^2) - n mean^2``, we by the
pairwise update, the better conditioned: they agree to rounding on data whose
mean is not many orders of magnitude above its spread).
"""
import functools
import warnings

import numpy as np
import scipy.sparse

from ._base import Rule

__all__ = []


def _score_funcs():
    from sklearn.feature_selection import chi2, f_classif, f_regression

    return {"f_classif": f_classif, "f_regression": f_regression, "chi2": chi2}


def _by_class(x, y):
    """``{class: (count, column sums, column sums of squares)}`` of one block."""
    out = {}
    for c in np.unique(y):
        rows = x[y == c]
        sums = np.asarray(rows.sum(axis=0), dtype=np.float64).ravel()
        sq = rows.multiply(rows) if scipy.sparse.issparse(rows) else rows * rows
        out[c] = (rows.shape[0], sums, np.asarray(sq.sum(axis=0), np.float64).ravel())
    return out


def _merge_by_class(a, b):
    out = dict(a)
    for c, (n, s, q) in b.items():
        if c in out:
            n0, s0, q0 = out[c]
            out[c] = (n0 + n, s0 + s, q0 + q)
        else:
            out[c] = (n, s, q)
    return out


def _leaf(name, k, x, y, params):
    from sklearn.utils import check_array, check_X_y

    if name == "chi2":
        x = check_array(x, accept_sparse="csr", dtype=(np.float64, np.float32))
        if np.any((x.data if scipy.sparse.issparse(x) else x) < 0):
            raise ValueError("Input X must be non-negative.")
        y = np.asarray(y)
        return x.dtype, _by_class(x, y)
    if name == "f_classif":
        x, y = check_X_y(x, y, accept_sparse=["csr", "csc", "coo"])
        if x.dtype.kind != "f":
            x = x.astype(np.float64)
        return x.dtype, _by_class(x, y)
    x, y = check_X_y(x, y, accept_sparse=["csr", "csc", "coo"], dtype=np.float64)
    n = x.shape[0]
    mx = np.asarray(x.mean(axis=0)).ravel()
    my = y.mean()
    yc = y - my
    if scipy.sparse.issparse(x):
        sxx = np.asarray(x.multiply(x).sum(axis=0)).ravel() - n * mx ** 2
        sxy = np.asarray(x.T @ yc).ravel()
    else:
        xc = x - mx
        sxx = np.einsum("ij,ij->j", xc, xc)
        sxy = yc @ xc
    return x.dtype, (n, mx, my, sxx, yc @ yc, sxy)


def _merge(name, a, b):
    dtype = np.promote_types(a[0], b[0])
    if name != "f_regression":
        return dtype, _merge_by_class(a[1], b[1])
    na, mxa, mya, sxxa, syya, sxya = a[1]
    nb, mxb, myb, sxxb, syyb, sxyb = b[1]
    n = na + nb
    f = na * nb / n
    dx, dy = mxa - mxb, mya - myb
    return dtype, (n, (na * mxa + nb * mxb) / n, (na * mya + nb * myb) / n,
                   sxxa + sxxb + f * dx * dx, syya + syyb + f * dy * dy,
                   sxya + sxyb + f * dx * dy)


def _f_classif(stat):
    """``f_oneway`` of scikit-learn, on the merged per-class sums."""
    from scipy import special

    dtype, by_class = stat
    classes = sorted(by_class)
    n_per_class = np.array([by_class[c][0] for c in classes])
    n_classes, n_samples = len(classes), np.sum(n_per_class)
    cast = (lambda v: v.astype(dtype)) if dtype != np.float64 else (lambda v: v)
    ss_alldata = sum(cast(by_class[c][2]) for c in classes)
    sums_args = [cast(by_class[c][1]) for c in classes]
    square_of_sums_alldata = sum(sums_args) ** 2
    sstot = ss_alldata - square_of_sums_alldata / float(n_samples)
    ssbn = 0.0
    for k, s in enumerate(sums_args):
        ssbn += s ** 2 / n_per_class[k]
    ssbn -= square_of_sums_alldata / float(n_samples)
    sswn = sstot - ssbn
    dfbn, dfwn = n_classes - 1, n_samples - n_classes
    msb, msw = ssbn / float(dfbn), sswn / float(dfwn)
    constant = np.where(msw == 0.0)[0]
    if np.nonzero(msb)[0].size != msb.size and constant.size:
        warnings.warn("Features %s are constant." % constant, UserWarning)
    f = np.asarray(msb / msw).ravel()
    return f, special.fdtrc(dfbn, dfwn, f)


def _f_regression(stat):
    """``f_regression(center=True, force_finite=True)`` of scikit-learn, merged."""
    from scipy import stats

    n, _, _, sxx, syy, sxy = stat[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = sxy / np.sqrt(np.maximum(sxx, 0)) / np.sqrt(max(syy, 0.0))
    corr = np.asarray(corr, dtype=np.float64)
    corr[np.isnan(corr)] = 0.0
    dof = n - 2
    corr2 = corr ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        f = corr2 / (1 - corr2) * dof
        p = stats.f.sf(f, 1, dof)
    if not np.isfinite(f).all():
        inf = np.isinf(f)
        f[inf] = np.finfo(f.dtype).max
        nan = np.isnan(f)
        f[nan] = 0.0
        p[nan] = 1.0
    return f, p


def _chi2(stat):
    """``chi2`` of scikit-learn: its ``_chisquare`` on the merged observed table."""
    from ..._sklearn_compat import _chisquare

    dtype, by_class = stat
    classes = sorted(by_class)
    counts = np.array([by_class[c][0] for c in classes], dtype=np.float64)
    observed = np.vstack([by_class[c][1] for c in classes]).astype(dtype)
    if len(classes) == 1:  # LabelBinarizer's one column, and its complement
        observed = np.vstack([np.zeros_like(observed), observed])
        counts = np.array([0.0, counts[0]])
    feature_count = observed.sum(axis=0).reshape(1, -1)
    class_prob = (counts / counts.sum()).reshape(1, -1)
    expected = np.dot(class_prob.T, feature_count)
    return _chisquare(observed, expected)


_FINISH = {"f_classif": _f_classif, "f_regression": _f_regression, "chi2": _chi2}


class UnivariateSelectRule(Rule):
    """``SelectKBest``, ``SelectPercentile``, ``SelectFpr``, ``SelectFdr``,
    ``SelectFwe`` with ``f_classif``, ``f_regression`` or ``chi2``; every ``k``,
    ``percentile``, ``alpha``; dense, sparse or frame blocks. Tolerance: see the
    module docstring."""

    def name(self, est):
        for name, func in _score_funcs().items():
            if est.score_func is func:
                return name
        return None

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if self.name(est) is None:
            self.refuse(est, "score_func", est.score_func, list(_score_funcs()),
                        "only scikit-learn's f_classif, f_regression and chi2 have "
                        "mergeable statistics (pass the functions themselves)")

    def fit(self, est, template, reduce, static):
        name = self.name(est)
        stat = reduce(functools.partial(_leaf, name), functools.partial(_merge, name))
        scores, pvalues = _FINISH[name](stat)
        est._check_params(np.empty((0, len(scores))), None)  # its warnings, as in fit
        est.scores_ = np.asarray(scores)
        est.pvalues_ = np.asarray(pvalues)
