"""Estimators whose ``fit`` is one ``partial_fit`` on all rows, with mergeable state.

``StandardScaler``, ``MinMaxScaler`` and ``MaxAbsScaler``: ``fit`` resets and calls
``partial_fit`` on every row, and the state ``partial_fit`` keeps (counts, means and
variances, minima, maxima) merges exactly (:mod:`dask_variants.engine._merge`). So
each block is fitted on a fresh copy, the copies are merged in the tree, and the
derived attributes (``scale_``...) are computed once, as ``partial_fit`` does: the
result equals ``fit`` on the concatenated data to floating-point rounding.
"""
import functools

from .. import _merge
from ._base import Rule

__all__ = []


def _partial_fit_leaf(template, static, k, x, y, params):
    return _merge.fit_block_copy(template, x, y, params, static)


class PartialFitRule(Rule):
    per_row = ("sample_weight",)
    static = ("sample_weight",)

    def fit(self, est, template, reduce, static):
        merge, finish = _merge.rule(est)
        state = reduce(functools.partial(_partial_fit_leaf, template, static),
                       _merge.skipping_weightless(merge))
        _merge.check_weighed(state)
        finish(state)
        for name, value in vars(state).items():
            if name.endswith("_") and not name.startswith("_"):
                setattr(est, name, value)
