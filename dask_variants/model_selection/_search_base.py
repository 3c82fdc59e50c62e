"""What dask-ml's incremental searches share: checks, the data split, the results.

:class:`BaseIncrementalSearchCV` validates everything before a block is loaded, splits
off the held-out rows with :func:`._holdout.hold_out`, hands the models to
:mod:`dask_variants.engine._search` (every model's ``j``-th ``partial_fit`` call is made
on the same block, so each position is loaded once for all the models) and turns
its records (:mod:`._search_results`) into dask-ml's ``cv_results_``, ``history_`` and
``best_*`` attributes.
"""
import contextlib
import functools
import logging
import numbers
import sys
import time
from collections.abc import Mapping, Sequence

import dask.array as da
import numpy as np

from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..engine import _search, _source
from ..mixins.blockwise import ROW_METHODS
from ..wrappers._postfit import _estimator_has
from ..engine._prepare import prepare_stream
from ..blocks import _blocks
from ..blocks._rules import score_plan
from ..blocks._checks import is_whole
from . import _adaptive
from ._holdout import hold_out
from ._search_results import by_model, cv_results as _cv_results

__all__ = []

#: post-fit methods forwarded to ``best_estimator_`` (lazily on dask input): every
#: row-to-row method a variant runs blockwise, so a search has each its best estimator has
_POST_FIT = ROW_METHODS


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
    return available_if(_estimator_has(name, fitted="best_estimator_"))(method)


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
                f"estimator={self.estimator!r} has none. Use an estimator with "
                "partial_fit (e.g. dask_variants.incremental.SGDClassifier), or "
                "scikit-learn's RandomizedSearchCV with cv=BlockKFold(...)."
            )

    def _check_max_iter(self, allow_none=False):
        max_iter = self.max_iter
        if max_iter is None and allow_none:
            return
        if not is_whole(max_iter):
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
        if not is_whole(n):
            raise ValueError(
                f"{self._name()}: n_initial_parameters must be a whole number >= 1 or "
                f"'grid', got {n!r}. Set e.g. n_initial_parameters=10."
            )
        return list(ParameterSampler(self.parameters, n, random_state=random_state))

    def _arm(self, name, settings, rule, ids=None):
        ids = list(range(len(settings))) if ids is None else ids
        models = {m: clone(self.estimator).set_params(**p) for m, p in zip(ids, settings)}
        return _search.Arm(name, models, dict(zip(ids, settings)), rule)

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
        if not _blocks.is_dask(X):
            X = np.asarray(X) if not hasattr(X, "iloc") else X.to_numpy()
            X = da.from_array(X, chunks=X.shape)
        X, y, per_row, static = prepare_stream(self, self.estimator, X, y, fit_params,
                                               "fit", fresh=True)
        n_blocks = _blocks.n_blocks(X)
        test_size = self.test_size if self.test_size is not None else min(0.2, 1 / n_blocks)
        arrays = [X] + ([] if y is None else [y]) + list(per_row.values())
        train, test = hold_out(arrays, test_size, self._split_state())
        X_train, X_test = train[0], test[0]
        y_train = None if y is None else train[1]
        y_test = None if y is None else test[1]
        per_row_train = dict(zip(per_row, train[2 if y is not None else 1:]))
        source = _source.Source(X_train, y_train, per_row_train)
        val = _search.Validation(X_test, y_test, functools.partial(
            _lazy_scores, scoring=self.scoring, X=X_test, y=y_test))
        order = _search.BlockOrder(source.n, self._split_state())
        for attr in self._fitted:
            self.__dict__.pop(attr, None)
        log = []
        with self._verbosity():
            best = _search.run(arms, source, val, static=static, owner=self,
                                      order=order, scorer=scorer, prefix=self.prefix,
                                      log=log, total=self._planned_calls(arms))
        for record in log:
            record.pop("_adapt", None)
        self._set_results(arms, best, log, scorer)
        return self

    def _planned_calls(self, arms):
        """The ``partial_fit`` calls the plan makes (for the progress bar), or at most."""
        return sum(len(arm.models) for arm in arms) * self.max_iter if self.max_iter else None

    def _split_state(self):
        return self.random_state

    @contextlib.contextmanager
    def _verbosity(self):
        """With ``verbose``, print the engine's per-round DEBUG lines to stdout."""
        if not self.verbose:
            yield
            return
        engine = logging.getLogger(_search.__name__)
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
        model_history = by_model(log)
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


def _lazy_scores(models, *, scoring, X, y):
    """Score ``models`` on the lazy validation rows: one pass over the blocks for all of
    them when the metric runs blockwise; ``[(score, seconds per model), ...]``."""
    from ..metrics import _scorer
    from ..metrics._inputs import evaluate
    from ..wrappers import ParallelPostFit

    t0 = time.perf_counter()
    wrapped = [ParallelPostFit(m) for m in models]
    if scoring is None and score_plan(type(models[0])) != "metric":
        scorer = None  # the estimator's own score, summed or averaged blockwise
    else:
        scorer = _scorer.check_scoring(models[0], scoring)
    if isinstance(scorer, _scorer._Scorer):
        scores = evaluate([scorer._pending(w, X, y, None, {}) for w in wrapped])
    elif scorer is None:
        scores = [w.score(X, y) for w in wrapped]
    else:
        scores = [scorer(w, X, y) for w in wrapped]
    each = (time.perf_counter() - t0) / len(models)
    return [(float(s), each) for s in scores]


_DOC_COMMON = """
    estimator : estimator object
        Cloned for every parameter setting. It must have ``partial_fit`` (scikit-learn's
        estimators, our ``dask_variants.incremental`` variants, or a third-party one)
        and, with ``scoring=None``, ``score``.
    parameters : dict or list of dict
        Parameter names (as ``estimator.get_params`` knows them) mapped to lists of
        values or distributions with an ``rvs`` method."""
