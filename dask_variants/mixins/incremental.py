"""Stream row blocks through ``partial_fit``."""
import copy
import inspect
import numbers

from sklearn.base import clone

from .. import _stream
from .._factory import NOTHING
from ..utils import _blocks
from ..utils.validation import check_classes, check_dask_X
from ._base import VariantMixinBase

__all__ = ["IncrementalMixin"]

#: attributes set on the estimator by a caller around one fit call, not fit state
_CALL_SCOPED = ("_parent_callback_ctx",)


class IncrementalMixin(VariantMixinBase):
    """Fit on a dask input by passing its row blocks, in turn, to ``partial_fit``.

    ``fit`` resets the estimator and makes ``epochs`` passes; ``partial_fit`` makes one
    pass and keeps what was learned. Other input goes to the scikit-learn methods.
    """

    _namespace = "dask_variants.incremental"
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` resets the estimator and streams the row
        blocks through scikit-learn's ``partial_fit``, ``epochs`` times, with a bounded
        number of blocks in memory; ``partial_fit`` makes one pass without resetting.
        Every post-fit method (``predict``, ``transform``, ...) runs lazily on every
        block in parallel."""
    _extra_params = {"epochs": 1, "shuffle_blocks": True}
    _extra_docs = {
        "epochs": "Passes over the row blocks that ``fit`` makes (dask input only).",
        "shuffle_blocks": (
            "Visit the blocks of each pass in a random order drawn from the estimator's "
            "``random_state`` (dask input only)."
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
        if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 1:
            raise ValueError(
                f"{type(self).__name__}: epochs must be a whole number >= 1, got {epochs!r}. "
                "Set e.g. epochs=5 for five passes over the blocks."
            )
        return epochs

    def _incremental_fit_variant(self, name, X, y, params):
        """On a dask input: stream the row blocks through ``partial_fit``."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        owner = f"{type(self).__name__}.{name}"
        epochs = self._check_knobs()
        X = check_dask_X(self, X, name)
        y = None if y is NOTHING else y
        if y is not None:
            y = _blocks.align(X, y, owner=owner, what="y")
        per_row, static = _blocks.split_params(X, params, owner=owner)
        self._check_partial_fit_params(name, static, per_row)
        if self._needs_classes() and static.get("classes") is None:
            check_classes(self, name, y, None)
            static["classes"] = _blocks.compute_unique(y)
        work = clone(self) if name == "fit" else copy.deepcopy(self)
        _stream.stream(
            work, X, y, per_row, static,
            passes=epochs if name == "fit" else 1,
            shuffle=self._knob("shuffle_blocks"),
            random_state=getattr(self, "random_state", None),
            method=name,
        )
        # clone() drops what a caller attached to this instance for the duration of the
        # call, e.g. scikit-learn's _parent_callback_ctx, which GridSearchCV deletes
        # after fit returns; keep it so that deletion still finds it.
        kept = {k: v for k, v in self.__dict__.items() if k in _CALL_SCOPED}
        self.__dict__.clear()
        self.__dict__.update(work.__dict__)
        self.__dict__.update(kept)
        return self

    def _partial_fit_parameters(self):
        return inspect.signature(self._base().partial_fit).parameters

    def _needs_classes(self):
        return "classes" in self._partial_fit_parameters()

    def _check_partial_fit_params(self, name, static, per_row):
        accepted = self._partial_fit_parameters()
        if any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
            return
        unknown = sorted(set(static) | set(per_row) - set(accepted))
        unknown = [p for p in unknown if p not in accepted]
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.{name} on a dask input passes its parameters to "
                f"partial_fit on every block, and partial_fit does not take {unknown!r}. "
                f"It takes {sorted(p for p in accepted if p not in ('X', 'y'))!r}."
            )
