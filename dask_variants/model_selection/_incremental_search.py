"""IncrementalSearchCV, InverseDecaySearchCV and SuccessiveHalvingSearchCV.

dask-ml's classes with its parameters, attributes and decisions
(:mod:`._adaptive`), on the engine of :mod:`._search_base`.
"""
import numbers
import warnings

from sklearn.exceptions import NotFittedError

from ..exceptions import SearchWarning
from ..blocks._checks import is_whole
from . import _adaptive
from ._search_base import _DOC_COMMON, BaseIncrementalSearchCV

__all__ = [
    "IncrementalSearchCV",
    "InverseDecaySearchCV",
    "SuccessiveHalvingSearchCV",
]


class IncrementalSearchCV(BaseIncrementalSearchCV):
    __doc__ = f"""Train sampled parameter settings incrementally, all to ``max_iter``
    calls unless ``patience`` stops them.

    dask-ml's class with the same parameters and attributes. One unit of ``max_iter``
    is one ``partial_fit`` call on one row block. Runs on any dask scheduler (no
    ``distributed.Client`` needed); with one, every call runs on the worker holding
    its block. Every model's ``j``-th call reads the same block, loaded once for all.

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
        ``min(0.2, 1 / n_blocks)`` of them, as in dask-ml. A share of a DataFrame is
        taken from each partition (``ceil(test_size * rows)`` rows), so its lengths
        need not be counted first.
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
        Print the per-round lines (logged at DEBUG on ``dask_variants.engine._search``).
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
        if not is_whole(fps):
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
        start = len(settings) if self.n_initial_parameters == "grid" else \
            self.n_initial_parameters  # dask-ml's count, even if sampling gave fewer
        rule = _adaptive.InverseDecayRule(
            n_models=start, decay_rate=rate, fits_per_score=fps,
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
        if not is_whole(r):
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

    def _planned_calls(self, arms):
        return self.metadata["partial_fit_calls"]

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
