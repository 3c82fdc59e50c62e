"""HyperbandSearchCV: successive halving brackets run side by side on one scan."""
import numbers
import warnings

import numpy as np
from sklearn.utils import check_random_state

from ..exceptions import SearchWarning
from . import _adaptive
from ._incremental_search import SuccessiveHalvingSearchCV
from ._search_base import _DOC_COMMON, BaseIncrementalSearchCV
from ._search_results import by_model, cv_results as _cv_results

__all__ = ["HyperbandSearchCV"]


class HyperbandSearchCV(BaseIncrementalSearchCV):
    __doc__ = f"""Find good parameters with Hyperband: successive halving brackets,
    from many models trained briefly to few trained for ``max_iter`` calls.

    dask-ml's class, with its parameters, attributes and bracket plan (Li et al. 2016):
    ``max_iter`` 3 / 9 / 27 / 81 gives 5 / 17 / 49 / 143 models and
    11 / 69 / 357 / 1581 ``partial_fit`` calls; one call is ``partial_fit`` on one row
    block. Runs on any dask scheduler (no ``distributed.Client`` needed); with one, each
    call runs on the worker that holds its block. All the brackets share one scan:
    each position (every model's ``j``-th call reads the same block) is loaded once
    for every model of every bracket.

    Parameters
    ----------{_DOC_COMMON}
    max_iter : int, default=81
        The most ``partial_fit`` calls any model gets (>= 1).
    aggressiveness : float, default=3
        How much each decision culls and lengthens training (> 1).
    patience : int or bool, default=False
        Stop models whose score did not improve by ``tol`` in ``patience`` calls;
        ``True`` picks ``max_iter // aggressiveness``.
    tol : float, default=0.001
    test_size : float or int, default=None
        Rows held out of every block for scoring; ``None`` means
        ``min(0.2, 1 / n_blocks)``.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling of every bracket (as dask-ml does), the held-out rows and
        the block order: the same seed gives the same ``cv_results_`` and best model
        on every scheduler.
    scoring : str, callable or None, default=None
    verbose : bool or float, default=False
    prefix : str, default=""
    predict_meta, predict_proba_meta, transform_meta : default=None
        As for :class:`dask_variants.wrappers.ParallelPostFit`.

    Attributes
    ----------
    metadata, metadata_ : dict
        ``n_models``, ``partial_fit_calls`` and ``brackets`` (each with ``bracket``,
        ``n_models``, ``partial_fit_calls``, ``decisions`` and
        ``"SuccessiveHalvingSearchCV params"``): planned, and done by ``fit``.
    cv_results_ : dict of numpy arrays
        As :class:`IncrementalSearchCV`'s, plus ``bracket``; ``model_id`` is
        ``"bracket=<b>-<i>"``.
    history_, model_history_, best_estimator_, best_score_, best_params_, \
best_index_, scorer_, n_splits_, multimetric_
        As in dask-ml.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import SGDClassifier
    >>> from dask_variants.datasets import make_classification
    >>> from dask_variants.model_selection import HyperbandSearchCV
    >>> X, y = make_classification(n_samples=400, chunks=50, random_state=0)
    >>> search = HyperbandSearchCV(SGDClassifier(random_state=0),
    ...                            {{"alpha": np.logspace(-4, 0, 20)}}, max_iter=9,
    ...                            random_state=0).fit(X, y)
    >>> search.metadata_["n_models"], search.metadata_["partial_fit_calls"]
    (17, 69)
    """

    def __init__(self, estimator, parameters, max_iter=81, aggressiveness=3, patience=False,
                 tol=1e-3, test_size=None, random_state=None, scoring=None, verbose=False,
                 prefix="", predict_meta=None, predict_proba_meta=None, transform_meta=None):
        self.estimator = estimator
        self.parameters = parameters
        self.max_iter = max_iter
        self.aggressiveness = aggressiveness
        self.patience = patience
        self.tol = tol
        self.test_size = test_size
        self.random_state = random_state
        self.scoring = scoring
        self.verbose = verbose
        self.prefix = prefix
        self.predict_meta = predict_meta
        self.predict_proba_meta = predict_proba_meta
        self.transform_meta = transform_meta

    def _check_plan(self):
        self._check_max_iter()
        self._check_aggressiveness()
        patience = self.patience
        if not isinstance(patience, numbers.Integral):
            _adaptive.check_patience(self._name(), patience)

    def _patience(self):
        self._check_plan()
        patience = self.patience
        floor = max(self.max_iter // self.aggressiveness, 1)
        if not isinstance(patience, bool) and patience < floor:
            if self.tol is not None and not np.isnan(self.tol):
                warnings.warn(
                    f"{self._name()}: patience={patience!r} is below max_iter // "
                    f"aggressiveness = {floor!r}. The goal of `patience` is to stop "
                    "training estimators that have already converged *when few "
                    "estimators remain*; Hyperband already culls models, so patience "
                    f"should be large. Set patience=True, patience >= {floor}, or "
                    "tol=None to silence this warning.", SearchWarning, stacklevel=5,
                )
        return _adaptive.hyperband_patience(patience, self.max_iter, self.aggressiveness)

    def _halvings(self):
        """``{bracket: SuccessiveHalvingSearchCV}``, most adaptive bracket first."""
        self._check_plan()
        patience = _adaptive.hyperband_patience(self.patience, self.max_iter,
                                                self.aggressiveness)
        seed = check_random_state(self.random_state).randint(2**31)
        out = {}
        for b, (n, r) in _adaptive.hyperband_brackets(self.max_iter,
                                                      self.aggressiveness).items():
            out[b] = SuccessiveHalvingSearchCV(
                self.estimator, self.parameters, n_initial_parameters=n,
                aggressiveness=self.aggressiveness, max_iter=self.max_iter,
                n_initial_iter=r, patience=patience, tol=self.tol,
                test_size=self.test_size,
                random_state=seed + b if b != 0 else self.random_state,
                scoring=self.scoring, verbose=self.verbose,
                prefix=f"{self.prefix}, bracket={b}",
            )
        return out

    def _arms(self):
        self._plan = halvings = self._halvings()
        arms = []
        for b, sha in halvings.items():
            settings = sha._sample(sha.n_initial_parameters, sha.random_state)
            rule = _adaptive.HalvingRule(
                n_models=sha.n_initial_parameters, n_initial_iter=sha.n_initial_iter,
                aggressiveness=sha.aggressiveness, max_iter=sha.max_iter,
                patience=sha.patience, tol=sha.tol)
            ids = [f"bracket={b}-{i}" for i in range(len(settings))]
            arm = self._arm(b, settings, rule, ids=ids)
            arms.append(arm)
        return arms

    def _set_results(self, arms, best, log, scorer):
        for arm in arms:
            for record in arm.records:
                record["bracket"] = arm.name
        per_arm = {arm.name: by_model(arm.records) for arm in arms}
        model_history = {m: h for arm in arms for m, h in per_arm[arm.name].items()}
        cv_results = _cv_results(model_history)
        scores = {arm.name: arm.history[arm.best][-1]["score"] for arm in arms}
        best_arm = max(scores, key=scores.get)
        i = next(i for i, arm in enumerate(arms) if arm.name == best_arm)
        best_id = arms[i].best
        best_index = int(np.flatnonzero(cv_results["model_id"] == best_id)[0])
        top = max(arm.name for arm in arms)
        brackets = []
        for arm in sorted(arms, key=lambda a: a.name):
            hist = per_arm[arm.name]
            calls = [max(r["partial_fit_calls"] for r in h) for h in hist.values()]
            decisions = {r["partial_fit_calls"] for h in hist.values() for r in h}
            if arm.name != top:
                decisions.discard(1)
            brackets.append({
                "decisions": sorted(decisions), "n_models": len(hist),
                "bracket": arm.name, "partial_fit_calls": sum(calls),
                "SuccessiveHalvingSearchCV params": _sha_params(self._plan[arm.name]),
            })
        self.metadata_ = {
            "n_models": sum(b["n_models"] for b in brackets),
            "partial_fit_calls": sum(b["partial_fit_calls"] for b in brackets),
            "brackets": brackets,
        }
        self.cv_results_ = cv_results
        self.scorer_ = scorer
        self.history_ = log
        self.model_history_ = model_history
        self.best_estimator_ = best[i, best_id]
        self.best_index_ = best_index
        self.best_score_ = scores[best_arm]
        self.best_params_ = cv_results["params"][best_index]
        self.n_splits_ = 1
        self.multimetric_ = False
        self._SuccessiveHalvings_ = self.__dict__.pop("_plan")

    def _planned_calls(self, arms):
        return self.metadata["partial_fit_calls"]

    @property
    def metadata(self):
        """The planned computation: ``n_models``, ``partial_fit_calls``, ``brackets``."""
        plan = _adaptive.hyperband_plan(self.max_iter, self.aggressiveness)
        halvings = self._halvings()
        for bracket in plan:
            bracket["SuccessiveHalvingSearchCV params"] = _sha_params(
                halvings[bracket["bracket"]])
        return {"partial_fit_calls": sum(b["partial_fit_calls"] for b in plan),
                "n_models": sum(b["n_models"] for b in plan), "brackets": plan}


def _sha_params(sha):
    return {k: v for k, v in sha.get_params(deep=False).items()
            if k not in ("estimator", "parameters")}
