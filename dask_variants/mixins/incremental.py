"""Stream row blocks through ``partial_fit``."""
import copy
import numbers
import time

import numpy as np
from sklearn.base import clone

from ..blocks import _blocks, _labels, _vocabulary
from ..blocks._checks import check_params, check_target, is_whole
from .._variants._protocol import NOTHING, VariantMixinBase
from .._variants._synthesis import takes_extra_kwargs
from ..engine import _fit, _prepare
from .blockwise import BlockwisePredictMixin

__all__ = ["IncrementalMixin"]


class IncrementalMixin(VariantMixinBase):
    """Fit on a dask input by passing its row blocks, in turn, to ``partial_fit``.

    ``fit`` resets the estimator and makes ``epochs`` passes; ``partial_fit`` makes one
    pass and keeps what was learned. Other input goes to the scikit-learn methods.
    """

    _namespace = "dask_variants.incremental"
    _companions = (BlockwisePredictMixin,)
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` resets the estimator and streams the row
        blocks through scikit-learn's ``partial_fit``, ``epochs`` times, with a bounded
        number of blocks in memory; ``partial_fit`` makes one pass without resetting.
        Every post-fit method (``predict``, ``transform``, ...) runs lazily on every
        block in parallel. Encoders' categories are learned from every block before
        the first ``partial_fit``, as in the ``iid`` namespace."""
    _extra_params = {
        "epochs": 1,
        "shuffle_blocks": True,
        "holdout_blocks": None,
        "patience": 2,
        "min_improvement": 0.0,
    }
    _extra_docs = {
        "epochs": "Passes over the row blocks that ``fit`` makes (dask input only).",
        "shuffle_blocks": (
            "Visit the blocks of each pass in a random order drawn from the estimator's "
            "``random_state`` (dask input only)."
        ),
        "holdout_blocks": (
            "Early stopping for ``fit`` on dask input: a share (float in (0, 1)) or a "
            "number (int) of row blocks held out of training and scored with ``score`` "
            "after every epoch; ``None`` trains on every block for ``epochs`` passes. "
            "The held-out blocks are drawn from ``random_state`` when ``shuffle_blocks``, "
            "else they are the last blocks. ``history_`` lists every epoch's score, blocks "
            "seen and time."
        ),
        "patience": (
            "With ``holdout_blocks``: stop after this many epochs in a row whose held-out "
            "score did not beat the best by more than ``min_improvement``."
        ),
        "min_improvement": (
            "With ``holdout_blocks``: how much an epoch's score must beat the best so far "
            "to count as an improvement."
        ),
    }
    _overrides = {"fit": "_incremental_fit_variant", "partial_fit": "_incremental_fit_variant"}

    @classmethod
    def _check_base(cls, base):
        super()._check_base(base)
        if not hasattr(base, "partial_fit"):
            raise TypeError(
                f"{base.__name__} has no partial_fit, so it cannot learn block by block; "
                f"use dask_variants.iid.variant({base.__name__}) to fit on a sample, or "
                "an estimator with partial_fit."
            )

    def _check_knobs(self):
        epochs = self._knob("epochs")
        if not is_whole(epochs):
            raise ValueError(
                f"{type(self).__name__}: epochs must be a whole number >= 1, got {epochs!r}. "
                "Set e.g. epochs=5 for five passes over the blocks."
            )
        shuffle = self._knob("shuffle_blocks")
        if not isinstance(shuffle, (bool, np.bool_)):
            raise ValueError(
                f"{type(self).__name__}: shuffle_blocks must be True or False, got "
                f"{shuffle!r}. Set shuffle_blocks=False to visit the blocks in order."
            )
        patience = self._knob("patience")
        if not is_whole(patience):
            raise ValueError(
                f"{type(self).__name__}: patience must be a whole number >= 1, got "
                f"{patience!r}. Set e.g. patience=2 to stop after two epochs without "
                "improvement."
            )
        if not isinstance(self._knob("min_improvement"), numbers.Real):
            raise ValueError(
                f"{type(self).__name__}: min_improvement must be a number, got "
                f"{self._knob('min_improvement')!r}. Set e.g. min_improvement=1e-4."
            )
        return epochs

    def _holdout(self, n, rng):
        """The held-out block indices (sorted), or ``None`` without early stopping."""
        share = self._knob("holdout_blocks")
        if share is None:
            return None
        name = type(self).__name__
        if isinstance(share, bool) or not isinstance(share, numbers.Real):
            raise ValueError(
                f"{name}: holdout_blocks must be None, a share in (0, 1) or a number of "
                f"blocks, got {share!r}. Set e.g. holdout_blocks=0.1."
            )
        if isinstance(share, numbers.Integral):
            m = int(share)
        elif 0 < share < 1:
            m = max(1, int(round(share * n)))
        else:
            m = -1
        if not 1 <= m < n:
            raise ValueError(
                f"{name}: holdout_blocks={share!r} leaves no blocks to train on or to "
                f"score with, and X has {n} row blocks. Hold out at least one block and "
                "fewer than all of them, or rechunk X into more blocks."
            )
        if not hasattr(self, "score"):
            raise ValueError(
                f"{name} has no score method, so holdout_blocks={share!r} cannot rank "
                "epochs. Set holdout_blocks=None."
            )
        if self._knob("shuffle_blocks"):
            return sorted(int(i) for i in rng.choice(n, m, replace=False))
        return list(range(n - m, n))

    @takes_extra_kwargs
    def _incremental_fit_variant(self, name, X, y, params):
        """On a dask input: stream the row blocks through ``partial_fit``."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)  # scikit-learn's error, before any block is loaded
        epochs = self._check_knobs()
        X, y, per_row, static = _prepare.prepare_stream(
            self, self, X, None if y is NOTHING else y, params, name, fresh=name == "fit")
        # a continuous y: once, on the computed classes or the first block fitted
        check_y = check_target(self, y, params, static)
        random_state = getattr(self, "random_state", None)
        holdout = None
        if name == "fit" and self._knob("holdout_blocks") is not None:
            random_state = _blocks.check_random_state(random_state)
            holdout = self._holdout(_blocks.n_blocks(X), random_state)
        work = clone(self) if name == "fit" else copy.deepcopy(self)
        # encoders' categories: from every block at once, before the first partial_fit
        vocabulary = _vocabulary.Vocabulary(self, X, labels=False) if name == "fit" else None
        handed = vocabulary.hand(work, vocabulary.compute()) if vocabulary else []
        passes = epochs if name == "fit" else 1
        history = list(getattr(work, "history_", []))
        start = time.perf_counter()
        seen0 = history[-1]["blocks_seen"] if history else 0
        train = None
        if holdout is not None:
            held = set(holdout)
            train = [k for k in range(_blocks.n_blocks(X)) if k not in held]
        _fit.fit(
            work, X, y, per_row, static,
            passes=passes, shuffle=self._knob("shuffle_blocks"), random_state=random_state,
            method=name, blocks=train,
            on_pass=_prepare.EpochLog(
                history, start, seen0, X, y, per_row, holdout,
                patience=self._knob("patience"), tol=self._knob("min_improvement")),
            check_y=check_y,
        )
        _vocabulary.Vocabulary.restore(work, handed)
        _labels.record_target(work, y)  # names predict's Series on frame input
        work.history_ = history
        return self._adopt(work)

def __dir__():  # the public names only, not this module's imports
    return list(__all__)
