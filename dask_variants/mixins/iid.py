"""Fit on a sample of row blocks; predict everywhere (see ``BlockwisePredictMixin``)."""
import copy
import numbers

import dask
from sklearn.utils import check_random_state

from .._factory import NOTHING
from ..utils import _blocks
from ..utils.validation import check_dask_X, check_params
from ._base import VariantMixinBase

__all__ = ["IIDMixin"]


class IIDMixin(VariantMixinBase):
    """Fit on the leading row block(s) of a dask input, materialised; other input as is.

    For data that are independent and identically distributed, the first block is a
    representative sample: ``fit`` trains the scikit-learn class on it, and every
    post-fit method then runs on all blocks in parallel.
    """

    _namespace = "dask_variants.iid"
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` trains on a sample of whole row blocks
        (the first block by default), computed into memory, and every post-fit method
        (``predict``, ``transform``, ...) runs lazily on every block in parallel.
        Suited to independent, identically distributed rows."""
    _extra_params = {"sample_blocks": 1, "sample_choice": "leading"}
    _extra_docs = {
        "sample_blocks": "How many row blocks ``fit`` trains on (dask input only).",
        "sample_choice": (
            "``'leading'`` takes the first ``sample_blocks`` blocks; ``'random'`` a choice "
            "seeded by the estimator's ``random_state``."
        ),
    }
    _overrides = {"fit": "_iid_fit_variant", "partial_fit": "_iid_fit_variant"}

    def _sample_indices(self, n):
        k = self._knob("sample_blocks")
        choice = self._knob("sample_choice")
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(
                f"{type(self).__name__}: sample_blocks must be a whole number >= 1, got "
                f"{k!r}. Set e.g. sample_blocks=2 to train on two blocks."
            )
        if choice == "leading":
            return list(range(min(k, n)))
        if choice == "random":
            rng = check_random_state(getattr(self, "random_state", None))
            return sorted(int(i) for i in rng.choice(n, size=min(k, n), replace=False))
        raise ValueError(
            f"{type(self).__name__}: sample_choice must be 'leading' or 'random', got "
            f"{choice!r}."
        )

    def _iid_fit_variant(self, name, X, y, params):
        """On a dask input: train on the sampled row blocks, computed into memory."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)  # before loading the sample; its fit checks the target
        owner = f"{type(self).__name__}.{name}"
        X = check_dask_X(self, X, name)
        indices = self._sample_indices(_blocks.n_blocks(X))
        if y is not NOTHING and y is not None:
            y = _blocks.select(_blocks.align(X, y, owner=owner, what="y"), indices)
        per_row, static = _blocks.split_params(X, params, owner=owner)
        per_row = {k: _blocks.select(v, indices) for k, v in per_row.items()}
        Xs, ys, per_row = dask.compute(_blocks.select(X, indices), y, per_row)
        work = copy.deepcopy(self) if name == "partial_fit" else copy.copy(self)
        work._call_base(name, Xs, ys, {**static, **per_row})
        return self._adopt(work)


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
