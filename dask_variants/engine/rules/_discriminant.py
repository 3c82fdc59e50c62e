"""Discriminant analysis and nearest centroids on every row: per-class statistics.

A block's statistic is one statistic per class label it holds (:class:`ByClass`); two
merge by the union of their labels (sorted, as ``np.unique`` sorts the labels of the
concatenated ``y``), merging the statistics of a label both hold. So ``classes_`` are
the labels of every block, found in the same pass.

Per class, the rules keep what scikit-learn's ``fit`` computes from the class's rows:

* ``NearestCentroid`` and LDA's 'lsqr' / 'eigen' solvers: the merged centred moments of
  :mod:`._covariance` (count, mean, Gram, and for ``shrinkage='auto'`` or a
  Ledoit-Wolf ``covariance_estimator`` the fourth-order sums of the standardised
  rows' Ledoit-Wolf shrinkage);
* LDA's 'svd' solver and QDA: the class's first ``2 * n_features`` rows as they are
  (:class:`Rows`), and the R factor (TSQR, :mod:`._linear`) of the rest. scikit-learn
  takes the SVD of the centred (scaled) rows; LAPACK's ``gesdd`` on a matrix that tall
  first factors it by Householder QR, and Householder QR gives the same R for any two
  matrices with the same first ``n_features`` rows and the same Gram matrix (each
  reflector depends on those rows and on the Gram of the rest only). The surrogate
  ``[first rows; R of the rest; the mean-offset row]`` has both, so its R, and the
  SVD of that R, are scikit-learn's, signs included, to rounding. A class (for LDA:
  every class) of at most ``2 * n_features`` rows is held whole and decomposed as is.

Tolerance: every fitted attribute to rtol 1e-8 on float64 data (the SVD's and the
generalised eigenproblem's conditioning; rounding is ~1e-13 here), 1e-3 on float32.
The 'eigen' solvers' eigenvectors (LDA's ``scalings_``, QDA's ``rotations_``) are
scikit-learn's up to the sign of each: ``scipy.linalg.eigh`` flips a sign under a
perturbation of 1e-15 of its input, so no all-rows sum can promise it (scikit-learn's
own fit on the same rows in another order does not); LDA's eigenvectors of a repeated
(zero) eigenvalue are any basis of that eigenspace, as scikit-learn's are. Everything
computed from them (``coef_``, ``intercept_``, predictions) is sign-free and equal.
"""
import warnings

import numpy as np
import scipy.linalg

from ._base import OnePass, as_float
from ._covariance import Moments

__all__ = []


# --------------------------------------------------------------------------- labels


def labels(y):
    """A block's ``y`` as scikit-learn's validation takes it (1-D class labels)."""
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import column_or_1d

    y = column_or_1d(np.asarray(y), warn=True)
    check_classification_targets(y)
    return y


class ByClass:
    """One statistic per class label, labels sorted."""

    def __init__(self, classes, stats):
        self.classes, self.stats = classes, stats

    @classmethod
    def of(cls, x, y, make):
        classes, inv = np.unique(y, return_inverse=True)
        return cls(classes, [make(x[inv == i]) for i in range(len(classes))])

    def merged(self, other, merge):
        classes = np.union1d(self.classes, other.classes)
        a = dict(zip(self.classes, self.stats))
        b = dict(zip(other.classes, other.stats))
        stats = []
        for c in classes:
            sa, sb = a.get(c), b.get(c)
            stats.append(sb if sa is None else sa if sb is None else merge(sa, sb))
        return ByClass(classes, stats)


def _merge_moments(a, b):
    return a.merged(b)


def _total(moments):
    out = moments[0]
    for m in moments[1:]:
        out = out.merged(m)
    return out


# --------------------------------------------------------------------------- rows


