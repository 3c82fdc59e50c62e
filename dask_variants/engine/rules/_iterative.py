"""Iterative fits on every row: coordinate descent on the merged Gram (``Lasso``,
``ElasticNet``), and the driver of the fits that need a pass per iteration.

Coordinate descent needs the rows only through ``X^T X``, ``X^T y`` and ``y^T y`` of
the centred, weighted data (scikit-learn's ``precompute=True`` path), so one pass
suffices: the TSQR statistic of :mod:`._linear` gives ``R`` with ``R.T @ R`` the
centred weighted Gram of ``[X | y]``. The finish hands scikit-learn's own class the
surrogate rows ``c * R`` (``c = sqrt(n / sum(w))``, ``n`` the number of rows), whose
Gram, ``X^T y`` and ``y^T y`` are those scikit-learn's ``_pre_fit`` forms on the
concatenated data (where ``sample_weight`` is first rescaled to sum to ``n``), with
``alpha`` multiplied by ``n / m`` (``m`` the surrogate's rows: scikit-learn scales the
penalty by its number of rows). The coordinate descent then runs the same iterations
on the same numbers, so ``coef_``, ``n_iter_`` and any ``ConvergenceWarning`` are
those of ``precompute=True`` on the concatenated data, to rounding; ``dual_gap_``
(divided by the row count in scikit-learn) is rescaled by ``m / n``; the intercept is
set as scikit-learn sets it. ``selection='random'`` draws one feature index per
update from ``random_state``: the same draws as on the concatenated data.

Tolerance: equal to scikit-learn's ``precompute=True`` fit to rounding (rtol ~1e-10
on these problems); to its default (``precompute=False``) fit within ``tol`` (the
two solvers stop at the same duality gap, not at the same iterate).
"""
import logging

import numpy as np

from ._base import Rule
from ._linear import _LeastSquares

logger = logging.getLogger(__name__)

__all__ = []


class _Counted:
    """The TSQR statistic of a set of rows and their number."""

    def __init__(self, n, qr):
        self.n, self.qr = n, qr


class _GramDescent(_LeastSquares):
    """Coordinate descent on the merged Gram by scikit-learn's own ``precompute=True``."""

    def check(self, est, static, per_row):
        Rule.check(self, est, static, per_row)
        if est.warm_start:
            self.refuse(est, "warm_start", est.warm_start, [False],
                        "the exact fit works on a copy that starts from zero coefficients")
        pre = est.precompute
        if not (isinstance(pre, (bool, np.bool_)) or (isinstance(pre, str) and pre == "auto")):
            self.refuse(est, "precompute", "<array>", [True, False, "auto"],
                        "the exact fit computes the Gram matrix of every row itself")

    def leaf(self, template, static, k, x, y, params):
        return _Counted(x.shape[0], super().leaf(template, static, k, x, y, params))

    def merge(self, a, b):
        return _Counted(a.n + b.n, super().merge(a.qr, b.qr))

    def finish(self, est, stat, static):
        from ...blocks import _blocks

        qr, n = stat.qr, stat.n
        rx, ry = self.surrogate(qr)
        scale = np.sqrt(n / qr.w) if qr.w > 0 else 1.0
        rx, ry = rx * rx.dtype.type(scale), ry * rx.dtype.type(scale)
        m = rx.shape[0]
        cls = _blocks.in_memory_class(est)
        params = {p: getattr(est, p) for p in cls._get_param_names()}
        sk = cls(**{**params, "alpha": est.alpha * n / m, "precompute": True,
                    "fit_intercept": False, "warm_start": False, "copy_X": True})
        sk.fit(rx, ry)
        for name, value in vars(sk).items():
            if name.endswith("_") and not name.startswith("_"):
                setattr(est, name, value)
        est.dual_gap_ = sk.dual_gap_ * (m / n)
        x_offset, y_offset = self.offsets(qr)
        est._set_intercept(x_offset, y_offset, np.ones_like(x_offset))  # 1.6: required


class ElasticNetRule(_GramDescent):
    """``ElasticNet``: every parameter but ``warm_start=True`` and a Gram array."""


class LassoRule(_GramDescent):
    """``Lasso``: every parameter but ``warm_start=True`` and a Gram array."""
