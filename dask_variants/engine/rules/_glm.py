"""Generalized linear models on every row: scikit-learn's own optimizers, one pass per
evaluation of its own objective.

``LogisticRegression`` (``solver='lbfgs'`` or ``'newton-cholesky'``) and
``PoissonRegressor`` / ``GammaRegressor`` / ``TweedieRegressor`` minimise
scikit-learn's ``LinearModelLoss`` (the mean pointwise loss, weighted, plus
``l2_reg_strength / 2 * ||w||^2``). That objective, its gradient and its Hessian are sums
over the rows divided by the sum of the weights, so each evaluation is one pass of the
reduction engine: every block computes the weighted sums of its rows' loss, gradient
(and Hessian) with scikit-learn's own ``base_loss``, the sums are merged in a tree, and
the client divides and adds the penalty.

The optimizers are scikit-learn's own, run on the client between passes:

* ``lbfgs``: ``scipy.optimize.minimize(method='L-BFGS-B')`` with the options
  scikit-learn passes (``maxiter=max_iter``, ``gtol=tol``, ``maxls=50``,
  ``ftol=64 * eps``), from the start scikit-learn uses, its result checked by
  scikit-learn's ``_check_optimize_result`` (so ``n_iter_`` and the
  ``ConvergenceWarning`` are scikit-learn's);
* ``newton-cholesky``: scikit-learn's ``NewtonCholeskySolver`` itself, given
  :class:`_PassLoss` (a ``LinearModelLoss`` whose evaluations are passes) and a stand-in
  for ``X``. The solver keeps the raw prediction ``X @ coef`` of the current iterate and
  of the Newton step and combines them linearly in its line search; the stand-in's raw
  prediction is the coefficient vector it is linear in (:class:`_Raw`), so each
  combination is evaluated by a pass at the combined coefficients.

A first pass reads what scikit-learn reads from the whole ``y`` before optimizing: the
classes and their (weighted) counts (``classes_``, ``class_weight='balanced'``, the sum
of the weights that scales the penalty) or, for the GLMs, the weighted mean of ``y``
(the intercept's start) and whether every ``y`` is in the loss's range.

Tolerance: ``newton-cholesky`` gives scikit-learn's iterates to rounding (rtol ~1e-10
here); ``lbfgs`` follows the same iterates until rounding differences are amplified by
the line search, so coefficients agree to ~1e-6 relative when ``tol`` is tight enough
for the minimum to be reached (the tests use ``tol=1e-10``), and within ``tol`` of the
gradient at scikit-learn's default ``tol``.

dtypes: X of float32 blocks is kept float32, and ``y``, ``sample_weight`` (times the
class weights) are cast to the dtype scikit-learn's ``fit`` casts them to, so the
optimizers run in the precision scikit-learn's run in and the fitted attributes have
its dtypes (:func:`_dtypes`: which depends on the release). A float32 ``newton-cholesky``
fit is then scikit-learn's to float32 rounding (rtol ~1e-6 on the tests' problems: the
block sums are added in another order); float32 ``lbfgs`` (float64 iterates, float32
losses and gradients, as scikit-learn's) agrees within ~1e-3 relative: float32 losses
stop both fits about ``sqrt(eps)`` from the minimum, at points the summation order
decides. For the same reason a float32 Newton fit at its noise floor may fall back to
lbfgs (a ``ConvergenceWarning``; float64 coefficients before scikit-learn 1.9) where
scikit-learn's does not, or the reverse.
"""
import functools

import numpy as np

from ._base import Rule, as_float, check_total_weight, one_blas_thread, weights

__all__ = []

#: the dtypes scikit-learn's linear models fit X in, the first one preferred
_FLOATS = [np.float64, np.float32]


def _sklearn_at_least(major, minor):
    import sklearn

    return tuple(int(v) for v in sklearn.__version__.split(".")[:2]) >= (major, minor)


