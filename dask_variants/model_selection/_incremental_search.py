"""dask-ml's incremental hyper-parameter searches, on any scheduler, one scan per round.

:class:`IncrementalSearchCV`, :class:`InverseDecaySearchCV` and
:class:`SuccessiveHalvingSearchCV` (and :class:`~._hyperband.HyperbandSearchCV`, built on
the same base) take dask-ml's parameters and give its attributes. The training itself is
:mod:`dask_variants._search_engine`: every model's ``j``-th ``partial_fit`` call is made on
the same block, so each block is loaded once per round for all the models.
"""
import contextlib
import logging
import numbers
import sys
import warnings
from collections import defaultdict
from collections.abc import Mapping, Sequence

import dask.array as da
import numpy as np

from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .. import _search_engine, _stream
from ..exceptions import SearchWarning
from ..mixins.incremental import prepare_stream
from ..utils import _blocks
from . import _adaptive
from ._split import train_test_split

__all__ = [
    "IncrementalSearchCV",
    "InverseDecaySearchCV",
    "SuccessiveHalvingSearchCV",
]

#: post-fit methods forwarded to ``best_estimator_`` (lazily on dask input)
_POST_FIT = ("predict", "predict_proba", "predict_log_proba", "decision_function",
             "transform", "inverse_transform", "score_samples")


def _estimator_has(name):
    def check(self):
        est = self.__dict__.get("best_estimator_", self.estimator)
        return hasattr(est, name)

    return check


def _post_fit(name):
    def method(self, X, **params):
        est = self._postfit_estimator()
        if not _blocks.is_dask(X):
            return getattr(est, name)(X, **params)
        from ..wrappers import ParallelPostFit

        wrapper = ParallelPostFit(
            est, predict_meta=getattr(self, "predict_meta", None),
            predict_proba_meta=getattr(self, "predict_proba_meta", None),
            transform_meta=getattr(self, "transform_meta", None),
        )
        return getattr(wrapper, name)(X, **params)

    method.__name__ = name
    method.__qualname__ = f"BaseIncrementalSearchCV.{name}"
    method.__doc__ = f"""Call ``best_estimator_.{name}``; lazily, block by block, on dask input.

        Parameters
        ----------
        X : {{array-like, dask array, dask DataFrame}}
        **params : dict
            Passed to the best estimator's ``{name}``.

        Returns
        -------
        result : same container as ``X``
            On dask input a lazy collection with one task per row block (nothing is
            computed); otherwise exactly the best estimator's ``{name}``.
        """
    return available_if(_estimator_has(name))(method)


def _is_metric_function(scoring):
    module = getattr(scoring, "__module__", "") or ""
    return callable(scoring) and not hasattr(scoring, "_score_func") and (
        (module.startswith("sklearn.metrics.") and not module.startswith("sklearn.metrics._scorer")
         and not module.startswith("sklearn.metrics.tests."))
        or (module.startswith("dask_variants.metrics") and not module.endswith("_scorer"))
    )


