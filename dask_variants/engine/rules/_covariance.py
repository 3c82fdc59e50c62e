"""Covariance on every row: merged centred moments of the blocks.

The statistic of a set of rows (:class:`Moments`) is its count ``n``, its mean ``m``
(the centre; zero when the estimator assumes centred data) and the sums about that
centre of the products the estimators need: the Gram matrix
``C11[j, k] = sum d_j d_k`` and, for Ledoit-Wolf's shrinkage, the fourth-order sums
``C21[j, k] = sum d_j**2 d_k`` and ``C22[j, k] = sum d_j**2 d_k**2`` (``d = x - m``).
Two sets merge exactly by moving both to the merged centre (a shift ``s = m - m_a``
of sums whose first moments vanish) and adding::

    C11 + n s s^T
    C21[j, k] - s_k C11[j, j] - 2 s_j C11[j, k] - n s_j**2 s_k
    C22[j, k] - 2 s_k C21[j, k] - 2 s_j C21[k, j] + s_k**2 C11[j, j]
              + s_j**2 C11[k, k] + 4 s_j s_k C11[j, k] + n s_j**2 s_k**2

(the pairwise update of a covariance, carried to fourth order). Every block is centred
at its own mean first, so the sums are as accurate as scikit-learn's on the centred
concatenated data.

The finish computes each fitted attribute from these as scikit-learn's ``fit`` does
from the data: the empirical covariance ``C11 / n``, scikit-learn's own
``shrunk_covariance`` and ``_set_covariance`` (so ``precision_`` is its ``pinvh``),
Ledoit-Wolf's shrinkage from ``sum(C22)`` (the sum of ``X**2 . X**2`` its source
forms blockwise; ``block_size`` only bounds that product's memory, so it changes
nothing here) and OAS's from the covariance alone.

Tolerance: ``covariance_``, ``precision_``, ``location_`` and ``shrinkage_`` to rtol
1e-10 on float64 data; 1e-3 on float32 data, where scikit-learn's own float32 sums
round at 1e-6 and ``precision_`` amplifies that by the condition number.
"""
import numpy as np

from ._base import OnePass, as_float

__all__ = []


class Moments:
    """Count, centre and centred sums (to second or fourth order) of a set of rows."""

    def __init__(self, n, mean, c11, c21=None, c22=None, dtype=np.float64):
        self.n, self.mean, self.c11, self.c21, self.c22 = n, mean, c11, c21, c22
        self.dtype = dtype

    @classmethod
    def of(cls, x, *, centred=True, fourth=False, diagonal=False):
        """The moments of the rows of 2-D float array ``x`` (about its mean or zero);
        with ``diagonal``, only the diagonal of ``C11`` (the sums of squares)."""
        dtype = x.dtype
        x = np.asarray(x, dtype=np.float64)
        mean = x.mean(axis=0) if centred else np.zeros(x.shape[1])
        d = x - mean if centred else x
        if diagonal:
            return cls(len(x), mean, np.einsum("ij,ij->j", d, d), dtype=dtype)
        c21 = c22 = None
        if fourth:
            d2 = d * d
            c21, c22 = d2.T @ d, d2.T @ d2
        return cls(len(x), mean, d.T @ d, c21, c22, dtype)

    def shifted(self, centre):
        """The same rows' sums about ``centre`` (their first moments about it are
        ``n (mean - centre)``; they cancel in a merge about the merged mean)."""
        s = centre - self.mean
        if not s.any():
            return self.c11, self.c21, self.c22
        n, c11, c21, c22 = self.n, self.c11, self.c21, self.c22
        if c11.ndim == 1:  # the diagonal only
            return c11 + n * s * s, None, None
        ss = np.outer(s, s)
        out11 = c11 + n * ss
        if c21 is None:
            return out11, None, None
        diag = np.diag(c11)
        s2 = s * s
        out21 = c21 - diag[:, None] * s[None, :] - 2 * s[:, None] * c11 - n * np.outer(s2, s)
        out22 = (c22 - 2 * s[None, :] * c21 - 2 * s[:, None] * c21.T
                 + diag[:, None] * s2[None, :] + s2[:, None] * diag[None, :]
                 + 4 * ss * c11 + n * np.outer(s2, s2))
        return out11, out21, out22

    def merged(self, other):
        n = self.n + other.n
        mean = (self.n * self.mean + other.n * other.mean) / n
        a, b = self.shifted(mean), other.shifted(mean)
        sums = [None if x is None else x + y for x, y in zip(a, b)]
        return Moments(n, mean, *sums, dtype=np.promote_types(self.dtype, other.dtype))

    def covariance(self):
        """The maximum-likelihood covariance, ``C11 / n``."""
        return self.c11 / self.n

    def ledoit_wolf_shrinkage(self, scale=None, dtype=np.float64):
        """Ledoit-Wolf's shrinkage of the (column-divided by ``scale``) centred rows.

        The quantities of :func:`sklearn.covariance.ledoit_wolf_shrinkage`: ``delta_``
        from the covariance, ``beta_ = sum((X**2).T @ X**2)`` from ``C22``; the sums
        are rounded to X's ``dtype`` and combined by the same expressions, so numpy's
        promotion gives the result the type scikit-learn's gives.
        """
        p = self.c11.shape[0]
        if p == 1:
            return 0.0
        n = self.n
        c11, c22 = self.c11, self.c22
        if scale is not None:
            c11 = c11 / np.outer(scale, scale)
            c22 = c22 / np.outer(scale * scale, scale * scale)
        t = np.dtype(dtype).type
        trace = (np.diag(c11) / n).astype(dtype)
        mu = np.sum(trace) / p
        beta_ = 0.0 + t(np.sum(c22))
        delta_ = 0.0 + t(np.sum(c11 ** 2))
        delta_ /= n ** 2
        beta = 1.0 / (p * n) * (beta_ / n - delta_)
        delta = delta_ - 2.0 * mu * trace.sum() + p * mu ** 2
        delta /= p
        beta = min(beta, delta)
        return 0 if beta == 0 else beta / delta