def _dtypes(est, x_dtype, y_dtype=None):
    """``(loss dtype, cast, zero)`` of scikit-learn's fit of ``est`` on X of ``x_dtype``
    (and, for the GLMs, ``y`` of ``y_dtype``).

    The loss dtype is the one ``y``, the weights and the solver's start are cast to
    (``newton-cholesky`` iterates in it, ``lbfgs`` in scipy's float64); ``cast`` the
    dtype the solution is cast to (``None``: kept as the solver returns it); ``zero``
    the dtype of ``LogisticRegression(fit_intercept=False)``'s zero intercept (``None``:
    the coefficients'). What scikit-learn keeps of float32 X changed: from 1.9 on the
    GLMs' loss dtype is X's (before, float32 only when X and ``y`` both are) and the
    solution is cast to X's dtype (``LogisticRegression``: every solver's; the GLMs:
    ``lbfgs``'s; before, ``lbfgs`` gave float64); from 1.8 on the zero intercept is of
    the coefficients' dtype (float64 before).
    """
    x_dtype = np.dtype(x_dtype)
    new = _sklearn_at_least(1, 9)
    if y_dtype is None or new:
        loss = x_dtype
    else:  # < 1.9: min(max(y.dtype, X.dtype), float64), float64 where that is no float
        loss = np.dtype(np.float32) if np.dtype(y_dtype) == x_dtype == np.float32 \
            else np.dtype(np.float64)
    cast = x_dtype if new and (y_dtype is None or est.solver == "lbfgs") else None
    zero = None if _sklearn_at_least(1, 8) else np.dtype(np.float64)
    return loss, cast, zero


# ------------------------------------------------------------------ the pass objective


class _Rows:
    """Stands in for ``X`` in scikit-learn's solvers: its losses are passes."""

    def __init__(self, run, n_features, dtype):
        self.run = run  # run(kind, coef) -> _Sums of every row
        self.shape = (0, n_features)
        self.dtype = np.dtype(dtype)  # X's: the Newton solver's line search reads it


class _Raw:
    """The raw prediction ``X @ w + b`` of the stand-in rows, as the ``coef`` it is of.

    Linear in ``coef``, so the solver's ``raw + t * raw_newton`` is the raw prediction
    of ``coef + t * coef_newton``.
    """

    def __init__(self, coef):
        self.coef = np.array(coef)  # a copy (solvers edit in place) of coef's dtype

    def __add__(self, other):
        return _Raw(self.coef + other.coef)

    def __mul__(self, t):
        return _Raw(self.coef * t)

    __rmul__ = __mul__


class _Sums:
    """Weighted sums over a set of rows of the loss, gradient, Hessian."""

    def __init__(self, sw, loss, grad=None, hess=None, nonpos=0.0):
        self.sw, self.loss, self.grad, self.hess, self.nonpos = sw, loss, grad, hess, nonpos

    def __add__(self, other):
        def add(a, b):
            return None if a is None else a + b

        return _Sums(self.sw + other.sw, self.loss + other.loss, add(self.grad, other.grad),
                     add(self.hess, other.hess), self.nonpos + other.nonpos)


def _merge(a, b):
    return a + b


def _block_sums(kind, linear_loss, coef, prepare, k, x, y, params):
    """The weighted sums of block ``k``'s loss (``kind`` 'loss'), and gradient
    ('gradient') and Hessian ('hessian'), at ``coef``, by scikit-learn's ``base_loss``.

    On one BLAS thread: blocks run in parallel already, and BLAS threads on top of the
    scheduler's made a block's Hessian up to 50 times slower on a busy 2-core machine.
    """
    with one_blas_thread():
        return _sums_of(kind, linear_loss, coef, prepare, x, y, params)


def _sums_of(kind, linear_loss, coef, prepare, x, y, params):
    x, target, sw = prepare(x, y, params)
    base = linear_loss.base_loss
    n, p = x.shape
    swt = float(n) if sw is None else float(np.sum(sw))
    _, _, raw = linear_loss.weight_intercept_raw(coef, x)
    if kind == "loss":
        loss = base.loss(y_true=target, raw_prediction=raw, sample_weight=sw)
        return _Sums(swt, float(np.sum(loss)))
    if kind == "gradient" or base.is_multiclass:
        loss, g = base.loss_gradient(y_true=target, raw_prediction=raw, sample_weight=sw)
        loss = float(np.sum(loss))
        if not base.is_multiclass:
            grad = np.concatenate([x.T @ g, [g.sum()]]) if linear_loss.fit_intercept \
                else x.T @ g
        else:
            gx = g.T @ x
            grad = np.hstack([gx, g.sum(axis=0)[:, None]]) if linear_loss.fit_intercept \
                else gx
            grad = grad.ravel(order="F") if coef.ndim == 1 else grad
        if kind == "gradient":
            return _Sums(swt, loss, grad)
        # multinomial Hessian: scikit-learn's own (the mean of the block's rows)
        hess = np.zeros((coef.size, coef.size))
        if swt > 0:
            linear_loss.gradient_hessian(coef, x, target, sw, 0.0, hessian_out=hess,
                                         raw_prediction=raw)
            hess *= swt
        return _Sums(swt, loss, grad, hess)
    g, h = base.gradient_hessian(y_true=target, raw_prediction=raw, sample_weight=sw)
    nonpos = float(np.sum(h <= 0) if sw is None else np.sum(sw * (h <= 0)))
    h = np.abs(h)
    xh = x.T @ h
    from ..._sklearn_compat import sandwich_dot

    hxx = sandwich_dot(x, h)  # X.T @ diag(h) @ X, dense or sparse
    if linear_loss.fit_intercept:
        grad = np.concatenate([x.T @ g, [g.sum()]])
        hess = np.empty((p + 1, p + 1))
        hess[:p, :p], hess[:p, p], hess[p, :p], hess[p, p] = hxx, xh, xh, h.sum()
    else:
        grad, hess = x.T @ g, hxx
    return _Sums(swt, 0.0, grad, hess, nonpos)


