"""ParallelPostFit: fit as scikit-learn does, run every post-fit method blockwise."""
import copy
import warnings

import dask
import dask.array as da
import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import _AvailableIfDescriptor
from ..exceptions import EagerComputeWarning
from ..mixins.blockwise import ROW_METHODS
from ..blocks import _apply, _blocks, _rows
from ..blocks._rules import score_plan
from ..blocks._checks import check_columns, check_dask_X

__all__ = ["ParallelPostFit"]

#: post-fit method -> the constructor parameter holding its output meta
_META_PARAMS = {
    "predict": "predict_meta",
    "predict_proba": "predict_proba_meta",
    "transform": "transform_meta",
}


def _is_fitted(est):
    try:
        check_is_fitted(est)
    except (NotFittedError, TypeError):
        return False
    return True


def _estimator_has(name, fitted="estimator_"):
    """``available_if`` check: the fitted estimator, else the given one, has ``name``.

    The fitted one is the attribute ``fitted`` (``estimator_`` for the wrappers,
    ``best_estimator_`` for the searches), the given one ``estimator``. When it has
    not, the check raises an ``AttributeError`` saying so, as dask-ml's wrappers do
    ("The wrapped estimator ... does not have a 'predict_proba' method"), with the
    estimator's own reason where scikit-learn gives one.
    """

    def check(self):
        est = self.__dict__.get(fitted, self.estimator)
        try:
            getattr(est, name)
        except AttributeError as err:
            reason = err.__cause__
        else:
            return True
        msg = f"The wrapped estimator {est!r} does not have a {name!r} method"
        if reason is None:
            raise AttributeError(msg + ".")
        raise AttributeError(f"{msg}: {reason}") from reason

    return check


def _static(cls, name):
    """``name`` as defined on ``cls`` or a base, without invoking descriptors."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


class _AvailableIfWithReason(_AvailableIfDescriptor):
    """``available_if`` whose error message also says why the method is missing."""

    def _check(self, obj, owner):
        try:
            super()._check(obj, owner)
        except AttributeError as err:
            reason, message = err.__cause__, str(err)
        else:
            return
        if reason is None:
            raise AttributeError(message)
        raise AttributeError(f"{message}. {reason}") from reason


def available_if(check):
    """scikit-learn's ``available_if``, with the check's reason in the message."""
    return lambda fn: _AvailableIfWithReason(fn, check, attribute_name=fn.__name__)


def _conform_block(block, dtype):
    return block.astype(dtype, copy=False) if block.dtype != dtype else block


def _conform_partition(part, meta):
    import pandas as pd

    if isinstance(meta, pd.Series):
        return part.astype(meta.dtype).rename(meta.name)
    out = part.copy()
    out.columns = meta.columns
    return out.astype(dict(meta.dtypes))


def _with_meta(out, meta, owner):
    """Return the lazy output ``out`` with the user's ``meta`` (dtype and labels)."""
    if meta is None or not _blocks.is_dask(out):
        return out
    if isinstance(meta, np.ndarray) and not isinstance(out, da.Array):
        # a NumPy meta asks for an array, as in dask-ml, even from a DataFrame input
        out = out.to_dask_array()
    if isinstance(out, da.Array):
        dtype = getattr(meta, "dtype", None)
        if dtype is None:  # a pandas DataFrame meta on array output: its one dtype
            dtypes = set(getattr(meta, "dtypes", []))
            dtype = dtypes.pop() if len(dtypes) == 1 else None
        if dtype is None:
            raise TypeError(
                f"{owner}: cannot take the output dtype from meta={meta!r}. Pass an "
                "empty NumPy array of the output dtype, e.g. np.array([], dtype=int)."
            )
        if isinstance(meta, np.ndarray) and meta.ndim == out.ndim:
            meta_arr = meta
        else:
            meta_arr = np.empty((0,) * out.ndim, dtype=dtype)
        return out.map_blocks(_conform_block, np.dtype(dtype), dtype=dtype, meta=meta_arr)
    if hasattr(meta, "iloc"):  # pandas meta on a dask Series/DataFrame
        return out.map_partitions(_conform_partition, meta, meta=meta)
    dtype = getattr(meta, "dtype", None)
    if dtype is None:
        raise TypeError(
            f"{owner}: cannot use meta={meta!r} for a dask DataFrame/Series output. "
            "Pass an empty pandas Series/DataFrame or NumPy array of the output dtype."
        )
    return out.astype(dtype)


