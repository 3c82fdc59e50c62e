"""PCA and TruncatedSVD on every row: the SVD of the R factor of the data, by TSQR.

The statistic is the centred :mod:`._tsqr` statistic ``(n, mean, R)`` of X's rows
(the same leaf and merge as least squares), with X's dtype. ``X - mean = Q R`` with
``Q`` orthonormal, so the SVD ``R = U' S Vt`` gives the singular values ``S`` and right
singular vectors ``Vt`` of the centred data itself (its left vectors are ``Q U'``,
never needed): the answer of ``PCA(svd_solver='full')`` without an ``n x p`` matrix.
The uncentred data's R, which ``TruncatedSVD`` decomposes, follows from the same
statistic without forming a Gram matrix (:func:`._tsqr.uncentred`).

Signs: scikit-learn flips both estimators' vectors from ``Vt`` alone
(``svd_flip(U, Vt, u_based_decision=False)``, in the installed version and in the
oldest supported, 1.6.1), so the finish calls that same ``svd_flip`` on ``Vt``.

Tolerance: the attributes equal scikit-learn's on the concatenated data to rtol 1e-9
for float64 (the QR of the data is as well conditioned as the data; a singular vector
is as stable as the gap to its neighbours lets it be), to rtol 1e-4 for float32 (the
statistic is float64; scikit-learn's SVD of float32 data is float32).
"""
import numpy as np
import scipy.linalg

from . import _tsqr
from ._base import OnePass, as_float

__all__ = []


class _Rows:
    """The centred :class:`._tsqr.Moments` of a set of rows of X, X's dtype, and
    whether any block was sparse."""

    __slots__ = ("moments", "dtype", "sparse")

    def __init__(self, moments, dtype, sparse):
        self.moments, self.dtype, self.sparse = moments, dtype, sparse


class _RFactor(OnePass):
    """One pass: the centred TSQR statistic of X's rows (dense or sparse blocks)."""

    def leaf(self, template, static, k, x, y, params):
        import scipy.sparse

        sparse = scipy.sparse.issparse(x)
        x = as_float(x, dtype=[np.float64, np.float32], sparse=True)
        dtype = x.dtype
        z = x.toarray() if sparse else x
        return _Rows(_tsqr.of_rows(z.astype(np.float64, copy=False)), dtype, sparse)

    def merge(self, a, b):
        return _Rows(_tsqr.merge(a.moments, b.moments), np.promote_types(a.dtype, b.dtype),
                     a.sparse or b.sparse)


def _svd(r):
    """``S`` and ``Vt`` of ``r``, ``Vt``'s signs flipped as scikit-learn flips them."""
    from sklearn.utils.extmath import svd_flip

    _, s, vt = scipy.linalg.svd(r, full_matrices=False)
    _, vt = svd_flip(None, vt, u_based_decision=False)
    return s, vt


