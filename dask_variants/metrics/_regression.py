"""Regression metrics computed blockwise on dask input."""
import warnings

import numpy as np
from sklearn import metrics as _sk
from sklearn.exceptions import UndefinedMetricWarning

from ._inputs import Pending, align_rows, any_dask, column_sum, result

__all__ = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
           "mean_squared_log_error", "root_mean_squared_log_error",
           "mean_absolute_percentage_error", "r2_score"]

_EPSILON = np.finfo(np.float64).eps


def _as_2d(block):
    block = np.asarray(block, dtype=np.float64)
    return block.reshape(block.shape[0], int(np.prod(block.shape[1:])))  # 0 rows too


def _check_on_stand_in(sk_func, a, **kwargs):
    """Let scikit-learn validate shapes and ``multioutput`` on a two-row stand-in.

    The stand-in has the inputs' trailing shapes but no data, so shape errors carry
    scikit-learn's own message before any block is computed.
    """
    stand_in = {
        k: None if v is None else np.arange(2.0 * int(np.prod(v.shape[1:]))).reshape(
            (2,) + v.shape[1:]) for k, v in a.items()
    }
    if stand_in.get("sample_weight") is not None:
        stand_in["sample_weight"] = stand_in["sample_weight"] + 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk_func(stand_in["y_true"], stand_in["y_pred"],
                sample_weight=stand_in["sample_weight"], **kwargs)
    n_outputs = 1 if a["y_true"].ndim == 1 else a["y_true"].shape[1]
    return n_outputs


def _average_outputs(errors, multioutput):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    with np.errstate(invalid="ignore"):  # -inf * 0 weight, as in scikit-learn
        return float(np.average(errors, weights=multioutput))


def _row_errors(kind, y_true, y_pred):
    """Per-row, per-output errors of one block, as scikit-learn computes them."""
    yt, yp = _as_2d(y_true), _as_2d(y_pred)
    if kind == "squared_log":
        if (yt <= -1).any() or (yp <= -1).any():
            raise ValueError(
                "Mean Squared Logarithmic Error cannot be used when targets contain "
                "values less than or equal to -1."
            )
        return (np.log1p(yt) - np.log1p(yp)) ** 2
    if kind == "absolute_percentage":
        return np.abs(yp - yt) / np.maximum(np.abs(yt), _EPSILON)
    diff = yt - yp
    return diff**2 if kind == "squared" else np.abs(diff)


def _error_block(kind):
    def block(y_true, y_pred, sample_weight):
        errors = _row_errors(kind, y_true, y_pred)
        w = None if sample_weight is None else np.asarray(sample_weight, np.float64)
        total = len(errors) if w is None else w.sum()
        return np.concatenate([column_sum(errors, w), [total]])
    return block