class Rows:
    """A class's first ``head`` rows as they are, and the TSQR statistic of the rest."""

    def __init__(self, head, tail, limit, dtype):
        self.head, self.tail, self.limit, self.dtype = head, tail, limit, dtype

    @classmethod
    def of(cls, x, limit):
        dtype = x.dtype
        x = np.asarray(x, dtype=np.float64)
        return cls(x[:limit], _qr(x[limit:]), limit, dtype)

    def merged(self, other):
        room = self.limit - len(self.head)
        head = np.vstack([self.head, other.head[:room]])
        tail = _merge_qr(_merge_qr(self.tail, _qr(other.head[room:])), other.tail)
        return Rows(head, tail, self.limit, np.promote_types(self.dtype, other.dtype))

    @property
    def n(self):
        return len(self.head) + (0 if self.tail is None else int(self.tail.w))

    @property
    def mean(self):
        total = self.head.sum(axis=0)
        if self.tail is not None:
            total = total + self.tail.w * self.tail.mean
        return total / self.n

    def centred(self, mean, scale=1.0):
        """``(head rows, rest)``: the head centred at ``mean`` and a matrix with the
        Gram of the other rows centred at ``mean`` (or ``None``), times ``scale``."""
        head = (self.head - mean) * scale
        if self.tail is None:
            return head, None
        t = self.tail
        rest = np.vstack([t.r, np.sqrt(t.w) * (t.mean - mean)[None, :]]) * scale
        return head, rest

    def gram(self, mean):
        head, rest = self.centred(mean)
        g = head.T @ head
        return g if rest is None else g + rest.T @ rest


def _qr(rows):
    from ._linear import _QR, _r

    if not len(rows):
        return None
    mean = rows.mean(axis=0)
    return _QR(float(len(rows)), mean, _r(rows - mean), rows.shape[1], None,
               np.float64, False)


def _merge_qr(a, b):
    from ._linear import _LeastSquares

    if a is None or b is None:
        return b if a is None else a
    return _LeastSquares().merge(a, b)


def svd_of_rows(parts, svd):
    """``(S, Vt)`` of the rows ``parts`` stand for: ``(head, rest)`` pairs in row order,
    as ``svd`` (scipy's or numpy's ``gesdd``) gives them on the concatenated rows."""
    heads = [h for h, _ in parts]
    rests = [r for _, r in parts if r is not None]
    if not rests:  # every row is here: scikit-learn's own call
        _, s, vt = svd(np.vstack(heads), full_matrices=False)
        return s, vt
    z = np.vstack(heads + rests)
    p = z.shape[1]
    r = scipy.linalg.qr(z, mode="r", check_finite=False)[0][:p]
    _, s, vt = svd(r, full_matrices=False)
    return s, vt


# --------------------------------------------------------------------------- covariances


def _cov_rule(ce):
    """The exact covariance rule of ``covariance_estimator`` ``ce``, or ``None``."""
    from ...blocks import _blocks
    from . import rule_for
    from ._covariance import _Covariance

    found = rule_for(_blocks.in_memory_class(ce))
    return found if isinstance(found, _Covariance) else None


def class_cov(m, shrinkage, ce):
    """scikit-learn's ``_cov`` of a class's rows from their moments ``m``."""
    from sklearn.base import clone
    from sklearn.covariance import shrunk_covariance

    if ce is not None:
        est = clone(ce)
        if est.assume_centered:
            m = Moments(m.n, np.zeros_like(m.mean), *m.shifted(np.zeros_like(m.mean)),
                        dtype=m.dtype)
        cov, _ = _cov_rule(ce).estimate(est, m)
        return cov
    emp = m.covariance()
    if shrinkage is None:
        return emp
    if isinstance(shrinkage, str):  # 'auto': Ledoit-Wolf on the standardised rows
        scale = np.sqrt(np.diag(m.c11) / m.n)
        scale[scale == 0.0] = 1.0
        s = m.ledoit_wolf_shrinkage(scale)
        standard = emp / np.outer(scale, scale)
        p = standard.shape[0]
        shrunk = (1.0 - s) * standard
        shrunk.flat[::p + 1] += s * np.trace(standard) / p
        return scale[:, None] * shrunk * scale[None, :]
    return shrunk_covariance(emp, shrinkage)