def _pass_loss_class():
    from ..._sklearn_compat import LinearModelLoss

    class _PassLoss(LinearModelLoss):
        """scikit-learn's ``LinearModelLoss`` whose evaluations on :class:`_Rows` are
        passes over every row: the sums of the blocks, divided by the sum of the
        weights, plus the penalty (as ``LinearModelLoss`` adds it)."""

        def weight_intercept_raw(self, coef, X):
            if not isinstance(X, _Rows):
                return super().weight_intercept_raw(coef, X)
            w, b = self.weight_intercept(coef)
            return w, b, _Raw(coef)

        def _at(self, coef, raw):
            return coef if raw is None else raw.coef.reshape(coef.shape, order="F")

        def loss(self, coef, X, y, sample_weight=None, l2_reg_strength=0.0, n_threads=1,
                 raw_prediction=None):
            if not isinstance(X, _Rows):
                return super().loss(coef, X, y, sample_weight, l2_reg_strength, n_threads,
                                    raw_prediction)
            s = X.run("loss", self._at(coef, raw_prediction))
            w, _ = self.weight_intercept(coef)
            # of coef's dtype, as scikit-learn's: the Newton solver compares losses
            return coef.dtype.type(s.loss / s.sw + self.l2_penalty(w, l2_reg_strength))

        def _penalised_grad(self, coef, grad, l2):
            w, _ = self.weight_intercept(coef)
            p = w.shape[-1]
            if not self.base_loss.is_multiclass:
                grad[:p] += l2 * w
                return grad
            k = self.base_loss.n_classes
            g2 = grad.reshape((k, -1), order="F").copy(order="F")
            g2[:, :p] += l2 * w
            return g2.ravel(order="F") if coef.ndim == 1 else g2

        def loss_gradient(self, coef, X, y, sample_weight=None, l2_reg_strength=0.0,
                          n_threads=1, raw_prediction=None):
            if not isinstance(X, _Rows):
                return super().loss_gradient(coef, X, y, sample_weight, l2_reg_strength,
                                             n_threads, raw_prediction)
            s = X.run("gradient", self._at(coef, raw_prediction))
            w, _ = self.weight_intercept(coef)
            loss = coef.dtype.type(s.loss / s.sw + self.l2_penalty(w, l2_reg_strength))
            grad = (s.grad / s.sw).astype(coef.dtype, copy=False)
            return loss, self._penalised_grad(coef, grad, l2_reg_strength)

        def gradient_hessian(self, coef, X, y, sample_weight=None, l2_reg_strength=0.0,
                             n_threads=1, gradient_out=None, hessian_out=None,
                             raw_prediction=None):
            if not isinstance(X, _Rows):
                return super().gradient_hessian(coef, X, y, sample_weight, l2_reg_strength,
                                                n_threads, gradient_out, hessian_out,
                                                raw_prediction)
            s = X.run("hessian", self._at(coef, raw_prediction))
            grad = self._penalised_grad(coef, s.grad / s.sw, l2_reg_strength)
            gout = np.empty_like(coef) if gradient_out is None else gradient_out
            hout = np.empty((coef.size,) * 2, dtype=coef.dtype) if hessian_out is None \
                else hessian_out
            gout[...] = grad
            if not self.base_loss.is_multiclass and s.nonpos / s.sw > 0.25:
                return gout, hout, True  # scikit-learn leaves the Hessian unset then
            hout[...] = s.hess / s.sw
            w, _ = self.weight_intercept(coef)
            k = 1 if not self.base_loss.is_multiclass else self.base_loss.n_classes
            if l2_reg_strength > 0:
                idx = np.arange(k * w.shape[-1])
                hout[idx, idx] += l2_reg_strength
            return gout, hout, False

    return _PassLoss