def _lazy_error(func, sk_func, kind, root, y_true, y_pred, sample_weight, multioutput):
    a = align_rows(func, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    n_outputs = _check_on_stand_in(sk_func, a, multioutput=multioutput)

    def finalize(partials):
        sums = partials.sum(axis=0)
        errors = sums[:-1] / sums[-1]
        return _average_outputs(np.sqrt(errors) if root else errors, multioutput)

    pending = Pending(func, _error_block(kind),
                      [a["y_true"], a["y_pred"], a["sample_weight"]], finalize)
    pending.shape = _result_shape(multioutput, n_outputs)
    return pending


def _result_shape(multioutput, n_outputs):
    raw = isinstance(multioutput, str) and multioutput == "raw_values"
    return (n_outputs,) if raw else ()


_DOC = """Compute the {what}, blockwise on dask input.

    Parameters
    ----------
    y_true : {{array-like, dask array, dask Series/DataFrame}} of shape (n_samples,) \
or (n_samples, n_outputs)
        Ground truth targets.
    y_pred : same kinds and shape as ``y_true``
        Predictions, e.g. the lazy result of ``estimator.predict``.
    sample_weight : array-like or dask collection of shape (n_samples,), default=None
        Per-row weights.
    multioutput : {{'raw_values', 'uniform_average'}} or array-like of shape \
(n_outputs,), default='uniform_average'
        How to combine the outputs, as in scikit-learn.
    compute : bool, default=True
        As in dask-ml: with dask input, ``False`` returns the result as a lazy dask
        array (0-d, or of shape (n_outputs,) for ``'raw_values'``) instead of
        computing it. Without dask input the result is scikit-learn's.

    Returns
    -------
    loss : float or ndarray of floats, or a dask array with ``compute=False``

    Notes
    -----
    Without dask input this is :func:`sklearn.metrics.{name}`. With dask input each
    row block gives per-output weighted sums and its total weight; they are combined
    after one eager ``compute``, so the result equals scikit-learn's on the computed
    data up to floating-point rounding. Shapes and ``multioutput`` are checked by
    scikit-learn before any block is computed.
    """


def _make_error_metric(name, kind, root):
    sk_func = getattr(_sk, name)

    def metric(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
               compute=True):
        if not any_dask(y_true, y_pred, sample_weight):
            return sk_func(y_true, y_pred, sample_weight=sample_weight,
                           multioutput=multioutput)
        pending = _lazy_error(name, sk_func, kind, root, y_true, y_pred, sample_weight,
                              multioutput)
        return result(pending, compute, pending.shape)

    def lazy(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
        return _lazy_error(name, sk_func, kind, root, y_true, y_pred, sample_weight,
                           multioutput)

    metric.__name__ = metric.__qualname__ = name
    metric.__doc__ = _DOC.format(what=name.replace("_", " "), name=name)
    return metric, lazy


mean_squared_error, _lazy_mse = _make_error_metric("mean_squared_error", "squared", False)
root_mean_squared_error, _lazy_rmse = _make_error_metric(
    "root_mean_squared_error", "squared", True)
mean_absolute_error, _lazy_mae = _make_error_metric("mean_absolute_error", "absolute", False)
mean_squared_log_error, _lazy_msle = _make_error_metric(
    "mean_squared_log_error", "squared_log", False)
root_mean_squared_log_error, _lazy_rmsle = _make_error_metric(
    "root_mean_squared_log_error", "squared_log", True)
mean_absolute_percentage_error, _lazy_mape = _make_error_metric(
    "mean_absolute_percentage_error", "absolute_percentage", False)


def _r2_block(y_true, y_pred, sample_weight):
    """Per output: [rows, weight, weighted mean, M2 around it, SS_res, min, max]."""
    yt, yp = _as_2d(y_true), _as_2d(y_pred)
    k = yt.shape[1]
    w = np.ones(len(yt)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    total = w.sum()
    mean = column_sum(yt, w) / total if total else np.zeros(k)
    m2 = column_sum((yt - mean) ** 2, w)
    ss_res = column_sum((yt - yp) ** 2, w)
    seen = yt[w != 0]
    lo = seen.min(axis=0) if len(seen) else np.full(k, np.inf)
    hi = seen.max(axis=0) if len(seen) else np.full(k, -np.inf)
    return np.concatenate([[len(yt), total], mean, m2, ss_res, lo, hi])


def _lazy_r2(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite=True):
    a = align_rows("r2_score", y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    n_outputs = _check_on_stand_in(_sk.r2_score, a, multioutput=multioutput,
                                   force_finite=force_finite)

    def finalize(partials):
        rows, weights = partials[:, 0], partials[:, 1]
        means, m2, ss_res, lo, hi = np.split(partials[:, 2:], 5, axis=1)
        if rows.sum() < 2:
            warnings.warn("R^2 score is not well-defined with less than two samples.",
                          UndefinedMetricWarning)
            return float("nan")
        mean = weights @ means / weights.sum()
        # Chan et al.'s merge of per-block centred sums: stable, one pass.
        ss_tot = m2.sum(axis=0) + weights @ (means - mean) ** 2
        ss_tot[lo.min(axis=0) == hi.max(axis=0)] = 0.0  # constant target: exactly 0
        return _assemble_r2(ss_res.sum(axis=0), ss_tot, multioutput, force_finite)

    pending = Pending("r2_score", _r2_block,
                      [a["y_true"], a["y_pred"], a["sample_weight"]], finalize)
    pending.shape = _result_shape(multioutput, n_outputs)
    return pending


def _assemble_r2(ss_res, ss_tot, multioutput, force_finite):
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = 1 - ss_res / ss_tot
    if force_finite:
        scores[ss_res == 0] = 1.0
        scores[(ss_res != 0) & (ss_tot == 0)] = 0.0
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        multioutput = ss_tot if np.any(ss_tot != 0) else None
    return _average_outputs(scores, multioutput)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite=True, compute=True):
    """Compute the coefficient of determination R^2, blockwise on dask input.

    Parameters
    ----------
    y_true : {array-like, dask array, dask Series/DataFrame} of shape (n_samples,) \
            or (n_samples, n_outputs)
        Ground truth targets.
    y_pred : same kinds and shape as ``y_true``
        Predictions, e.g. the lazy result of ``estimator.predict``.
    sample_weight : array-like or dask collection of shape (n_samples,), default=None
        Per-row weights.
    multioutput : {'raw_values', 'uniform_average', 'variance_weighted'} or \
            array-like of shape (n_outputs,), default='uniform_average'
        How to combine the outputs, as in scikit-learn.
    force_finite : bool, default=True
        Replace the NaN/-inf of constant targets by 1.0 or 0.0, as in scikit-learn.
    compute : bool, default=True
        As in dask-ml: with dask input, ``False`` returns the score as a lazy dask
        array (0-d, or (n_outputs,) for ``'raw_values'``) instead of computing it.

    Returns
    -------
    z : float or ndarray of floats, or a dask array with ``compute=False``

    Notes
    -----
    Without dask input this is :func:`sklearn.metrics.r2_score`. With dask input one
    pass computes, per block, its weight, weighted mean, centred sum of squares and
    residual sum of squares; the centred sums are merged exactly (Chan et al.), so
    ``y_true`` is read once. A target that is constant over the weighted rows has a
    total sum of squares of exactly 0 (scikit-learn may get a rounding residue).
    """
    if not any_dask(y_true, y_pred, sample_weight):
        return _sk.r2_score(y_true, y_pred, sample_weight=sample_weight,
                            multioutput=multioutput, force_finite=force_finite)
    pending = _lazy_r2(y_true, y_pred, sample_weight=sample_weight,
                       multioutput=multioutput, force_finite=force_finite)
    return result(pending, compute, pending.shape)