def _needs_fourth(shrinkage, ce):
    if ce is not None:
        return _cov_rule(ce).fourth
    return isinstance(shrinkage, str)


def _sklearn_at_least(version):
    import sklearn
    from sklearn.utils.fixes import parse_version

    return parse_version(sklearn.__version__).release >= parse_version(version).release


# --------------------------------------------------------------------------- rules


class _ByClassRule(OnePass):
    def stat(self, template, x):
        """One class's statistic of its rows ``x`` (a float array)."""
        raise NotImplementedError

    def leaf(self, template, static, k, x, y, params):
        x = self.block(x)
        if y is None:
            raise ValueError(f"{type(template).__name__}.fit needs y, got None")
        y = labels(y)
        return ByClass.of(x, y, lambda rows: self.stat(template, rows))

    def block(self, x):
        return as_float(x, dtype=[np.float64, np.float32])

    def merge(self, a, b):
        return a.merged(b, lambda u, v: u.merged(v))


def _priors(classes, counts, n, priors, dtype):
    """``priors_`` as LinearDiscriminantAnalysis sets them (checked, renormalised)."""
    if priors is None:
        out = np.asarray(counts).astype(dtype) / float(n)
    else:
        out = np.asarray(priors, dtype=dtype)
    if np.any(out < 0):
        raise ValueError("priors must be non-negative")
    if np.abs(np.sum(out) - 1.0) > 1e-5:
        warnings.warn("The priors do not sum to 1. Renormalizing", UserWarning)
        out = out / out.sum()
    return out


class _Discriminant(_ByClassRule):
    """LDA and QDA: each class's rows for the SVD solver, its moments for the others."""

    def stat(self, template, x):
        if getattr(template, "solver", "svd") == "svd":  # QDA < 1.9: svd only
            return Rows.of(x, 2 * x.shape[1])
        return Moments.of(x, fourth=_needs_fourth(template.shrinkage,
                                                  template.covariance_estimator))

    def refuse_estimator(self, est, ce):
        """Refuse a ``covariance_estimator`` with no exact covariance rule."""
        if _cov_rule(ce) is None:
            self.refuse(est, "covariance_estimator", ce,
                        ["EmpiricalCovariance()", "ShrunkCovariance()", "LedoitWolf()",
                         "OAS()", None],
                        "only a covariance estimator with an exact rule is computed "
                        "from the merged class statistics")


