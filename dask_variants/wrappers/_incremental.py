"""Incremental: stream the row blocks of a dask input through ``partial_fit``."""

import copy
import inspect

import dask.array as da
import numpy as np
from sklearn.base import clone
from sklearn.utils.multiclass import unique_labels

from ..engine import _fit
from ..engine._prepare import prepare_stream
from ..blocks import _blocks
from ..blocks._checks import check_params, check_target
from ._postfit import ParallelPostFit, _estimator_has, available_if

__all__ = ["Incremental"]


class Incremental(ParallelPostFit):
    """Fit an estimator on dask input by streaming its row blocks through ``partial_fit``.

    The dask-ml wrapper of the same name, built on ``dask_variants``. ``fit`` clones
    the estimator and makes one pass over the row blocks of ``X`` (and ``y``, and any
    per-row fit argument), calling ``partial_fit`` on each block in turn; only a few
    blocks are in memory at a time. ``partial_fit`` makes one more pass and keeps what
    was learned, so ``for _ in range(n): inc.partial_fit(X, y)`` trains for ``n``
    epochs. On NumPy or pandas input both make one ``partial_fit`` call. Post-fit
    methods and ``score`` are lazy / blockwise as in :class:`ParallelPostFit`.

    Parameters
    ----------
    estimator : estimator object
        An estimator with ``partial_fit``. Arguments its ``partial_fit`` needs
        (``classes=`` for classifiers) are passed to ``fit``; ``classes`` is computed
        from ``y`` (one pass) when not given.
    scoring : str, callable, list, tuple, dict or None, default=None
        As in :class:`ParallelPostFit`.
    shuffle_blocks : bool, default=True
        Visit the blocks of each pass in a random order.
    random_state : int, RandomState instance or None, default=None
        Seeds the block order when ``shuffle_blocks`` is True (not the estimator's
        own randomness, which its ``random_state`` controls).
    assume_equal_chunks : bool, default=True
        When the row-block sizes of a dask array ``X`` or ``y`` are unknown (nan),
        pair their blocks by position. ``False`` computes the sizes first
        (``compute_chunk_sizes``), so that ``y`` can be rechunked to ``X``'s blocks.
    predict_meta, predict_proba_meta, transform_meta : default=None
        As in :class:`ParallelPostFit`.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``; its learned attributes are forwarded
        (``inc.coef_``).

    See Also
    --------
    dask_variants.incremental : the same streaming fit as classes (``epochs`` too).

    Examples
    --------
    >>> from sklearn.linear_model import SGDClassifier
    >>> from dask_variants.datasets import make_classification
    >>> from dask_variants.wrappers import Incremental
    >>> X, y = make_classification(n_samples=100, chunks=25, random_state=0)
    >>> clf = Incremental(SGDClassifier(random_state=0), random_state=0)
    >>> clf.fit(X, y, classes=[0, 1]).coef_.shape
    (1, 20)
    """

    def __init__(
        self,
        estimator,
        scoring=None,
        shuffle_blocks=True,
        random_state=None,
        assume_equal_chunks=True,
        predict_meta=None,
        predict_proba_meta=None,
        transform_meta=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.shuffle_blocks = shuffle_blocks
        self.random_state = random_state
        self.assume_equal_chunks = assume_equal_chunks
        self.predict_meta = predict_meta
        self.predict_proba_meta = predict_proba_meta
        self.transform_meta = transform_meta

    def _check_estimator(self, method):
        if not hasattr(self.estimator, "partial_fit"):
            name = type(self.estimator).__name__
            raise TypeError(
                f"Incremental.{method} needs an estimator with partial_fit, and "
                f"{self.estimator!r} has none. Use ParallelPostFit({name}(...)) to fit "
                f"in memory, dask_variants.iid.{name} to fit on a sample of blocks, or "
                "an estimator with partial_fit (see dir(dask_variants.incremental))."
            )
        if not isinstance(self.shuffle_blocks, (bool, np.bool_)):
            raise ValueError(
                f"Incremental: shuffle_blocks must be True or False, got "
                f"{self.shuffle_blocks!r}."
            )
        self._get_scorer()

    def fit(self, X, y=None, **fit_params):
        """Fit a clone of the estimator with one pass of ``partial_fit`` over the blocks.

        Parameters
        ----------
        X : {array-like, dask array, dask DataFrame} of shape (n_samples, n_features)
        y : {array-like, dask array, dask Series} of shape (n_samples,) or None
            Aligned with ``X``'s row blocks.
        **fit_params : dict
            Passed to every ``partial_fit`` call: dask collections (and an in-memory
            ``sample_weight``) block by block, anything else (``classes``) unchanged.

        Returns
        -------
        self : Incremental

        Raises
        ------
        TypeError
            If the estimator has no ``partial_fit``, or its ``partial_fit`` does not
            take one of ``fit_params``.
        """
        self._check_estimator("fit")
        est = clone(self.estimator)
        self._partial_fit_into(est, X, y, fit_params, "fit")
        self.estimator_ = est
        return self

    def partial_fit(self, X, y=None, **fit_params):
        """Make one more pass of ``partial_fit`` over the blocks, keeping what was learned.

        The first call starts from a clone of ``estimator``. On dask input the fitted
        estimator is left unchanged when a block fails (the error names the block).

        Returns
        -------
        self : Incremental
        """
        self._check_estimator("partial_fit")
        est = self.__dict__.get("estimator_")
        if est is None:
            est = clone(self.estimator)
        elif _blocks.any_dask(X, y, fit_params):
            est = copy.deepcopy(est)
        self._partial_fit_into(est, X, y, fit_params, "partial_fit")
        self.estimator_ = est
        return self

    @available_if(_estimator_has("fit_transform"))
    def fit_transform(self, X, y=None, **fit_params):
        """:meth:`fit` (streaming on dask input), then :meth:`transform` (lazy on dask)."""
        return self._fit_then(X, y, fit_params, "transform")

    @available_if(_estimator_has("fit_predict"))
    def fit_predict(self, X, y=None, **fit_params):
        """:meth:`fit` (streaming on dask input), then :meth:`predict` (lazy on dask)."""
        return self._fit_then(X, y, fit_params, "predict")

    def _partial_fit_into(self, est, X, y, params, method):
        """Update ``est`` with ``partial_fit``: once in memory, block by block on dask."""
        if not _blocks.any_dask(X, y, params):
            if self._needs_classes(est, params):
                # scikit-learn's own target checks: unknown label types, y=None
                params = {**params, "classes": unique_labels(y)}
            est.partial_fit(X, y, **params)
            return
        check_params(est)  # scikit-learn's error, before any block is loaded
        if not self.assume_equal_chunks:
            X, y = _with_chunk_sizes(X), _with_chunk_sizes(y)
        X, y, per_row, static = prepare_stream(self, est, X, y, params, method, fresh=False)
        # a continuous y: once, on the computed classes or the first block fitted
        check_y = check_target(est, y, params, static)
        # as the variants: estimators whose block states merge exactly (scalers, naive
        # Bayes) fit their blocks in parallel; the others stream in order
        _fit.fit(
            est, X, y, per_row, static,
            passes=1,
            shuffle=bool(self.shuffle_blocks),
            random_state=self.random_state,
            method=method,
            check_y=check_y,
        )


    @staticmethod
    def _needs_classes(est, params):
        """True when ``est`` is a classifier starting to learn without ``classes``."""
        return (
            "classes" in inspect.signature(est.partial_fit).parameters
            and params.get("classes") is None
            and getattr(est, "classes_", None) is None
        )


def _with_chunk_sizes(a):
    """``a`` with its row-block sizes known (computed for a dask array where nan)."""
    if isinstance(a, da.Array) and not _blocks.known(a.chunks[0]):
        return a.copy().compute_chunk_sizes()
    return a