# ------------------------------------------------------------------------- the driver


class _Optimised(Rule):
    """A fit by scikit-learn's optimizers on the objective of every row, a pass per
    evaluation (after a first pass of what the start needs)."""

    per_row = ("sample_weight",)
    static = ("sample_weight",)
    iterative = True
    _SOLVERS = ("lbfgs", "newton-cholesky")

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if est.solver not in self._SOLVERS:
            self.refuse(est, "solver", est.solver, self._SOLVERS,
                        "its iterations are not sums over the rows")
        if est.warm_start:
            self.refuse(est, "warm_start", est.warm_start, [False],
                        "the exact fit works on a copy that starts where scikit-learn "
                        "starts")

    def evaluator(self, reduce, linear_loss, prepare, n_features, dtype):
        """The stand-in rows (of X's ``dtype``) whose every evaluation is one pass.

        The blocks get scikit-learn's own ``LinearModelLoss``, not the
        :class:`_PassLoss` (a class made at run time, so pickled by value: on a cluster
        every task of every pass shipped and rebuilt it, and tokenizing it cost the
        client about 0.1 s per pass and block).
        """
        from ..._sklearn_compat import LinearModelLoss

        block_loss = LinearModelLoss(base_loss=linear_loss.base_loss,
                                     fit_intercept=linear_loss.fit_intercept)

        def run(kind, coef):
            leaf = functools.partial(_block_sums, kind, block_loss, np.asarray(coef),
                                     prepare)
            return reduce(leaf, _merge)

        return _Rows(run, n_features, dtype)

    def optimise(self, est, linear_loss, rows, coef, l2, extra_msg=None):
        """``(coef, n_iter)`` by ``est.solver``, as scikit-learn runs it."""
        import scipy.optimize
        from ..._sklearn_compat import _check_optimize_result

        if est.solver == "lbfgs":
            res = scipy.optimize.minimize(
                linear_loss.loss_gradient, coef, method="L-BFGS-B", jac=True,
                args=(rows, None, None, l2, 1),
                options={"maxiter": est.max_iter, "maxls": 50, "gtol": est.tol,
                         "ftol": 64 * np.finfo(float).eps})
            n_iter = _check_optimize_result("lbfgs", res, est.max_iter,
                                            extra_warning_msg=extra_msg)
            return res.x, n_iter
        from ..._sklearn_compat import NewtonCholeskySolver

        sol = NewtonCholeskySolver(coef=coef, linear_loss=linear_loss, l2_reg_strength=l2,
                                   tol=est.tol, max_iter=est.max_iter, n_threads=1)
        coef = sol.solve(rows, None, None)
        return coef, sol.iteration


# ----------------------------------------------------------------- logistic regression


class _Labels:
    """The classes of a set of rows, their counts and weighted counts; the width and
    dtype of X."""

    def __init__(self, classes, counts, wcounts, p, dtype):
        self.classes, self.counts, self.wcounts, self.p = classes, counts, wcounts, p
        self.dtype = dtype


def _labels_leaf(static, k, x, y, params):
    from sklearn.utils.multiclass import check_classification_targets

    x = as_float(x, dtype=_FLOATS, sparse=True)
    y = np.asarray(y)
    if y.ndim != 1:
        y = y.ravel() if y.ndim == 2 and y.shape[1] == 1 else y
    check_classification_targets(y)
    sw = weights(x, params, static, dtype=x.dtype)  # scikit-learn casts them to X's
    classes, inv = np.unique(y, return_inverse=True)
    inv = inv.ravel()
    wcounts = np.bincount(inv, weights=np.ones(len(y)) if sw is None else sw,
                          minlength=len(classes))
    return _Labels(classes, np.bincount(inv, minlength=len(classes)).astype(float), wcounts,
                   x.shape[1], x.dtype)


def _labels_merge(a, b):
    classes = np.union1d(a.classes, b.classes)
    counts, wcounts = np.zeros(len(classes)), np.zeros(len(classes))
    for s in (a, b):
        i = np.searchsorted(classes, s.classes)
        counts[i] += s.counts
        wcounts[i] += s.wcounts
    return _Labels(classes, counts, wcounts, a.p, np.result_type(a.dtype, b.dtype))