class LinearDiscriminantAnalysisRule(_Discriminant):
    """``LinearDiscriminantAnalysis``: solvers 'svd', 'lsqr', 'eigen'; ``shrinkage``
    None, 'auto' or a float; ``priors``, ``n_components``, ``store_covariance``,
    ``tol``; ``covariance_estimator`` one of the covariance estimators of the exact
    namespace (EmpiricalCovariance, ShrunkCovariance, LedoitWolf, OAS)."""

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        ce = est.covariance_estimator
        if est.solver == "svd" and est.shrinkage is not None:
            raise NotImplementedError("shrinkage not supported with 'svd' solver.")
        if ce is not None:
            if est.solver == "svd":
                raise ValueError("covariance estimator is not supported with svd "
                                 "solver. Try another solver")
            if est.shrinkage is not None and est.shrinkage != 0:
                raise ValueError("covariance_estimator and shrinkage parameters are "
                                 "not None. Only one of the two can be set.")
            self.refuse_estimator(est, ce)

    def finish(self, est, stat, static):
        classes, stats = stat.classes, stat.stats
        counts = [s.n for s in stats]
        n, k = sum(counts), len(classes)
        p = len(stats[0].mean)
        dtype = np.result_type(*[s.dtype for s in stats])
        if n < 2:
            raise ValueError(f"Found array with {n} sample(s) while a minimum of 2 is "
                             f"required by {type(est).__name__}.")
        from sklearn.utils.multiclass import unique_labels

        est.classes_ = unique_labels(classes)  # as on y: sorted, a str array for str
        if n == k:
            raise ValueError("The number of samples must be more than the number of "
                             "classes.")
        est.priors_ = _priors(classes, counts, n, est.priors, dtype)
        max_components = min(k - 1, p)
        if est.n_components is None:
            est._max_components = max_components
        else:
            if est.n_components > max_components:
                raise ValueError("n_components cannot be larger than min(n_features, "
                                 "n_classes - 1).")
            est._max_components = est.n_components
        est.means_ = np.array([s.mean for s in stats]).astype(dtype)
        if est.solver == "svd":
            self._svd(est, stats, n, k, dtype)
        else:
            self._scatter(est, stats, dtype)
        if k == 2:
            est.coef_ = np.asarray(est.coef_[1, :] - est.coef_[0, :],
                                   dtype=dtype).reshape(1, -1)
            est.intercept_ = np.asarray(est.intercept_[1] - est.intercept_[0],
                                        dtype=dtype).reshape(1)
        est._n_features_out = est._max_components

    def _svd(self, est, stats, n, k, dtype):
        means = [s.mean for s in stats]
        if est.store_covariance:
            cov = np.zeros((len(means[0]),) * 2)
            for prior, s, m in zip(est.priors_, stats, means):
                cov += prior * (s.gram(m) / s.n)
            est.covariance_ = cov
        est.xbar_ = est.priors_ @ est.means_
        within = sum(s.gram(m) for s, m in zip(stats, means))
        std = np.sqrt(np.diag(within) / n).astype(dtype)
        std[std == 0] = 1.0
        # scikit-learn >= 1.9 scales by 1 / n_samples, before by 1 / (n - n_classes)
        fac = 1.0 / n if _sklearn_at_least("1.9") else 1.0 / (n - k)
        fac = np.asarray(fac, dtype=dtype)
        scale = np.sqrt(fac) / std.astype(np.float64)
        parts = [s.centred(m, scale) for s, m in zip(stats, means)]
        s_, vt = svd_of_rows(parts, scipy.linalg.svd)
        s_, vt = s_.astype(dtype), vt.astype(dtype)
        rank = np.sum((s_ > est.tol).astype(np.int32))
        scalings = (vt[:rank, :] / std).T / s_[:rank]
        fac = 1.0 if k == 1 else 1.0 / (k - 1)
        x = ((np.sqrt((n * est.priors_) * fac)) * (est.means_ - est.xbar_).T).T @ scalings
        _, s_, vt = scipy.linalg.svd(x, full_matrices=False)
        if est._max_components == 0:
            est.explained_variance_ratio_ = np.empty((0,), dtype=s_.dtype)
        else:
            est.explained_variance_ratio_ = (s_ ** 2 / np.sum(s_ ** 2))[
                :est._max_components]
        rank = np.sum((s_ > est.tol * s_[0]).astype(np.int32))
        est.scalings_ = scalings @ vt.T[:, :rank]
        coef = (est.means_ - est.xbar_) @ est.scalings_
        est.intercept_ = -0.5 * np.sum(coef ** 2, axis=1) + np.log(est.priors_)
        est.coef_ = coef @ est.scalings_.T
        est.intercept_ -= est.xbar_ @ est.coef_.T

    def _scatter(self, est, stats, dtype):
        shrinkage, ce = est.shrinkage, est.covariance_estimator
        cov = np.zeros((len(stats[0].mean),) * 2)
        for prior, m in zip(est.priors_, stats):
            cov += prior * np.atleast_2d(class_cov(m, shrinkage, ce))
        est.covariance_ = cov
        if est.solver == "lsqr":
            est.coef_ = scipy.linalg.lstsq(est.covariance_, est.means_.T)[0].T
        else:
            total = class_cov(_total(stats), shrinkage, ce)
            evals, evecs = scipy.linalg.eigh(total - cov, cov)
            est.explained_variance_ratio_ = np.sort(evals / np.sum(evals))[::-1][
                :est._max_components]
            evecs = evecs[:, np.argsort(evals)[::-1]]
            est.scalings_ = evecs
            est.coef_ = np.dot(est.means_, evecs).dot(evecs.T)
        est.intercept_ = (-0.5 * np.diag(np.dot(est.means_, est.coef_.T))
                          + np.log(est.priors_))