class BaseIncrementalSearchCV(MetaEstimatorMixin, BaseEstimator):
    """What every incremental search shares: checks, the data split, the results.

    Subclasses define ``_arms()``: the groups of models and their decision rules.
    """

    _fitted = ("cv_results_", "best_estimator_", "best_score_", "best_params_",
               "best_index_", "scorer_", "model_history_", "history_", "multimetric_",
               "n_splits_", "metadata_", "_SuccessiveHalvings_")

    # ------------------------------------------------------------------ checks

    def _name(self):
        return type(self).__name__

    def _check_estimator(self):
        if not hasattr(self.estimator, "partial_fit"):
            raise TypeError(
                f"{self._name()} trains models with partial_fit, and "
                f"{type(self.estimator).__name__} has none. Use an estimator with "
                "partial_fit (e.g. dask_variants.incremental.SGDClassifier), or "
                "scikit-learn's RandomizedSearchCV with cv=BlockKFold(...)."
            )

    def _check_max_iter(self, allow_none=False):
        max_iter = self.max_iter
        if max_iter is None and allow_none:
            return
        if not isinstance(max_iter, numbers.Integral) or isinstance(max_iter, bool) or \
                max_iter < 1:
            raise ValueError(
                f"Received max_iter={max_iter!r}. max_iter < 1 is not supported: "
                f"{self._name()} needs max_iter, the most partial_fit calls any one model "
                "gets, to be a whole number >= 1. Set e.g. max_iter=27."
            )

    def _check_aggressiveness(self):
        eta = self.aggressiveness
        if isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not eta > 1:
            raise ValueError(
                f"{self._name()}: aggressiveness must be a number > 1 (the factor by "
                f"which models are culled and training lengthened), got {eta!r}. Set "
                "aggressiveness=3 (the default) or 4."
            )

    def _check_parameters(self):
        params = self.parameters
        grids = params if isinstance(params, list) else [params]
        if not grids or not all(isinstance(g, Mapping) and g for g in grids):
            raise ValueError(
                f"{self._name()}: parameters must be a non-empty dict (or a list of "
                "them) mapping parameter names to lists of values or distributions with "
                f"an rvs method, got {params!r}. Use e.g. "
                "parameters={'alpha': [1e-4, 1e-3, 1e-2]}."
            )
        valid = self.estimator.get_params(deep=True)
        for grid in grids:
            for key, values in grid.items():
                if key not in valid:
                    raise ValueError(
                        f"{self._name()}: parameters names {key!r}, which is not a "
                        f"parameter of {type(self.estimator).__name__}. Its parameters "
                        f"are {sorted(valid)!r}."
                    )
                if hasattr(values, "rvs"):
                    continue
                if isinstance(values, (str, bytes)) or \
                        not isinstance(values, (Sequence, np.ndarray)) or len(values) == 0:
                    raise ValueError(
                        f"{self._name()}: parameters[{key!r}] must be a non-empty list of "
                        f"values or a distribution with an rvs method, got {values!r}. "
                        f"Use e.g. parameters={{{key!r}: [{values!r}]}}."
                    )

    def _check_common(self):
        self._check_estimator()
        self._check_parameters()
        _adaptive.check_patience(self._name(), self._patience())
        verbose = self.verbose
        if not isinstance(verbose, (bool, numbers.Real)) or not 0 <= verbose <= 1:
            raise ValueError(
                f"{self._name()}: verbose must be a bool or a number in [0, 1], got "
                f"{verbose!r}. Set verbose=True to print a line per round."
            )
        test_size = self.test_size
        if test_size is not None and (
                isinstance(test_size, bool) or not isinstance(test_size, numbers.Real)
                or not 0 < test_size < 1 and not (
                    isinstance(test_size, numbers.Integral) and test_size >= 1)):
            raise ValueError(
                f"{self._name()}: test_size must be None, a share of the rows in (0, 1) "
                f"or a number of rows, got {test_size!r}. Set e.g. test_size=0.2."
            )
        return self._check_scoring()

    def _patience(self):
        return self.patience

    def _check_scoring(self):
        """The in-memory scorer (``scorer(est, X, y)``); ``None`` means ``est.score``."""
        scoring = self.scoring
        if scoring is None:
            if not hasattr(self.estimator, "score"):
                raise TypeError(
                    f"{self._name()}: {type(self.estimator).__name__} has no score method "
                    "and scoring=None, so models cannot be compared. Pass scoring= a "
                    "scorer name (e.g. 'accuracy') or a callable scorer(estimator, X, y)."
                )
            return None
        if isinstance(scoring, (list, tuple, set, Mapping)):
            raise ValueError(
                f"{self._name()}: scoring={scoring!r} names several metrics, but an "
                "adaptive search ranks models by one number. Pass one scorer name or "
                "callable."
            )
        if _is_metric_function(scoring):
            raise ValueError(
                f"scoring value {scoring!r} looks like it is a metric function rather "
                "than a scorer. A scorer should require an estimator as its first "
                "parameter. Please use `make_scorer` to convert a metric to a scorer."
            )
        from sklearn.metrics import check_scoring

        return check_scoring(self.estimator, scoring=scoring)

    # ------------------------------------------------------------------ fit

    def _sample(self, n, random_state):
        """The parameter settings: ``n`` sampled, or the whole grid for ``"grid"``."""
        if n == "grid":
            try:
                return list(ParameterGrid(self.parameters))
            except TypeError as err:
                raise ValueError(
                    f"{self._name()}: n_initial_parameters='grid' needs lists of values "
                    f"in parameters, not distributions: {err}. Sample instead with e.g. "
                    "n_initial_parameters=10."
                ) from err
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
            raise ValueError(
                f"{self._name()}: n_initial_parameters must be a whole number >= 1 or "
                f"'grid', got {n!r}. Set e.g. n_initial_parameters=10."
            )
        return list(ParameterSampler(self.parameters, n, random_state=random_state))

    def _arm(self, name, settings, rule, ids=None):
        ids = list(range(len(settings))) if ids is None else ids
        models = {m: clone(self.estimator).set_params(**p) for m, p in zip(ids, settings)}
        return _search_engine.Arm(name, models, dict(zip(ids, settings)), rule)

    def _postfit_estimator(self):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_

    def __sklearn_is_fitted__(self):
        return "best_estimator_" in self.__dict__

    def fit(self, X, y=None, **fit_params):
        """Find the best parameters: train many models with ``partial_fit``, adaptively.

        Parameters
        ----------
        X : dask array, dask DataFrame or array-like of shape (n_samples, n_features)
            Training rows, streamed block by block (in-memory input is one block).
            ``test_size`` of the rows of every block are held out for scoring.
        y : dask array, dask Series, array-like or None
        **fit_params
            Passed to every ``partial_fit`` call. ``classes`` is computed from ``y``
            when ``partial_fit`` takes it and it is not given.

        Returns
        -------
        self

        Raises
        ------
        TypeError, ValueError
            Bad parameters, before any block is loaded.
        Exception
            Of the original type, naming the row block whose loading or fitting
            failed; the search is then left unfitted.
        """
        scorer = self._check_common()
        arms = self._arms()
        name = f"{self._name()}.fit"
        if not _blocks.is_dask(X):
            X = np.asarray(X) if not hasattr(X, "iloc") else X.to_numpy()
            X = da.from_array(X, chunks=X.shape)
        X, y, per_row, static = prepare_stream(self, self.estimator, X, y, fit_params,
                                               "fit", fresh=True)
        n_blocks = _blocks.n_blocks(X)
        test_size = self.test_size if self.test_size is not None else min(0.2, 1 / n_blocks)
        arrays = [X] + ([] if y is None else [y]) + list(per_row.values())
        parts = train_test_split(*arrays, test_size=test_size,
                                 random_state=self._split_state(), shuffle=True)
        train, test = parts[0::2], parts[1::2]
        X_train, X_test = train[0], test[0]
        y_train = None if y is None else train[1]
        y_test = None if y is None else test[1]
        per_row_train = dict(zip(per_row, train[2 if y is not None else 1:]))
        source = _stream.Source(X_train, y_train, per_row_train)
        val = _search_engine.validation(X_test, y_test, self)
        order = _search_engine.BlockOrder(source.n, self._split_state())
        for attr in self._fitted:
            self.__dict__.pop(attr, None)
        log = []
        with self._verbosity():
            best = _search_engine.run(arms, source, val, static=static, owner=self,
                                      order=order, scorer=scorer, prefix=self.prefix,
                                      log=log)
        for record in log:
            record.pop("_adapt", None)
        self._set_results(arms, best, log, scorer)
        return self

    def _split_state(self):
        return self.random_state

    @contextlib.contextmanager
    def _verbosity(self):
        """With ``verbose``, print the engine's per-round DEBUG lines to stdout."""
        if not self.verbose:
            yield
            return
        engine = logging.getLogger(_search_engine.__name__)
        handler = logging.StreamHandler(sys.stdout)
        old = engine.level
        engine.addHandler(handler)
        engine.setLevel(logging.DEBUG)
        try:
            yield
        finally:
            engine.removeHandler(handler)
            engine.setLevel(old)

    def _set_results(self, arms, best, log, scorer):
        (arm,) = arms
        model_history = _by_model(log)
        cv_results = _cv_results(model_history)
        best_index = int(np.flatnonzero(cv_results["model_id"] == arm.best)[0])
        self.cv_results_ = cv_results
        self.scorer_ = scorer
        self.history_ = log
        self.model_history_ = model_history
        self.best_estimator_ = best[0, arm.best]
        self.best_index_ = best_index
        self.best_score_ = cv_results["test_score"][best_index]
        self.best_params_ = cv_results["params"][best_index]
        self.n_splits_ = 1
        self.multimetric_ = False

    # ------------------------------------------------------------------ post-fit

    def score(self, X, y=None):
        """Score ``best_estimator_`` with ``scoring`` (its ``score`` by default).

        On dask input the metric is computed block by block (see
        :func:`dask_variants.metrics.get_scorer_names`); otherwise it is ``scorer_``.

        Returns
        -------
        score : float
        """
        est = self._postfit_estimator()
        if _blocks.is_dask(X) or _blocks.is_dask(y):
            from ..wrappers import ParallelPostFit

            return ParallelPostFit(est, scoring=self.scoring).score(X, y)
        if self.scorer_ is None:
            return est.score(X, y)
        return self.scorer_(est, X, y)