class _LogisticBlocks:
    """A block as scikit-learn's logistic path sees it: X (of ``dtype``), the encoded
    target and the sample weights times the class weights (``None`` when neither is
    given), both of X's dtype."""

    def __init__(self, static, classes, class_weight, dtype):
        self.static, self.classes, self.class_weight = static, classes, class_weight
        self.dtype = dtype

    def __call__(self, x, y, params):
        x = as_float(x, dtype=self.dtype, sparse=True)
        y = np.asarray(y).ravel()
        sw = weights(x, params, self.static, dtype=x.dtype)
        idx = np.searchsorted(self.classes, y)
        if len(self.classes) == 2:
            target = (idx == 1).astype(x.dtype)
        else:
            target = idx.astype(x.dtype)
        if self.class_weight is not None:
            cw = self.class_weight[idx].astype(x.dtype)  # scikit-learn's rounding
            sw = (np.ones(len(y), dtype=x.dtype) if sw is None else sw) * cw
        return x, target, sw


class LogisticRegressionRule(_Optimised):
    """``LogisticRegression``: ``solver`` 'lbfgs' or 'newton-cholesky', the L2 penalty
    or none, binary and multinomial, ``sample_weight``, ``class_weight``; dense or
    sparse (CSR, CSC) blocks.

    Refused: the other solvers (their iterations are not sums over the rows), the L1
    and elastic-net penalties, ``warm_start=True``, and, on scikit-learn < 1.7, a
    ``multi_class`` other than 'auto'.
    """

    def penalty(self, est):
        """The penalty scikit-learn's ``fit`` derives from the parameters."""
        penalty = getattr(est, "penalty", "l2")
        if penalty == "deprecated":  # scikit-learn >= 1.8: from l1_ratio and C
            l1 = est.l1_ratio
            penalty = "l2" if l1 is None or l1 == 0 else "l1" if l1 == 1 else "elasticnet"
            if est.C == np.inf:
                penalty = None
        return penalty

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        from ..._sklearn_compat import _check_solver

        penalty = self.penalty(est)
        _check_solver(est.solver, "l2" if penalty is None else penalty, est.dual)
        if penalty not in ("l2", None):
            self.refuse(est, "penalty", penalty, ["l2", None],
                        "lbfgs and newton-cholesky fit the L2 penalty or none")
        multi = getattr(est, "multi_class", "auto")
        if multi not in ("auto", "deprecated"):
            self.refuse(est, "multi_class", multi, ["auto"],
                        "use OneVsRestClassifier for one-vs-rest")

    def fit(self, est, template, reduce, static):
        from ..._sklearn_compat import HalfBinomialLoss, HalfMultinomialLoss
        from sklearn.utils.class_weight import compute_class_weight

        labels = reduce(functools.partial(_labels_leaf, static), _labels_merge)
        check_total_weight(labels.wcounts.sum())
        classes, p = labels.classes, labels.p
        n_classes = len(classes)
        if n_classes < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the "
                f"data contains only one class: {classes[0]!r}")
        cw = None
        if est.class_weight is not None:
            if est.class_weight == "balanced" and not _sklearn_at_least(1, 7):
                cw = labels.counts.sum() / (n_classes * labels.counts)
            elif est.class_weight == "balanced":
                cw = compute_class_weight("balanced", classes=classes, y=classes,
                                          sample_weight=labels.wcounts)
            else:
                cw = compute_class_weight(est.class_weight, classes=classes, y=classes)
        sw_sum = float(labels.wcounts.sum() if cw is None else labels.wcounts @ cw)
        C = np.inf if getattr(est, "penalty", "l2") is None else est.C  # as fit sets C_
        l2 = 1.0 / (C * sw_sum)
        binary = n_classes == 2
        nd = p + int(est.fit_intercept)
        base = HalfBinomialLoss() if binary else HalfMultinomialLoss(n_classes=n_classes)
        linear_loss = _pass_loss_class()(base_loss=base, fit_intercept=est.fit_intercept)
        dtype, cast, zero_dtype = _dtypes(est, labels.dtype)
        w0 = np.zeros(nd, dtype=dtype) if binary else np.zeros(
            (n_classes, nd), order="F", dtype=dtype).ravel(order="F")
        rows = self.evaluator(reduce, linear_loss,
                              _LogisticBlocks(static, classes, cw, dtype), p, dtype)
        from ..._sklearn_compat import _LOGISTIC_SOLVER_CONVERGENCE_MSG

        w, n_iter = self.optimise(est, linear_loss, rows, w0, l2,
                                  _LOGISTIC_SOLVER_CONVERGENCE_MSG)
        w = np.asarray(w) if cast is None else np.asarray(w, dtype=cast)
        coef = w[None, :] if binary else np.reshape(w, (n_classes, -1), order="F")
        est.classes_ = classes
        est.n_iter_ = np.asarray([n_iter], dtype=np.int32)
        if est.fit_intercept:
            est.intercept_, est.coef_ = coef[:, -1].copy(), coef[:, :-1].copy()
        else:
            est.coef_ = coef.copy()
            est.intercept_ = np.zeros(1 if binary else n_classes,
                                      dtype=coef.dtype if zero_dtype is None else zero_dtype)