def _post_fit_method(name):
    """Build the wrapper's method ``name``: scikit-learn's on memory, lazy on dask."""

    def method(self, X, **params):
        est = self._postfit_estimator()
        if not _blocks.is_dask(X):
            return getattr(est, name)(X, **params)
        X = check_dask_X(self, X, name)
        if name != "inverse_transform":  # its input has the output's columns
            check_columns(est, X)
        out = _apply.apply_rows(est, name, X, params, owner=f"{type(self).__name__}.{name}")
        meta_param = _META_PARAMS.get(name)
        if meta_param is not None:
            out = _with_meta(out, getattr(self, meta_param), f"{type(self).__name__}.{name}")
        return out

    method.__name__ = name
    method.__qualname__ = f"ParallelPostFit.{name}"
    method.__doc__ = f"""Call the fitted estimator's ``{name}``, block by block on dask input.

        Present only when the wrapped estimator has ``{name}``.

        Parameters
        ----------
        X : {{array-like, sparse matrix, dask array, dask DataFrame}}
            Rows to process. On NumPy, pandas or SciPy input this is exactly the
            wrapped estimator's ``{name}``.
        **params : dict
            Passed to the wrapped estimator's ``{name}`` (on every block).

        Returns
        -------
        result : same container as ``X``
            On a dask array, a lazy dask array with one task per row block; on a dask
            DataFrame, a lazy dask DataFrame or Series with ``X``'s index. Nothing is
            computed; dtype and width come from the fitted attributes.
        """
    return available_if(_estimator_has(name))(method)


