"""Scorers whose metric runs blockwise on dask input.

A scorer follows scikit-learn's convention ``scorer(estimator, X, y, sample_weight=None)``.
Without dask input it is scikit-learn's own scorer of the same name, so the result is
identical. With dask input it calls the estimator's method (lazy for dask_variants
estimators) and the blockwise metric.
"""
from collections.abc import Mapping

from sklearn import metrics as _sk
from sklearn.base import is_classifier, is_regressor

from . import _classification as _c
from . import _regression as _r
from ._inputs import any_dask, as_lazy, evaluate

__all__ = ["get_scorer", "check_scoring", "get_scorer_names"]

# name -> (lazy metric, sign, estimator method)
_BLOCKWISE = {
    "accuracy": (_c._lazy_accuracy, 1, "predict"),
    "r2": (_r._lazy_r2, 1, "predict"),
    "neg_mean_squared_error": (_r._lazy_mse, -1, "predict"),
    "neg_root_mean_squared_error": (_r._lazy_rmse, -1, "predict"),
    "neg_mean_absolute_error": (_r._lazy_mae, -1, "predict"),
    "neg_log_loss": (_c._lazy_log_loss, -1, "predict_proba"),
}


def get_scorer_names():
    """Return the scorer names that run blockwise on dask input, sorted."""
    return sorted(_BLOCKWISE)


class _Scorer:
    """Scorer named ``name``: scikit-learn's on in-memory data, blockwise on dask."""

    def __init__(self, name):
        self.name = name
        self._sk_scorer = _sk.get_scorer(name)  # scikit-learn's errors for bad names

    def __repr__(self):
        return f"make_blockwise_scorer({self.name!r})"

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs):
        if not any_dask(X, y_true, sample_weight):
            if sample_weight is not None:
                kwargs["sample_weight"] = sample_weight
            return self._sk_scorer(estimator, X, y_true, **kwargs)
        if kwargs:
            raise TypeError(
                f"Scorer {self.name!r} got extra arguments {sorted(kwargs)!r} with dask "
                "input, where only sample_weight is supported. Drop them or compute "
                "the inputs first."
            )
        return evaluate([self._pending(estimator, X, y_true, sample_weight, {})])[0]

    def _pending(self, estimator, X, y_true, sample_weight, cache):
        """Return the lazy metric; ``cache`` shares predictions across scorers."""
        if self.name not in _BLOCKWISE:
            raise ValueError(
                f"Scorer {self.name!r} has no blockwise implementation for dask input. "
                f"Use one of {get_scorer_names()!r}, pass a callable "
                "scorer(estimator, X, y), or compute X and y first."
            )
        lazy, sign, method = _BLOCKWISE[self.name]
        if method not in cache:
            cache[method] = getattr(estimator, method)(X)
        kwargs = {"sample_weight": sample_weight}
        if method == "predict_proba":
            kwargs["labels"] = getattr(estimator, "classes_", None)
        pending = lazy(y_true, cache[method], **kwargs)
        finish = pending.finalize
        pending.finalize = lambda partials: sign * finish(partials)
        return pending


class _MultimetricScorer:
    """Score several metrics at once; predictions are made once per method."""

    def __init__(self, scorers, scoring):
        self._scorers = scorers
        self._scoring = scoring

    def __repr__(self):
        return f"MultimetricScorer({self._scoring!r})"

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs):
        if not any_dask(X, y_true, sample_weight):
            sk = _sk.check_scoring(estimator, scoring=self._scoring)
            if sample_weight is not None:
                kwargs["sample_weight"] = sample_weight
            return sk(estimator, X, y_true, **kwargs)
        cache, pending, scores = {}, {}, {}
        for key, scorer in self._scorers.items():
            if isinstance(scorer, _Scorer):
                pending[key] = scorer._pending(estimator, X, y_true, sample_weight, cache)
            else:
                args = {} if sample_weight is None else {"sample_weight": sample_weight}
                scores[key] = scorer(estimator, X, y_true, **args)
        scores.update(zip(pending, evaluate(list(pending.values()))))
        return {key: scores[key] for key in self._scorers}


def lazy_score(scorer, estimator, X, y_true, sample_weight=None):
    """Score like ``scorer(estimator, X, y_true)``, lazily where it runs blockwise.

    On dask input a blockwise scorer (a name from :func:`get_scorer_names`, or several
    of them) gives a lazy 0-d dask array (a dict of them); nothing is computed. Any
    other scorer, or input without dask collections, gives the computed value.
    """
    args = {} if sample_weight is None else {"sample_weight": sample_weight}
    if not any_dask(X, y_true, sample_weight):
        return scorer(estimator, X, y_true, **args)
    if isinstance(scorer, _Scorer):
        return as_lazy(scorer._pending(estimator, X, y_true, sample_weight, {}))
    if isinstance(scorer, _MultimetricScorer):
        cache = {}
        return {
            key: as_lazy(s._pending(estimator, X, y_true, sample_weight, cache))
            if isinstance(s, _Scorer) else s(estimator, X, y_true, **args)
            for key, s in scorer._scorers.items()
        }
    return scorer(estimator, X, y_true, **args)


