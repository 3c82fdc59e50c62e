"""``RidgeClassifier`` on every row: the ridge least squares of :mod:`._linear` on the
labels' ``{-1, 1}`` columns, with the class columns aligned in the merge.

scikit-learn encodes ``y`` with ``LabelBinarizer(pos_label=1, neg_label=-1)`` (one
column per class, or one for two classes), weights each row by ``sample_weight`` times
its class's ``class_weight`` (``'balanced'``: ``n / (n_classes * count)``) and fits
``Ridge`` on that. The columns are not known until every block's labels are, and the
balanced weights need every class's count, so a block's statistic is per class label
(:class:`._discriminant.ByClass`): the row count and the TSQR statistic
``(w, mean, R)`` of the class's centred, ``sample_weight``-weighted rows of X. The
finish scales each class's statistic by its class weight (``w c``, ``R sqrt(c)``: the
statistic of the same rows with weights times ``c``), appends the class's label row
(constant within a class, so its centred columns are zero and only the means carry
it), and merges the classes with :mod:`._linear`'s merge: the statistic of
``[X | Y]`` over every row. scikit-learn's own ``Ridge`` then solves the small
surrogate problem, as for ``exact.Ridge``.

Tolerance: ``coef_`` and ``intercept_`` to rtol 1e-9, as ``exact.Ridge``.
"""
from types import SimpleNamespace

import numpy as np

from ._base import as_float, check_total_weight, weights
from ._discriminant import ByClass, labels
from ._linear import _QR, RidgeRule, _LeastSquares, _r

__all__ = []


class _Class:
    """A class's row count and the TSQR statistic of its (weighted, centred) rows."""

    def __init__(self, count, qr):
        self.count, self.qr = count, qr


def _merge_class(a, b):
    return _Class(a.count + b.count, _LeastSquares().merge(a.qr, b.qr))


class RidgeClassifierRule(RidgeRule):
    """``RidgeClassifier``: every ``alpha``, ``fit_intercept``, ``class_weight`` (a
    dict or 'balanced'), ``sample_weight``, solvers 'auto' / 'cholesky' / 'svd';
    iterative solvers, ``positive=True`` and multilabel ``y`` are refused."""

    def leaf(self, template, static, k, x, y, params):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            raise ValueError(
                f"dask_variants.exact.RidgeClassifier fits 1-D class labels, got y of "
                f"shape {y.shape!r} (multilabel). Use dask_variants.iid.RidgeClassifier "
                "for a multilabel y.")
        y = labels(y)
        x = as_float(x, dtype=[np.float64, np.float32], sparse=True)
        centred = SimpleNamespace(fit_intercept=True)  # per class, always centred
        sw = weights(x, params, static)
        classes, inv = np.unique(y, return_inverse=True)
        stats = []
        for i in range(len(classes)):
            rows = np.flatnonzero(inv == i)
            sub = {} if sw is None else {"sample_weight": sw[rows]}
            qr = _LeastSquares.leaf(self, centred, {}, k, x[rows],
                                    np.zeros((len(rows), 0)), sub)
            stats.append(_Class(len(rows), qr))
        return ByClass(classes, stats)

    def merge(self, a, b):
        return a.merged(b, _merge_class)

    def finish(self, est, stat, static):
        from sklearn.preprocessing import LabelBinarizer

        classes, stats = stat.classes, stat.stats
        check_total_weight(sum(s.qr.w for s in stats))
        binarizer = LabelBinarizer(pos_label=1, neg_label=-1).fit(classes)
        est._label_binarizer = binarizer
        if not isinstance(getattr(type(est), "classes_", None), property):
            est.classes_ = binarizer.classes_  # scikit-learn < 1.7: a property
        codes = binarizer.transform(classes).astype(np.float64)
        factors = self._class_weights(est, classes, [s.count for s in stats])
        total = None
        for c, code, factor in zip(stats, codes, factors):
            qr = _with_labels(c.qr, code, factor, est.fit_intercept)
            total = qr if total is None else _LeastSquares().merge(total, qr)
        self.solve(est, total)

    def solver_class(self, est):
        from sklearn.linear_model import Ridge

        return Ridge

    def _class_weights(self, est, classes, counts):
        """Each class's factor of its rows' weights, as ``compute_sample_weight``."""
        cw = est.class_weight
        if not cw:
            return np.ones(len(classes))
        if isinstance(cw, str):  # 'balanced' (scikit-learn validates the value)
            counts = np.asarray(counts, dtype=np.float64)
            return counts.sum() / (len(classes) * counts)
        from sklearn.utils.class_weight import compute_class_weight

        return compute_class_weight(cw, classes=classes, y=classes)


def _with_labels(qr, code, factor, intercept):
    """A class's statistic with weights times ``factor`` and its label columns."""
    w = qr.w * factor
    r = np.hstack([qr.r * np.sqrt(factor), np.zeros((qr.r.shape[0], len(code)))])
    mean = np.concatenate([qr.mean, code])
    if intercept:
        return _QR(w, mean, r, qr.p, 2, qr.dtype, qr.sparse)
    # about zero: the centred Gram plus w * mean mean^T, in square-root form
    raw = _r(np.vstack([r, np.sqrt(w) * mean[None, :]]))
    return _QR(w, None, raw, qr.p, 2, qr.dtype, qr.sparse)