for _method in _POST_FIT:
    setattr(BaseIncrementalSearchCV, _method, _post_fit(_method))
del _method


def _by_model(log):
    out = defaultdict(list)
    for record in log:
        out[record["model_id"]].append(record)
    return dict(out)


def _cv_results(model_history):
    """dask-ml's ``cv_results_`` from ``{model_id: [record, ...]}``."""
    rows = []
    for m, hist in model_history.items():
        fit_times = [h["partial_fit_time"] for h in hist]
        score_times = [h["score_time"] for h in hist]
        rows.append({
            "mean_partial_fit_time": np.mean(fit_times),
            "mean_score_time": np.mean(score_times),
            "std_partial_fit_time": np.std(fit_times),
            "std_score_time": np.std(score_times),
            "test_score": hist[-1]["score"],
            "model_id": m,
            "params": hist[0]["params"],
            "partial_fit_calls": hist[-1]["partial_fit_calls"],
            **({"bracket": hist[0]["bracket"]} if "bracket" in hist[0] else {}),
        })
    out = {k: [row[k] for row in rows] for k in rows[0]}
    params = defaultdict(list)
    for p in out["params"]:
        for k, v in p.items():
            params[k].append(v)
    for k, v in params.items():
        out["param_" + k] = v
    out = {k: _array(v) for k, v in out.items()}
    import scipy.stats

    out["rank_test_score"] = scipy.stats.rankdata(-out["test_score"], method="min").astype(int)
    return out


