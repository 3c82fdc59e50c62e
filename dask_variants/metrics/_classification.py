"""Classification metrics computed blockwise on dask input."""
import dask
import dask.array as da
import numpy as np
from sklearn import metrics as _sk

from ._inputs import Pending, align_rows, any_dask, result

__all__ = ["accuracy_score", "log_loss"]


def _accuracy_block(y_true, y_pred, sample_weight):
    if len(y_true) == 0:
        return [0.0, 0.0]
    hits = _sk.accuracy_score(y_true, y_pred, normalize=False, sample_weight=sample_weight)
    total = len(y_true) if sample_weight is None else np.sum(sample_weight)
    return [hits, total]


def _lazy_accuracy(y_true, y_pred, *, normalize=True, sample_weight=None):
    a = align_rows("accuracy_score", y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)

    def finalize(partials):
        hits, total = partials.sum(axis=0)
        return float(hits / total) if normalize else float(hits)

    return Pending(
        "accuracy_score", _accuracy_block, [a["y_true"], a["y_pred"], a["sample_weight"]],
        finalize,
    )


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None, compute=True):
    """Compute the accuracy (subset accuracy for multilabel), blockwise on dask input.

    Parameters
    ----------
    y_true : {array-like, dask array, dask Series/DataFrame} of shape (n_samples,) \
            or (n_samples, n_labels)
        Ground truth labels.
    y_pred : same kinds as ``y_true``
        Predicted labels, e.g. the lazy result of ``estimator.predict``.
    normalize : bool, default=True
        Return the (weighted) fraction of correct rows; else their (weighted) count.
    sample_weight : array-like or dask collection of shape (n_samples,), default=None
        Per-row weights.
    compute : bool, default=True
        As in dask-ml: with dask input, ``False`` returns the score as a lazy 0-d dask
        array instead of computing it. Without dask input the score is always a float.

    Returns
    -------
    score : float, or 0-d dask array with ``compute=False``

    Notes
    -----
    Without dask input this is :func:`sklearn.metrics.accuracy_score`. With dask
    input, each row block gives its weighted count of correct rows and its total
    weight (scikit-learn's own function checks each block's targets); the sums are
    combined after one eager ``compute``. Inputs are aligned with the row blocks of
    the first dask input with known chunk sizes.

    Examples
    --------
    >>> import dask.array as da
    >>> from dask_variants.metrics import accuracy_score
    >>> accuracy_score(da.from_array([0, 1, 1, 0], chunks=2), da.from_array([0, 1, 0, 0], chunks=2))
    0.75
    """
    if not any_dask(y_true, y_pred, sample_weight):
        return _sk.accuracy_score(
            y_true, y_pred, normalize=normalize, sample_weight=sample_weight
        )
    return result(_lazy_accuracy(y_true, y_pred, normalize=normalize,
                                 sample_weight=sample_weight), compute)


def _log_loss_block(y_true, y_proba, sample_weight, *, labels):
    if len(y_true) == 0:
        return [0.0, 0.0]
    loss = _sk.log_loss(y_true, y_proba, normalize=False, sample_weight=sample_weight,
                        labels=labels)
    total = len(y_true) if sample_weight is None else np.sum(sample_weight)
    return [loss, total]


def _lazy_log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    a = align_rows("log_loss", y_true=y_true, y_proba=y_proba, sample_weight=sample_weight)
    if labels is None:
        (labels,) = dask.compute(da.unique(a["y_true"].ravel()))
        if len(labels) == 1:
            raise ValueError(
                f"y_true contains only one label ({labels[0]!r}). Please provide the "
                "list of all expected class labels explicitly through the labels "
                "argument."
            )
    labels = np.asarray(labels)

    def block(y_true, y_proba, sample_weight):
        return _log_loss_block(y_true, y_proba, sample_weight, labels=labels)

    def finalize(partials):
        loss, total = partials.sum(axis=0)
        return float(loss / total) if normalize else float(loss)

    return Pending("log_loss", block, [a["y_true"], a["y_proba"], a["sample_weight"]],
                   finalize)


def _sk_log_loss(y_true, y_proba, y_pred, **kwargs):
    """scikit-learn's ``log_loss`` called with the installed version's parameter names.

    scikit-learn 1.6 to 1.8 name the probabilities ``y_pred``; 1.9 renamed them
    ``y_proba`` and deprecated ``y_pred`` (forwarded there, so its FutureWarning and
    errors are scikit-learn's). Under the old name, ``y_pred=`` is the current spelling.
    """
    if "y_proba" in _log_loss_params():
        return _sk.log_loss(y_true, y_proba, y_pred=y_pred, **kwargs)
    if isinstance(y_pred, str):  # not given
        return _sk.log_loss(y_true, y_proba, **kwargs)
    if y_proba is not None:
        raise TypeError(
            f"log_loss got the probabilities twice, as y_proba ({y_proba!r}) and as "
            f"y_pred ({y_pred!r}). Pass them once, as the second argument."
        )
    return _sk.log_loss(y_true, y_pred, **kwargs)


def _log_loss_params():
    import inspect

    return inspect.signature(_sk.log_loss).parameters


def log_loss(y_true, y_proba=None, *, normalize=True, sample_weight=None, labels=None,
             y_pred="deprecated", compute=True):
    """Compute the log loss (cross-entropy), blockwise on dask input.

    Parameters
    ----------
    y_true : {array-like, dask array, dask Series} of shape (n_samples,)
        Ground truth labels.
    y_proba : same kinds, of shape (n_samples, n_classes) or (n_samples,)
        Predicted probabilities, e.g. the lazy result of ``predict_proba``. A 1-D
        input is the probability of the positive class, as in scikit-learn.
    normalize : bool, default=True
        Return the (weighted) mean loss per row; else the (weighted) sum.
    sample_weight : array-like or dask collection of shape (n_samples,), default=None
        Per-row weights.
    labels : array-like, default=None
        All class labels. With dask input and ``labels=None`` the labels of ``y_true``
        are computed first (one extra pass over ``y_true``); pass
        ``estimator.classes_`` to avoid it.
    y_pred : array-like, default="deprecated"
        scikit-learn's deprecated name of ``y_proba``; forwarded to scikit-learn.
    compute : bool, default=True
        As in dask-ml: with dask input, ``False`` returns the loss as a lazy 0-d dask
        array (the labels of ``y_true`` are still computed first when ``labels`` is
        None). Without dask input the loss is always a float.

    Returns
    -------
    loss : float, or 0-d dask array with ``compute=False``

    Notes
    -----
    Without dask input this is :func:`sklearn.metrics.log_loss`. With dask input each
    row block is scored by scikit-learn's function with the global ``labels`` (so a
    block missing a class is handled) and the sums are combined after one eager
    ``compute``.
    """
    if not isinstance(y_pred, str) or not any_dask(y_true, y_proba, sample_weight):
        return _sk_log_loss(y_true, y_proba, y_pred, normalize=normalize,
                            sample_weight=sample_weight, labels=labels)
    return result(_lazy_log_loss(y_true, y_proba, normalize=normalize,
                                 sample_weight=sample_weight, labels=labels), compute)
