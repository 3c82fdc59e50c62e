"""Estimators whose ``fit`` is one ``partial_fit`` on all rows, with mergeable state.

``StandardScaler``, ``MinMaxScaler`` and ``MaxAbsScaler``: ``fit`` resets and calls
``partial_fit`` on every row, and the state ``partial_fit`` keeps (counts, means and
variances, minima, maxima) merges exactly (:mod:`dask_variants.engine._merge`). So
each block is fitted on a fresh copy, the copies are merged in the tree, and the
derived attributes (``scale_``...) are computed once, as ``partial_fit`` does: the
result equals ``fit`` on the concatenated data to floating-point rounding.
"""
import copy
import functools

from ...blocks import _blocks
from .. import _merge, _source
from ._base import Rule, check_total_weight

__all__ = []


def _partial_fit_leaf(template, static, k, x, y, params):
    est = copy.deepcopy(template)
    step = _blocks.in_memory(est, "partial_fit")
    if _merge.weighs_nothing(est, params):  # see _merge's module doc
        unweighted = {name: v for name, v in params.items() if name != "sample_weight"}
        _source.fit_block(step, x, y, unweighted, static)  # its checks, then dropped
        return _merge.WEIGHS_NOTHING
    _source.fit_block(step, x, y, params, static)
    return est


class PartialFitRule(Rule):
    per_row = ("sample_weight",)
    static = ("sample_weight",)

    def fit(self, est, template, reduce, static):
        merge, finish = _merge.rule(est)
        state = reduce(functools.partial(_partial_fit_leaf, template, static),
                       _merge.skipping_weightless(merge))
        if _merge.is_weightless(state):
            check_total_weight(0)
        finish(state)
        for name, value in vars(state).items():
            if name.endswith("_") and not name.startswith("_"):
                setattr(est, name, value)