def _array(values):
    if values and isinstance(values[0], Mapping):
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr
    return np.array(values)


_DOC_COMMON = """
    estimator : estimator object
        Cloned for every parameter setting. It must have ``partial_fit`` (scikit-learn's
        estimators, our ``dask_variants.incremental`` variants, or a third-party one)
        and, with ``scoring=None``, ``score``.
    parameters : dict or list of dict
        Parameter names (as ``estimator.get_params`` knows them) mapped to lists of
        values or distributions with an ``rvs`` method."""


class IncrementalSearchCV(BaseIncrementalSearchCV):
    __doc__ = f"""Train sampled parameter settings incrementally, all to ``max_iter``
    calls unless ``patience`` stops them.

    dask-ml's class with the same parameters and attributes. One unit of ``max_iter``
    is one ``partial_fit`` call on one row block. Runs on any dask scheduler (no
    ``distributed.Client`` needed); with one, every call runs on the worker holding
    its block. Each block is loaded once per round for all the models.

    Parameters
    ----------{_DOC_COMMON}
    n_initial_parameters : int or "grid", default=10
        Settings sampled with ``ParameterSampler`` (seeded by ``random_state``), or the
        whole ``ParameterGrid``.
    decay_rate : None, default=None
        Ignored, with a ``SearchWarning`` when set (dask-ml deprecated it here); use
        :class:`InverseDecaySearchCV`.
    test_size : float or int, default=None
        Rows held out of every block for scoring; ``None`` means
        ``min(0.2, 1 / n_blocks)`` of them, as in dask-ml.
    patience : int or False, default=False
        Stop a model when its score has not improved by more than ``tol`` over its
        last ``patience`` calls. Must be >= 2.
    tol : float or None, default=0.001
    fits_per_score : int, default=1
        ``partial_fit`` calls between scores.
    max_iter : int, default=100
        Most ``partial_fit`` calls any model gets.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling, the held-out rows and the block order: the same seed gives
        the same ``cv_results_`` and best model on every scheduler.
    scoring : str, callable or None, default=None
        A scorer name or ``scorer(estimator, X, y)``; ``None`` uses ``estimator.score``.
    verbose : bool or float, default=False
        Print the per-round lines (logged at DEBUG on ``dask_variants._search_engine``).
    prefix : str, default=""
        Shown in the per-round lines.
    scores_per_fit : int or None, default=None
        Deprecated spelling of ``fits_per_score``.
    predict_meta, predict_proba_meta, transform_meta : default=None
        As for :class:`dask_variants.wrappers.ParallelPostFit`.

    Attributes
    ----------
    cv_results_ : dict of numpy arrays
        ``mean_partial_fit_time``, ``mean_score_time``, ``std_partial_fit_time``,
        ``std_score_time``, ``test_score`` (last score), ``rank_test_score``,
        ``model_id``, ``partial_fit_calls``, ``params`` and ``param_<name>``.
    history_ : list of dict
        One record per scoring: ``model_id``, ``params``, ``partial_fit_calls``,
        ``partial_fit_time``, ``score``, ``score_time``, ``elapsed_wall_time``.
    model_history_ : dict
        ``history_`` grouped by ``model_id``.
    best_estimator_, best_score_, best_params_, best_index_, scorer_, n_splits_, \
multimetric_
        As in dask-ml.

    Examples
    --------
    >>> from sklearn.linear_model import SGDClassifier
    >>> from dask_variants.datasets import make_classification
    >>> from dask_variants.model_selection import IncrementalSearchCV
    >>> X, y = make_classification(n_samples=400, chunks=100, random_state=0)
    >>> search = IncrementalSearchCV(SGDClassifier(random_state=0),
    ...                              {{"alpha": [1e-4, 1e-2]}}, n_initial_parameters="grid",
    ...                              max_iter=3, random_state=0).fit(X, y)
    >>> sorted(search.cv_results_["partial_fit_calls"])
    [3, 3]
    """

    def __init__(self, estimator, parameters, n_initial_parameters=10, decay_rate=None,
                 test_size=None, patience=False, tol=0.001, fits_per_score=1, max_iter=100,
                 random_state=None, scoring=None, verbose=False, prefix="",
                 scores_per_fit=None, predict_meta=None, predict_proba_meta=None,
                 transform_meta=None):
        self.estimator = estimator
        self.parameters = parameters
        self.n_initial_parameters = n_initial_parameters
        self.decay_rate = decay_rate
        self.test_size = test_size
        self.patience = patience
        self.tol = tol
        self.fits_per_score = fits_per_score
        self.max_iter = max_iter
        self.random_state = random_state
        self.scoring = scoring
        self.verbose = verbose
        self.prefix = prefix
        self.scores_per_fit = scores_per_fit
        self.predict_meta = predict_meta
        self.predict_proba_meta = predict_proba_meta
        self.transform_meta = transform_meta

    def _fits_per_score(self):
        if self.scores_per_fit is not None:
            if self.fits_per_score != 1:
                raise ValueError(
                    f"{self._name()}: got scores_per_fit={self.scores_per_fit!r} and "
                    f"fits_per_score={self.fits_per_score!r}. Specify fits_per_score, "
                    "not scores_per_fit."
                )
            return self.scores_per_fit
        return self.fits_per_score

    def _check_fits_per_score(self):
        fps = self._fits_per_score()
        if not isinstance(fps, numbers.Integral) or isinstance(fps, bool) or fps < 1:
            raise ValueError(
                f"{self._name()}: fits_per_score must be a whole number >= 1, got "
                f"{fps!r}. Set e.g. fits_per_score=1."
            )
        return fps

    def _arms(self):
        self._check_max_iter()
        fps = self._check_fits_per_score()
        if self.decay_rate is not None:
            warnings.warn(
                f"{self._name()} ignores decay_rate={self.decay_rate!r} (deprecated in "
                "dask-ml). Use InverseDecaySearchCV(decay_rate=...) to decay the number "
                "of models, or drop decay_rate to silence this warning.",
                SearchWarning, stacklevel=4,
            )
        settings = self._sample(self.n_initial_parameters, self.random_state)
        rule = _adaptive.FixedRule(fits_per_score=fps, max_iter=self.max_iter,
                                   patience=self.patience, tol=self.tol)
        return [self._arm("", settings, rule)]