def get_scorer(scoring):
    """Return a scorer from its name, blockwise on dask input.

    Parameters
    ----------
    scoring : str or callable
        A scikit-learn scorer name, or a callable ``scorer(estimator, X, y)``, which is
        returned unchanged.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None) -> float``. Without dask input it
        is scikit-learn's scorer of that name (same result, same errors). With dask
        input it calls ``estimator.predict`` (``predict_proba`` for ``neg_log_loss``)
        and the blockwise metric, eagerly returning a float.

    Raises
    ------
    ValueError
        If ``scoring`` is not a scikit-learn scorer name (at once), or, when called on
        dask input, if the name is not one of :func:`get_scorer_names`.

    Examples
    --------
    >>> from dask_variants.metrics import get_scorer
    >>> get_scorer("accuracy")
    make_blockwise_scorer('accuracy')
    """
    if callable(scoring):
        return scoring
    if not isinstance(scoring, str):
        raise ValueError(
            f"scoring must be a scorer name or a callable, got {scoring!r}. Use e.g. "
            f"one of {get_scorer_names()!r}."
        )
    return _Scorer(scoring)


def check_scoring(estimator, scoring=None, *, allow_none=False):
    """Return the scorer for ``estimator``, blockwise on dask input.

    Parameters
    ----------
    estimator : estimator object
        The estimator to score.
    scoring : str, callable, list, tuple, dict or None, default=None
        ``None`` means the estimator's default metric: accuracy for classifiers, R^2
        for regressors (decided with :func:`sklearn.base.is_classifier` /
        :func:`~sklearn.base.is_regressor`). A name or callable is passed to
        :func:`get_scorer`. A list/tuple of names or a dict ``{key: name or
        callable}`` gives a multi-metric scorer returning a dict; on dask input each
        estimator method is called once and all metrics share one ``compute``.
    allow_none : bool, default=False
        Return None instead of raising when ``scoring`` is None and the estimator is
        neither a classifier nor a regressor.

    Returns
    -------
    scorer : callable or None

    Raises
    ------
    ValueError
        ``scoring`` is a metric function (of ``sklearn.metrics`` or
        ``dask_variants.metrics``) rather than a scorer, as scikit-learn's
        ``check_scoring`` says: wrap it with :func:`sklearn.metrics.make_scorer`
        (``make_scorer(dask_variants.metrics.accuracy_score)`` is blockwise on dask
        input).
    """
    if scoring is None:
        if is_classifier(estimator):
            return get_scorer("accuracy")
        if is_regressor(estimator):
            return get_scorer("r2")
        if allow_none:
            return None
        raise TypeError(
            f"check_scoring got scoring=None for {estimator!r}, which is neither a "
            "classifier nor a regressor, so it has no default metric. Pass scoring= a "
            f"name (e.g. one of {get_scorer_names()!r}) or a callable."
        )
    if isinstance(scoring, (list, tuple, set, Mapping)):
        if isinstance(scoring, Mapping):
            items = dict(scoring)
        else:
            items = {name: name for name in scoring}
            if len(items) != len(scoring) or not all(isinstance(n, str) for n in items):
                raise ValueError(
                    f"scoring={scoring!r} must list distinct scorer names. Use a dict "
                    "{key: name or callable} for anything else."
                )
        if not items:
            raise ValueError(f"scoring={scoring!r} is empty. Give at least one metric.")
        return _MultimetricScorer({k: get_scorer(v) for k, v in items.items()}, scoring)
    if callable(scoring) and _looks_like_a_metric(scoring):
        raise ValueError(
            "scoring value %r looks like it is a metric function rather than a scorer. A "
            "scorer should require an estimator as its first parameter. Please use "
            "`make_scorer` to convert a metric to a scorer." % scoring
        )
    return get_scorer(scoring)


#: modules whose functions are metrics, not scorers (scikit-learn's heuristic, and ours)
_METRIC_MODULES = ("sklearn.metrics.", "dask_variants.metrics.")
_SCORER_MODULES = ("sklearn.metrics._scorer", "sklearn.metrics.tests.",
                   "dask_variants.metrics._scorer", "dask_variants.metrics.scorer")


def _looks_like_a_metric(scoring):
    """scikit-learn's check: a function of a metrics module is a metric, not a scorer."""
    module = getattr(scoring, "__module__", None)
    return (hasattr(module, "startswith") and module.startswith(_METRIC_MODULES)
            and not module.startswith(_SCORER_MODULES))