class QuadraticDiscriminantAnalysisRule(_Discriminant):
    """``QuadraticDiscriminantAnalysis``: every parameter (``reg_param``, ``priors``,
    ``store_covariance``, ``tol``; from scikit-learn 1.9 ``solver`` 'svd' / 'eigen',
    ``shrinkage``, and a ``covariance_estimator`` of the exact namespace)."""

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        solver = getattr(est, "solver", "svd")
        shrinkage = getattr(est, "shrinkage", None)
        ce = getattr(est, "covariance_estimator", None)
        if solver == "svd" and shrinkage is not None:
            raise NotImplementedError("shrinkage not supported with 'svd' solver.")
        if ce is not None:
            if solver == "svd":
                raise ValueError("covariance_estimator is not supported with "
                                 "solver='svd'. Try solver='eigen' instead.")
            self.refuse_estimator(est, ce)

    def finish(self, est, stat, static):
        classes, stats = stat.classes, stat.stats
        k, n = len(classes), sum(s.n for s in stats)
        p = len(stats[0].mean)
        if k < 2:
            raise ValueError("The number of classes has to be greater than one. Got "
                             f"{k} class.")
        est.classes_ = classes
        if est.priors is None:
            est.priors_ = np.asarray([s.n for s in stats]) / float(n)
        else:
            est.priors_ = np.array(est.priors)
        recent = _sklearn_at_least("1.9")
        svd = getattr(est, "solver", "svd") == "svd"
        means, cov, scalings, rotations = [], [], [], []
        for label, s in zip(classes, stats):
            if s.n == 1:
                raise ValueError("y has only 1 sample in class %s, covariance is ill "
                                 "defined." % str(label))
            mean = s.mean
            means.append(mean.astype(s.dtype))
            if svd:
                sv, vt = svd_of_rows([s.centred(mean)], np.linalg.svd)
                sv, vt = sv.astype(s.dtype), vt.astype(s.dtype)
                scaling = sv ** 2 / (s.n if recent else s.n - 1)
                scaling = ((1 - est.reg_param) * scaling) + est.reg_param
                rotation = vt.T
                c = scaling * vt.T @ vt if est.store_covariance else None
            else:
                c = class_cov(s, est.shrinkage, est.covariance_estimator)
                scaling, rotation = scipy.linalg.eigh(c)
                order = np.argsort(scaling)[::-1]
                rotation, scaling = rotation[:, order], scaling[order]
            self._rank(est, label, np.sum(scaling > est.tol), s.n, p, svd, recent)
            cov.append(c)
            scalings.append(scaling)
            rotations.append(rotation)
        if est.store_covariance:
            est.covariance_ = cov
        est.means_ = np.asarray(means)
        est.scalings_ = scalings
        est.rotations_ = rotations

    def _rank(self, est, label, rank, n_class, p, svd, recent):
        """scikit-learn's answer to a class covariance of rank < n_features."""
        if rank >= p:
            return
        if not recent:
            warnings.warn(f"The covariance matrix of class {label} is not full rank. "
                          "Increasing the value of parameter `reg_param` might help"
                          " reducing the collinearity.", scipy.linalg.LinAlgWarning)
            return
        if svd and n_class <= p:
            raise np.linalg.LinAlgError(
                f"The covariance matrix of class {label} is not full rank. When using "
                "`solver='svd'` the number of samples in each class should be more "
                f"than the number of features, but class {label} has {n_class} "
                f"samples and {p} features. Try using `solver='eigen'` and setting the "
                "parameter `shrinkage` for regularization.")
        param = "reg_param" if svd else "shrinkage"
        raise np.linalg.LinAlgError(
            f"The covariance matrix of class {label} is not full rank. Increase the "
            f"value of `{param}` to reduce the collinearity.")