# ------------------------------------------------------------------ GLM regressors


class _Moments:
    """The sum of the weights and of the weighted ``y``, whether every ``y`` is in the
    loss's range; the width and dtype of X, the dtype of ``y``."""

    def __init__(self, sw, swy, p, in_range, x_dtype, y_dtype):
        self.sw, self.swy, self.p, self.in_range = sw, swy, p, in_range
        self.x_dtype, self.y_dtype = x_dtype, y_dtype


def _moments_leaf(est, base, static, k, x, y, params):
    x = as_float(x, dtype=_FLOATS, sparse=True)
    y = np.asarray(y)
    # y and the weights as scikit-learn casts them (to the loss dtype), summed in float64
    dtype, _, _ = _dtypes(est, x.dtype, y.dtype)
    y = y.astype(dtype).ravel()
    sw = weights(x, params, static, dtype=dtype)
    sw_ = np.ones(len(y)) if sw is None else sw.astype(np.float64)
    return _Moments(float(sw_.sum()), float(sw_ @ y), x.shape[1],
                    bool(base.in_y_true_range(y)), x.dtype, y.dtype)


def _moments_merge(a, b):
    return _Moments(a.sw + b.sw, a.swy + b.swy, a.p, a.in_range and b.in_range,
                    np.result_type(a.x_dtype, b.x_dtype),
                    np.result_type(a.y_dtype, b.y_dtype))


class _GLMBlocks:
    """A block as scikit-learn's GLM fit sees it: X of ``x_dtype``, ``y`` and the
    weights of the loss dtype."""

    def __init__(self, static, x_dtype, dtype):
        self.static, self.x_dtype, self.dtype = static, x_dtype, dtype

    def __call__(self, x, y, params):
        x = as_float(x, dtype=self.x_dtype, sparse=True)
        return (x, np.asarray(y, dtype=self.dtype).ravel(),
                weights(x, params, self.static, dtype=self.dtype))


class GLMRule(_Optimised):
    """``PoissonRegressor``, ``GammaRegressor``, ``TweedieRegressor``: ``solver``
    'lbfgs' or 'newton-cholesky', every other parameter but ``warm_start=True``; dense
    or sparse (CSR, CSC) blocks."""

    def fit(self, est, template, reduce, static):
        base = est._get_loss()
        mom = reduce(functools.partial(_moments_leaf, est, base, static), _moments_merge)
        check_total_weight(mom.sw)
        if not mom.in_range:
            raise ValueError("Some value(s) of y are out of the valid range of the loss"
                             f" {base.__class__.__name__!r}.")
        linear_loss = _pass_loss_class()(base_loss=base, fit_intercept=est.fit_intercept)
        dtype, cast, _ = _dtypes(est, mom.x_dtype, mom.y_dtype)
        coef = np.zeros(mom.p + int(est.fit_intercept), dtype=dtype)
        if est.fit_intercept:
            coef[-1] = base.link.link(mom.swy / mom.sw)
        rows = self.evaluator(reduce, linear_loss, _GLMBlocks(static, mom.x_dtype, dtype),
                              mom.p, mom.x_dtype)
        coef, n_iter = self.optimise(est, linear_loss, rows, coef, est.alpha)
        coef = np.asarray(coef) if cast is None else np.asarray(coef, dtype=cast)
        est._base_loss = base
        est.n_iter_ = n_iter
        if est.fit_intercept:
            est.intercept_, est.coef_ = coef[-1], coef[:-1].copy()
        else:
            est.intercept_, est.coef_ = 0.0, coef
