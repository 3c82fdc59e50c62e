"""Fit on every row, block by block in parallel, with scikit-learn's own answer."""
from sklearn.base import clone

from ..blocks import _blocks, _meta, _rows
from ..engine import _exact
from ..engine.rules import rule_for
from ..utils.validation import check_dask_X, check_params
from .._variants._protocol import NOTHING, VariantMixinBase
from .blockwise import BlockwisePredictMixin

__all__ = ["ExactMixin"]


class ExactMixin(VariantMixinBase):
    """Fit on every row of a dask input: per-block statistics, merged, finished once.

    ``fit`` computes a statistic of every row block in parallel on the active scheduler
    (one task per block, next to its data on a cluster), merges them in a tree and
    finishes once: the fitted attributes equal scikit-learn's ``fit`` on the
    concatenated blocks to floating-point rounding. Other input goes to the
    scikit-learn class. Only classes with an exact rule
    (:mod:`dask_variants.engine.rules`) take this mixin.
    """

    _namespace = "dask_variants.exact"
    _companions = (BlockwisePredictMixin,)
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` uses every row: a statistic of every row
        block is computed in parallel (one task per block, next to its data on a
        cluster), the statistics are merged in a tree and the model is finished once,
        so the fitted attributes equal scikit-learn's ``fit`` on the concatenated data
        to floating-point rounding. Every post-fit method (``predict``, ``transform``,
        ...) runs lazily on every block in parallel."""
    _overrides = {"fit": "_exact_fit_variant"}

    @classmethod
    def _check_base(cls, base):
        super()._check_base(base)
        if rule_for(base) is None:
            name = base.__name__
            raise TypeError(
                f"{name} has no exact all-rows fit in dask_variants.exact. Use "
                f"dask_variants.iid.variant({name}) to fit on a sample of blocks, or "
                f"dask_variants.incremental.variant({name}) to stream the blocks through "
                "partial_fit where it has one."
            )

    def _exact_fit_variant(self, name, X, y, params):
        """On a dask input: every row, by the class's exact rule."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)  # scikit-learn's own parameter errors, before any block
        owner = f"{type(self).__name__}.{name}"
        X = check_dask_X(self, X, name)
        per_row, static = _rows.split_params(X, params, owner=owner)
        _exact.check(self, static, per_row)  # what the rule refuses, before any block
        y = None if y is NOTHING else y
        X, y, per_row = _rows.align_all(X, y, per_row, owner=owner)
        work = clone(self)
        _exact.fit(work, X, y, per_row, static, method=name)
        _meta.record_target(work, y)  # names predict's Series on frame input
        return self._adopt(work)


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