class InverseDecaySearchCV(IncrementalSearchCV):
    __doc__ = f"""Train sampled settings incrementally, keeping the best
    ``1 / (1 + t) ** decay_rate`` of them after ``t`` calls.

    dask-ml's class; see :class:`IncrementalSearchCV` for how it runs and for the
    parameters and attributes it shares.

    Parameters
    ----------{_DOC_COMMON}
    n_initial_parameters, test_size, patience, tol, fits_per_score, max_iter, \
random_state, scoring, verbose, prefix
        As for :class:`IncrementalSearchCV`.
    decay_rate : float, default=1.0
        How fast the number of models decreases.
    """

    def __init__(self, estimator, parameters, n_initial_parameters=10, test_size=None,
                 patience=False, tol=0.001, fits_per_score=1, max_iter=100,
                 random_state=None, scoring=None, verbose=False, prefix="", decay_rate=1.0):
        self.estimator = estimator
        self.parameters = parameters
        self.n_initial_parameters = n_initial_parameters
        self.test_size = test_size
        self.patience = patience
        self.tol = tol
        self.fits_per_score = fits_per_score
        self.max_iter = max_iter
        self.random_state = random_state
        self.scoring = scoring
        self.verbose = verbose
        self.prefix = prefix
        self.decay_rate = decay_rate

    scores_per_fit = None

    def _arms(self):
        self._check_max_iter()
        fps = self._check_fits_per_score()
        rate = self.decay_rate
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or rate < 0:
            raise ValueError(
                f"{self._name()}: decay_rate must be a number >= 0, got {rate!r}. Set "
                "e.g. decay_rate=1.0."
            )
        settings = self._sample(self.n_initial_parameters, self.random_state)
        rule = _adaptive.InverseDecayRule(
            n_models=len(settings), decay_rate=rate, fits_per_score=fps,
            max_iter=self.max_iter, patience=self.patience, tol=self.tol)
        return [self._arm("", settings, rule)]