class NearestCentroidRule(_ByClassRule):
    """``NearestCentroid``: ``metric='euclidean'``, ``shrink_threshold``, ``priors``;
    dense or sparse blocks (a sparse block is densified one class at a time).
    ``metric='manhattan'`` (per-class medians) is refused."""

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if est.metric != "euclidean":
            self.refuse(est, "metric", est.metric, ["euclidean"],
                        "the manhattan centroids are per-class medians, which one "
                        "pass of mergeable statistics does not give exactly")

    def block(self, x):
        return as_float(x, sparse=True)

    def leaf(self, template, static, k, x, y, params):
        import scipy.sparse

        x = self.block(x)
        y = labels(y)
        classes, inv = np.unique(y, return_inverse=True)
        stats = []
        for i in range(len(classes)):
            rows = x[np.flatnonzero(inv == i)]
            rows = rows.toarray() if scipy.sparse.issparse(rows) else rows
            stats.append(Moments.of(rows, diagonal=True))
        lo = np.asarray(x.min(axis=0).todense() if scipy.sparse.issparse(x)
                        else x.min(axis=0)).ravel()
        hi = np.asarray(x.max(axis=0).todense() if scipy.sparse.issparse(x)
                        else x.max(axis=0)).ravel()
        return ByClass(classes, stats), lo, hi

    def merge(self, a, b):
        return (a[0].merged(b[0], _merge_moments), np.minimum(a[1], b[1]),
                np.maximum(a[2], b[2]))

    def finish(self, est, stat, static):
        by_class, lo, hi = stat
        classes, stats = by_class.classes, by_class.stats
        k = len(classes)
        if k < 2:
            raise ValueError("The number of classes has to be greater than one; got "
                             "%d class" % k)
        nk = np.array([s.n for s in stats], dtype=np.float64)
        n = int(nk.sum())
        est.classes_ = classes
        if est.priors == "empirical":
            est.class_prior_ = nk.astype(np.int64) / float(n)
        elif est.priors == "uniform":
            est.class_prior_ = np.asarray([1 / k] * k)
        else:
            est.class_prior_ = np.asarray(est.priors)
        if (est.class_prior_ < 0).any():
            raise ValueError("priors must be non-negative")
        if not np.isclose(est.class_prior_.sum(), 1.0):
            warnings.warn("The priors do not sum to 1. Normalizing such that it sums "
                          "to one.", UserWarning)
            est.class_prior_ = est.class_prior_ / est.class_prior_.sum()
        est.centroids_ = np.array([s.mean for s in stats], dtype=np.float64)
        within = sum(s.c11 for s in stats)
        est.within_class_std_dev_ = np.sqrt(within / (n - k))
        if any(est.within_class_std_dev_ == 0):
            warnings.warn(
                "self.within_class_std_dev_ has at least 1 zero standard deviation."
                "Inputs within the same classes for at least 1 feature are identical."
            )
        if np.all(hi - lo == 0):
            raise ValueError("All features have zero variance. Division by zero.")
        dataset_centroid_ = _total(stats).mean
        m = np.sqrt((1.0 / nk) - (1.0 / n))
        s = est.within_class_std_dev_ + np.median(est.within_class_std_dev_)
        ms = m.reshape(len(m), 1) * s
        est.deviations_ = np.array((est.centroids_ - dataset_centroid_) / ms)
        if est.shrink_threshold:
            signs = np.sign(est.deviations_)
            est.deviations_ = np.abs(est.deviations_) - est.shrink_threshold
            np.clip(est.deviations_, 0, None, out=est.deviations_)
            est.deviations_ *= signs
            est.centroids_ = np.array(dataset_centroid_ + ms * est.deviations_)
