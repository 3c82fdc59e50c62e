"""Least squares on every row: the R factor of the centred, weighted data, by TSQR.

The statistic (:mod:`._tsqr`) is ``(w, mean, R)`` of the rows of ``[X | Y]``: the sum of
their sample weights, the weighted mean of the columns, and the upper-triangular ``R``
of the QR factorisation of ``sqrt(w) * ([X | Y] - mean)``, merged exactly in a tree, so
``R.T @ R`` is the weighted, centred Gram matrix of all rows, never formed. Without an
intercept nothing is centred.

The finish hands ``R`` to scikit-learn's own solver: ``min ||sqrt(w)(X b - y)||`` and
``min ||R_xx b - R_xy||`` have the same solutions (``X = Q R``, ``Q`` orthonormal), the
same singular values and rank, and the same ridge normal equations, so
``LinearRegression(fit_intercept=False).fit(R_xx, R_xy)`` gives the coefficients,
``rank_`` and ``singular_`` of the fit on the concatenated data (the minimum-norm
solution where ``X`` is rank-deficient, as ``scipy.linalg.lstsq`` gives), to rounding;
the intercept is then ``mean_y - mean_x @ coef_``, as scikit-learn sets it.
"""
import numpy as np

from . import _tsqr
from ._base import OnePass, as_float, check_total_weight, weights

__all__ = []


_r = _tsqr.r_factor  # the name the rules built on this module import


class _QR:
    """The :class:`._tsqr.Moments` of a set of rows of ``[X | Y]``, and what the finish
    needs to know of them."""

    def __init__(self, w, mean, r, p, y_ndim, dtype, sparse):
        self.moments = _tsqr.Moments(w, mean, r)
        self.p, self.y_ndim, self.dtype, self.sparse = p, y_ndim, dtype, sparse

    @property
    def w(self):
        return self.moments.w

    @property
    def mean(self):
        return self.moments.mean

    @property
    def r(self):
        return self.moments.r


class _LeastSquares(OnePass):
    per_row = ("sample_weight",)
    static = ("sample_weight",)

    def leaf(self, template, static, k, x, y, params):
        import scipy.sparse

        sparse = scipy.sparse.issparse(x)
        x = as_float(x, dtype=[np.float64, np.float32], sparse=True)
        dtype = x.dtype
        x = x.toarray() if sparse else x
        y = np.asarray(y, dtype=np.float64)
        if y.ndim not in (1, 2) or y.shape[0] != x.shape[0]:
            raise ValueError(f"y must be 1-D or 2-D with X's {x.shape[0]} rows, got "
                             f"shape {y.shape!r}")
        z = np.hstack([x.astype(np.float64, copy=False), y.reshape(len(y), -1)])
        moments = _tsqr.of_rows(z, weights(x, params, static), centre=template.fit_intercept,
                                 overwrite=True)  # z is hstack's copy
        return _QR(moments.w, moments.mean, moments.r, x.shape[1], y.ndim, dtype, sparse)

    def merge(self, a, b):
        dtype = np.promote_types(a.dtype, b.dtype)
        m = _tsqr.merge(a.moments, b.moments)
        return _QR(m.w, m.mean, m.r, a.p, a.y_ndim, dtype, a.sparse or b.sparse)

    def surrogate(self, stat):
        """``(R_xx, R_xy)`` in X's dtype: a small problem with the same solution."""
        r = stat.r.astype(stat.dtype, copy=False)
        rx, ry = r[:, :stat.p], r[:, stat.p:]
        return rx, (ry[:, 0] if stat.y_ndim == 1 else ry)

    def offsets(self, stat):
        p = stat.p
        if stat.mean is None:
            return np.zeros(p, stat.dtype), np.zeros(stat.r.shape[1] - p, stat.dtype)
        mean = stat.mean.astype(stat.dtype)
        ym = mean[p:]
        return mean[:p], (ym[0] if stat.y_ndim == 1 else ym)

    def solver_class(self, est):
        """The scikit-learn class whose ``fit`` solves the surrogate (``est``'s own)."""
        from ...blocks import _blocks

        return _blocks.in_memory_class(est)

    def solve(self, est, stat, **overrides):
        """scikit-learn's own fit of :meth:`solver_class` on the surrogate problem."""
        check_total_weight(stat.w)
        cls = self.solver_class(est)
        params = {k: getattr(est, k) for k in cls._get_param_names()}
        sk = cls(**{**params, **overrides, "fit_intercept": False})
        sk.fit(*self.surrogate(stat))
        for name, value in vars(sk).items():
            if name.endswith("_") and not name.startswith("_"):
                setattr(est, name, value)
        x_offset, y_offset = self.offsets(stat)
        # X_scale of ones: scikit-learn < 1.7 requires the argument
        est._set_intercept(x_offset, y_offset, np.ones_like(x_offset))
        return est


class LinearRegressionRule(_LeastSquares):
    """``LinearRegression``: every parameter; ``rank_`` / ``singular_`` on dense X.

    On sparse blocks scikit-learn solves by ``lsqr`` to ``tol``; the exact fit gives the
    least-squares solution itself (which ``lsqr`` approaches), and, as scikit-learn on
    sparse X, sets no ``rank_`` / ``singular_``.
    """

    def finish(self, est, stat, static):
        self.solve(est, stat, copy_X=True)
        if stat.sparse:
            for name in ("rank_", "singular_"):
                est.__dict__.pop(name, None)


class RidgeRule(_LeastSquares):
    """``Ridge``: every ``alpha`` (one, or one per target), ``solver`` 'auto',
    'cholesky' or 'svd' (which solve the normal equations exactly), dense or sparse X.
    """

    _SOLVERS = ("auto", "cholesky", "svd")

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if est.positive:
            self.refuse(est, "positive", est.positive, [False],
                        "a positive fit iterates on the rows")
        if est.solver not in self._SOLVERS:
            self.refuse(est, "solver", est.solver, self._SOLVERS,
                        "the iterative solvers approximate the closed form the exact "
                        "fit computes")

    def finish(self, est, stat, static):
        self.solve(est, stat)  # 'auto' on the dense surrogate: cholesky