class PCARule(_RFactor):
    """``PCA``: every ``n_components`` form (int, float in (0, 1), ``'mle'``, ``None``),
    ``whiten``, ``svd_solver`` 'full', 'covariance_eigh' and 'auto'.

    Every solver kept gives the answer of ``svd_solver='full'`` on the concatenated
    data. scikit-learn's 'auto' picks 'covariance_eigh' on tall data (``n >= 10 p``,
    ``p <= 1000``): the eigenvectors of the covariance matrix, which agree with the
    SVD to rounding amplified by the square of the data's condition number, so to
    ~1e-8 on data of condition 1e4 (and where 'auto' would pick 'randomized', on wide
    data, scikit-learn's answer is an approximation of this one). 'arpack' and
    'randomized' are refused: they approximate. Sparse blocks are accepted with
    'covariance_eigh' (as scikit-learn accepts sparse X); each block is densified in
    its task.
    """

    _SOLVERS = ("auto", "full", "covariance_eigh")

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if est.svd_solver not in self._SOLVERS:
            self.refuse(est, "svd_solver", est.svd_solver, self._SOLVERS,
                        "it approximates the SVD the exact fit computes")

    def finish(self, est, stat, static):
        m, dtype = stat.moments, stat.dtype
        n, p = int(m.w), m.r.shape[1]
        name = type(est).__name__
        if stat.sparse and est.svd_solver != "covariance_eigh":
            why = ("scikit-learn fits sparse X with 'arpack' there, which approximates"
                   if est.svd_solver == "auto" else
                   f"scikit-learn's PCA refuses sparse X with svd_solver={est.svd_solver!r}")
            raise TypeError(
                f"dask_variants.exact.{name} got sparse blocks with "
                f"svd_solver={est.svd_solver!r}: {why}. Use svd_solver='covariance_eigh' "
                "(exact on sparse X), or TruncatedSVD.")
        nc = min(n, p) if est.n_components is None else est.n_components
        solver = _auto_solver(n, p, nc) if est.svd_solver == "auto" else est.svd_solver
        if nc == "mle":
            if n < p:
                raise ValueError(
                    "n_components='mle' is only supported if n_samples >= n_features")
        elif not 0 <= nc <= min(n, p):
            raise ValueError(
                f"n_components={nc} must be between 0 and min(n_samples, n_features)="
                f"{min(n, p)} with svd_solver={solver!r}")
        s, vt = _svd(m.r)
        variance = (s ** 2 / (n - 1)).astype(dtype)
        ratio = variance / np.sum(variance)
        if nc == "mle":
            from ..._sklearn_compat import _infer_dimension

            nc = _infer_dimension(variance, n)
        elif 0 < nc < 1.0:
            nc = np.searchsorted(np.cumsum(ratio, dtype=np.float64), nc, side="right") + 1
        est.noise_variance_ = np.mean(variance[nc:]) if nc < min(n, p) else 0.0
        est.n_samples_ = n
        est.n_components_ = nc
        est.components_ = np.ascontiguousarray(vt[:nc], dtype=dtype)
        est.explained_variance_ = variance[:nc].copy()
        est.explained_variance_ratio_ = ratio[:nc].copy()
        est.singular_values_ = s[:nc].astype(dtype)
        est.mean_ = m.mean.astype(dtype)
        est._fit_svd_solver = "full" if solver == "randomized" else solver


def _auto_solver(n, p, n_components):
    """The solver scikit-learn's ``svd_solver='auto'`` picks for dense ``n x p`` data."""
    if p <= 1_000 and n >= 10 * p:
        return "covariance_eigh"
    if max(n, p) <= 500 or n_components == "mle":
        return "full"
    if 1 <= n_components < 0.8 * min(n, p):
        return "randomized"
    return "full"


class TruncatedSVDRule(_RFactor):
    """``TruncatedSVD``: the exact top ``n_components`` singular triplets of X
    (uncentred), dense or sparse blocks, whatever ``algorithm``.

    scikit-learn's 'arpack' and 'randomized' approximate this SVD: 'arpack' to its
    ``tol`` (``tol=0``, the default, is machine precision: the answers agree to rtol
    1e-9 where the singular values are distinct), 'randomized' to an error that falls
    with ``n_iter`` and the spectral gap (~1e-6 relative on a clear gap with the default
    ``n_iter=5``). ``explained_variance_`` and its ratio are the variances of ``X @ V``
    and of X's columns, from the centred statistic.
    """

    def finish(self, est, stat, static):
        m = stat.moments
        n, p = int(m.w), m.r.shape[1]
        dtype = stat.dtype
        k = est.n_components
        if p < 2:
            raise ValueError(
                f"Found array with {p} feature(s) (shape=({n}, {p})) while a minimum of "
                f"2 is required by {type(est).__name__}.")
        if k > min(n, p) or (est.algorithm == "arpack" and k >= min(n, p)):
            bound = "<" if est.algorithm == "arpack" else "<="
            raise ValueError(
                f"n_components({k}) must be {bound} min(n_samples, n_features)="
                f"{min(n, p)} with algorithm={est.algorithm!r}.")
        s, vt = _svd(_tsqr.uncentred(m))
        s, vt = s[:k], vt[:k]
        variance = np.sum((m.r @ vt.T) ** 2, axis=0) / n
        full = np.sum(m.r ** 2) / n
        est.components_ = np.ascontiguousarray(vt, dtype=dtype)
        est.explained_variance_ = variance.astype(dtype)
        est.explained_variance_ratio_ = (variance / full).astype(dtype)
        est.singular_values_ = s.astype(dtype)