class SuccessiveHalvingSearchCV(IncrementalSearchCV):
    __doc__ = f"""Train ``n_initial_parameters`` settings for ``n_initial_iter`` calls,
    keep the best ``1 / aggressiveness``, train them ``aggressiveness`` times longer,
    and repeat.

    dask-ml's class; see :class:`IncrementalSearchCV` for how it runs and for the
    parameters and attributes it shares.

    Parameters
    ----------{_DOC_COMMON}
    n_initial_parameters : int, default=10
    n_initial_iter : int
        ``partial_fit`` calls before the first decision (required).
    max_iter : int or None, default=None
        Most calls any model gets; ``None`` runs until about one model is left.
    aggressiveness : float, default=3
        Must be > 1.
    test_size, patience, tol, random_state, scoring, verbose, prefix
        As for :class:`IncrementalSearchCV`.

    Attributes
    ----------
    metadata, metadata_ : dict
        ``n_models``, ``partial_fit_calls`` and ``max_iter``: planned (``metadata``) and
        done (``metadata_``, after ``fit``; fewer calls with ``patience``).
    """

    def __init__(self, estimator, parameters, n_initial_parameters=10, n_initial_iter=None,
                 max_iter=None, aggressiveness=3, test_size=None, patience=False, tol=1e-3,
                 random_state=None, scoring=None, verbose=False, prefix=""):
        self.estimator = estimator
        self.parameters = parameters
        self.n_initial_parameters = n_initial_parameters
        self.n_initial_iter = n_initial_iter
        self.max_iter = max_iter
        self.aggressiveness = aggressiveness
        self.test_size = test_size
        self.patience = patience
        self.tol = tol
        self.random_state = random_state
        self.scoring = scoring
        self.verbose = verbose
        self.prefix = prefix

    fits_per_score = 1
    decay_rate = None

    def _check_initial_iter(self):
        r = self.n_initial_iter
        if not isinstance(r, numbers.Integral) or isinstance(r, bool) or r < 1:
            raise ValueError(
                f"{self._name()}: n_initial_iter must be a whole number >= 1 (the "
                f"partial_fit calls before the first decision), got {r!r}. Set e.g. "
                "n_initial_iter=3."
            )

    def _arms(self):
        self._check_max_iter(allow_none=True)
        self._check_aggressiveness()
        self._check_initial_iter()
        if self.n_initial_parameters == "grid":
            raise ValueError(
                f"{self._name()}: n_initial_parameters must be a number of settings, "
                "got 'grid'. Set e.g. n_initial_parameters=10."
            )
        settings = self._sample(self.n_initial_parameters, self.random_state)
        rule = _adaptive.HalvingRule(
            n_models=self.n_initial_parameters, n_initial_iter=self.n_initial_iter,
            aggressiveness=self.aggressiveness, max_iter=self.max_iter,
            patience=self.patience, tol=self.tol)
        return [self._arm("", settings, rule)]

    @property
    def metadata(self):
        """The planned computation: ``n_models``, ``partial_fit_calls``, ``max_iter``."""
        self._check_initial_iter()
        self._check_aggressiveness()
        total, most = _adaptive.simulate_halving(
            self.n_initial_parameters, self.n_initial_iter, self.aggressiveness,
            max_iter=self.max_iter)
        return {"partial_fit_calls": total, "n_models": self.n_initial_parameters,
                "max_iter": most}

    @property
    def metadata_(self):
        """The computation done by ``fit``: ``n_models``, ``partial_fit_calls``,
        ``max_iter``."""
        if "model_history_" not in self.__dict__:
            raise NotFittedError(
                f"This {self._name()} instance is not fitted yet: metadata_ describes "
                "what fit did. Call fit first, or read metadata for the plan."
            )
        calls = [h[-1]["partial_fit_calls"] for h in self.model_history_.values()]
        return {"partial_fit_calls": sum(calls), "n_models": self.n_initial_parameters,
                "max_iter": max(calls)}