def oas_shrinkage(emp_cov, n):
    """OAS's shrinkage of an empirical covariance of ``n`` rows (Chen et al., 2010)."""
    p = emp_cov.shape[0]
    alpha = np.mean(emp_cov ** 2)
    mu = np.trace(emp_cov) / p
    num = alpha + mu ** 2
    den = (n + 1) * (alpha - mu ** 2 / p)
    return 1.0 if den == 0 else min(num / den, 1.0)


def block(x):
    """Block ``x`` as scikit-learn's validation gives it (float32 stays float32)."""
    return as_float(x, dtype=[np.float64, np.float32])


# --------------------------------------------------------------------------- rules


class _Covariance(OnePass):
    """The empirical family: moments about the mean (or zero), finished as ``fit``."""

    #: whether the finish needs the fourth-order sums
    fourth = False

    def leaf(self, template, static, k, x, y, params):
        return Moments.of(block(x), centred=not template.assume_centered,
                          fourth=self.fourth)

    def merge(self, a, b):
        return a.merged(b)

    def finish(self, est, stat, static):
        p = stat.c11.shape[0]
        dtype = stat.dtype
        est.location_ = (np.zeros(p) if est.assume_centered
                         else stat.mean.astype(dtype))
        cov, shrinkage = self.estimate(est, stat)
        if shrinkage is not None:
            est.shrinkage_ = shrinkage
        est._set_covariance(cov)

    def emp_cov(self, est, stat):
        """``empirical_covariance`` of X as scikit-learn's ``fit`` calls it: np.cov
        (float64) when it centres, ``X.T @ X / n`` in X's dtype when it does not."""
        cov = stat.covariance()
        return cov.astype(stat.dtype) if est.assume_centered else cov

    def estimate(self, est, stat):
        """``(covariance_, shrinkage_ or None)``."""
        raise NotImplementedError


class EmpiricalCovarianceRule(_Covariance):
    """``EmpiricalCovariance``: every parameter (``assume_centered``,
    ``store_precision``)."""

    def estimate(self, est, stat):
        return self.emp_cov(est, stat), None


class ShrunkCovarianceRule(_Covariance):
    """``ShrunkCovariance``: every parameter; scikit-learn's ``shrunk_covariance``."""

    def estimate(self, est, stat):
        from sklearn.covariance import shrunk_covariance

        return shrunk_covariance(self.emp_cov(est, stat), est.shrinkage), None


def _centred_cov(est, stat):
    """The covariance of ``X - location_`` with ``assume_centered=True`` (what
    LedoitWolf and OAS compute from), in that difference's dtype: X's when it subtracts
    the mean, float64 when it subtracts float64 zeros."""
    return stat.covariance().astype(np.float64 if est.assume_centered else stat.dtype)


def _shrunk(cov, shrinkage):
    p = cov.shape[0]
    out = (1.0 - shrinkage) * cov
    out.flat[::p + 1] += shrinkage * np.trace(cov) / p
    return out


class LedoitWolfRule(_Covariance):
    """``LedoitWolf``: every parameter; ``block_size`` bounds a product's memory in
    scikit-learn and changes no result."""

    fourth = True

    def estimate(self, est, stat):
        cov = _centred_cov(est, stat)
        if cov.shape[0] == 1:
            return cov, 0.0
        shrinkage = stat.ledoit_wolf_shrinkage(dtype=cov.dtype)
        return _shrunk(cov, shrinkage), shrinkage


class OASRule(_Covariance):
    """``OAS``: every parameter."""

    def estimate(self, est, stat):
        cov = _centred_cov(est, stat)
        if cov.shape[0] == 1:
            return cov, 0.0
        shrinkage = oas_shrinkage(cov, stat.n)  # on X's dtype, as scikit-learn's
        return _shrunk(cov, shrinkage), shrinkage