class ParallelPostFit(MetaEstimatorMixin, BaseEstimator):
    """Fit an estimator as usual; run its post-fit methods in parallel on dask input.

    The dask-ml wrapper of the same name, built on ``dask_variants``: ``fit`` is the
    wrapped estimator's own ``fit`` (meant for data that fit in memory, e.g. a sample),
    and every post-fit method the estimator has (``predict``, ``predict_proba``,
    ``predict_log_proba``, ``decision_function``, ``transform``, ``inverse_transform``,
    ``score_samples``, ...) returns a lazy dask collection, one task per row block, on
    dask input. ``score`` is computed blockwise.

    Parameters
    ----------
    estimator : estimator object
        Any object with the scikit-learn estimator API. Cloned by ``fit``; an estimator
        that is already fitted may be wrapped and used for prediction without ``fit``.
    scoring : str, callable, list, tuple, dict or None, default=None
        What :meth:`score` computes. ``None``: the estimator's default metric
        (accuracy, R^2; blockwise on dask input), or its own ``score``. A scorer name
        (see :func:`dask_variants.metrics.get_scorer_names` for those that run
        blockwise), a callable ``scorer(estimator, X, y)`` (it receives this wrapper,
        whose methods are lazy on dask input), or several names as a list, or a dict
        ``{key: name or callable}``: then :meth:`score` returns a dict, computed in one
        pass over the blocks.
    predict_meta, predict_proba_meta, transform_meta : array-like, pandas object or None, \
default=None
        An empty object of the output's type and dtype. When given it is the meta (and
        dtype) of the lazy output of ``predict``, ``predict_proba`` and ``transform``:
        a NumPy meta gives a dask array (with unknown chunk sizes from a dask
        DataFrame input, as in dask-ml), a pandas meta a dask Series/DataFrame;
        when ``None`` the meta comes from the fitted attributes (``classes_``,
        ``n_features_in_``, ``get_feature_names_out``), never by computing a block.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``. Its learned attributes are reachable on the
        wrapper too: ``wrapper.coef_`` is ``wrapper.estimator_.coef_``.

    See Also
    --------
    Incremental : also fits on dask input, block by block, with ``partial_fit``.
    dask_variants.iid : classes whose ``fit`` trains on a sample of row blocks.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from dask_variants.datasets import make_classification
    >>> from dask_variants.wrappers import ParallelPostFit
    >>> X, y = make_classification(n_samples=100, chunks=25, random_state=0)
    >>> X_small, y_small = X[:50].compute(), y[:50].compute()
    >>> clf = ParallelPostFit(LogisticRegression()).fit(X_small, y_small)
    >>> clf.predict(X).chunks
    ((25, 25, 25, 25),)
    """

    def __init__(
        self,
        estimator,
        scoring=None,
        predict_meta=None,
        predict_proba_meta=None,
        transform_meta=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.predict_meta = predict_meta
        self.predict_proba_meta = predict_proba_meta
        self.transform_meta = transform_meta

    # ------------------------------------------------------------------ helpers

    def __getattr__(self, name):
        # Only reached when normal lookup fails: forward learned attributes (``coef_``).
        conditional = _static(type(self), name)
        if isinstance(conditional, _AvailableIfDescriptor):
            conditional._check(self, type(self))  # raises, saying why it is missing
        if name.startswith("_") or not name.endswith("_") or name == "estimator_":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        state = self.__dict__
        est = state.get("estimator_")
        if est is None and _is_fitted(state.get("estimator")):
            est = state["estimator"]
        if est is None:
            raise AttributeError(
                f"{type(self).__name__} has no attribute {name!r} yet: it is learned by "
                "fit. Call fit (or partial_fit) first."
            )
        try:
            return getattr(est, name)
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}: the fitted "
                f"{type(est).__name__} has no attribute {name!r} either."
            ) from None

    def __sklearn_is_fitted__(self):
        return "estimator_" in self.__dict__ or _is_fitted(self.estimator)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.input_tags = copy.deepcopy(inner.input_tags)
        tags.target_tags = copy.deepcopy(inner.target_tags)
        tags.classifier_tags = copy.deepcopy(inner.classifier_tags)
        tags.regressor_tags = copy.deepcopy(inner.regressor_tags)
        tags.transformer_tags = copy.deepcopy(inner.transformer_tags)
        tags.non_deterministic = inner.non_deterministic
        return tags

    def _postfit_estimator(self):
        """The fitted estimator: ``estimator_``, else an already fitted ``estimator``."""
        est = self.__dict__.get("estimator_")
        if est is not None:
            return est
        if _is_fitted(self.estimator):
            return self.estimator
        raise NotFittedError(
            f"This {type(self).__name__} instance is not fitted yet, and the wrapped "
            f"{type(self.estimator).__name__} is not fitted either. Call fit first, or "
            "wrap an already fitted estimator."
        )

    def _get_scorer(self):
        """The scorer ``scoring`` names, validated; ``None`` for the estimator's own."""
        if self.scoring is None:
            return None
        from ..metrics import check_scoring

        try:
            return check_scoring(self, self.scoring)
        except (ValueError, TypeError) as err:
            raise ValueError(
                f"{type(self).__name__}(scoring={self.scoring!r}) is not a valid "
                f"scoring: {err} Pass a scorer name such as 'accuracy' or 'r2', a "
                "callable scorer(estimator, X, y), or a list/dict of names."
            ) from err

    # --------------------------------------------------------------------- fit

    def fit(self, X, y=None, **fit_params):
        """Fit a clone of the wrapped estimator with its own ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed to the estimator's ``fit`` as scikit-learn would: a
            dask collection is computed into memory by scikit-learn. Use
            :class:`Incremental` (or a ``dask_variants.iid`` class) to fit on dask
            data without gathering it.
        y : array-like of shape (n_samples,) or None, default=None
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : ParallelPostFit
        """
        self._get_scorer()
        est = clone(self.estimator)
        est.fit(X, y, **fit_params)
        self.estimator_ = est
        return self

    @available_if(_estimator_has("partial_fit"))
    def partial_fit(self, X, y=None, **fit_params):
        """Call the estimator's ``partial_fit`` once, keeping what it learned before.

        Present only when the wrapped estimator has ``partial_fit``. The first call
        starts from a clone of ``estimator``. Use :class:`Incremental` to stream the
        blocks of a dask collection instead of gathering them.

        Returns
        -------
        self : ParallelPostFit
        """
        self._get_scorer()
        est = self.__dict__.get("estimator_")
        if est is None:
            est = clone(self.estimator)
        est.partial_fit(X, y, **fit_params)
        self.estimator_ = est
        return self

    @available_if(_estimator_has("fit_transform"))
    def fit_transform(self, X, y=None, **fit_params):
        """Fit, then transform ``X``: the estimator's ``fit_transform`` in memory.

        On a dask ``X``: :meth:`fit`, then the lazy blockwise :meth:`transform`.
        """
        if _blocks.is_dask(X):
            return self._fit_then(X, y, fit_params, "transform")
        self._get_scorer()
        est = clone(self.estimator)
        out = est.fit_transform(X, y, **fit_params)
        self.estimator_ = est
        return out

    @available_if(_estimator_has("fit_predict"))
    def fit_predict(self, X, y=None, **fit_params):
        """Fit, then predict ``X``: the estimator's ``fit_predict`` in memory.

        On a dask ``X``: :meth:`fit`, then the lazy blockwise :meth:`predict`.
        """
        if _blocks.is_dask(X):
            return self._fit_then(X, y, fit_params, "predict")
        self._get_scorer()
        est = clone(self.estimator)
        out = est.fit_predict(X, y, **fit_params)
        self.estimator_ = est
        return out

    def _fit_then(self, X, y, fit_params, method):
        if not hasattr(self.estimator, method):
            raise TypeError(
                f"{type(self).__name__}.fit_{method} on a dask input fits, then calls "
                f"{method} block by block, and {type(self.estimator).__name__} has no "
                f"{method}. Compute X first (fit_{method}(X.compute()))."
            )
        self.fit(X, y, **fit_params)
        return getattr(self, method)(X)

    # ----------------------------------------------------------------- scoring

    def _has_score(self):
        return self.scoring is not None or _estimator_has("score")(self)  # raises why not

    @available_if(_has_score)
    def score(self, X, y=None, sample_weight=None, compute=True):
        """Score the fitted estimator on ``X``, ``y``, blockwise on dask input.

        Present when ``scoring`` is set or the wrapped estimator has ``score``.

        Parameters
        ----------
        X : {array-like, dask array, dask DataFrame} of shape (n_samples, n_features)
        y : {array-like, dask array, dask Series} of shape (n_samples,) or None
        sample_weight : array-like, dask collection or None, default=None
        compute : bool, default=True
            As in dask-ml: ``False`` returns, on dask input, the score as a lazy 0-d
            dask array (a dict of them for several metrics) wherever it is computed
            blockwise by a scorer (``scoring`` names, or the default accuracy / R^2).
            Scores computed otherwise (an estimator's own ``score``, a callable
            ``scoring``) are returned computed.

        Returns
        -------
        score : float, or dict of floats when ``scoring`` names several metrics
            With ``scoring=None`` it is the estimator's default metric (accuracy for
            classifiers, R^2 for regressors) computed blockwise in parallel, or, for an
            estimator with its own ``score``, that ``score`` summed or averaged over the
            blocks where it decomposes (and computed in memory, with an
            ``EagerComputeWarning``, where it does not).
        """
        from ..metrics._scorer import lazy_score

        est = self._postfit_estimator()
        weight = {} if sample_weight is None else {"sample_weight": sample_weight}
        scorer = self._get_scorer()
        if scorer is not None:
            if not compute:
                return lazy_score(scorer, self, X, y, sample_weight)
            return scorer(self, X, y, **weight)
        if not (_blocks.is_dask(X) or _blocks.is_dask(y) or _blocks.is_dask(sample_weight)):
            return est.score(X, y, **weight)
        owner = f"{type(self).__name__}.score"
        X = check_dask_X(self, X, "score")
        check_columns(est, X)
        X, y, aligned = _rows.align_all(X, y, {"sample_weight": sample_weight}, owner=owner)
        sample_weight = aligned["sample_weight"]
        plan = score_plan(type(est))
        if plan == "metric":
            from ..metrics import check_scoring

            if not compute:
                return lazy_score(check_scoring(est), self, X, y, sample_weight)
            return check_scoring(est)(self, X, y, sample_weight=sample_weight)
        if plan is not None:
            return _apply.reduce_scores(est, X, y, sample_weight, plan)
        warnings.warn(
            f"{type(est).__name__}.score has no blockwise form; {owner} computes X and y "
            "into memory to call it. Pass scoring= a blockwise scorer name to avoid "
            "this, or silence with warnings.filterwarnings('ignore', "
            "category=dask_variants.exceptions.EagerComputeWarning).",
            EagerComputeWarning,
            stacklevel=2,
        )
        X, y, sample_weight = dask.compute(X, y, sample_weight)
        weight = {} if sample_weight is None else {"sample_weight": sample_weight}
        return est.score(X, y, **weight)

    # ------------------------------------------------------- other delegations

    @available_if(_estimator_has("get_feature_names_out"))
    def get_feature_names_out(self, input_features=None):
        """Return the fitted estimator's output feature names."""
        return self._postfit_estimator().get_feature_names_out(input_features)

    @available_if(_estimator_has("set_output"))
    def set_output(self, *, transform=None):
        """Set the output container of ``transform`` on the wrapped estimator(s).

        ``transform="pandas"`` on a dask input gives a dask DataFrame, lazily.

        Returns
        -------
        self : ParallelPostFit
        """
        self.estimator.set_output(transform=transform)
        if "estimator_" in self.__dict__:
            self.estimator_.set_output(transform=transform)
        return self


for _name in ROW_METHODS:
    setattr(ParallelPostFit, _name, _post_fit_method(_name))
del _name
