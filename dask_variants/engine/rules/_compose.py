"""Composites of exact steps: ``Pipeline`` and ``FeatureUnion``.

A composite has no statistic of its own: scikit-learn's own ``fit`` runs on the dask
input with every step made exact (``ExactMixin._exact_steps``), so each step is fitted on
every row of what the previous step produced, lazily: one pass over the blocks per
fitted step (a step's input is recomputed from the blocks for its pass). Routing of fit
parameters (``step__param``), ``passthrough`` and ``memory`` are scikit-learn's.
"""
from ._base import Rule

__all__ = []


class CompositeRule(Rule):
    """Steps listed in ``est.<steps>`` as ``(name, estimator)`` pairs."""

    composite = True
    sets_features = False  # scikit-learn's composites delegate them to their steps
    #: the parameter holding the ``(name, estimator)`` list
    steps = "steps"

    def check(self, est, static, per_row):
        pass  # each step's rule checks its own parameters when it is fitted


class PipelineRule(CompositeRule):
    steps = "steps"


class FeatureUnionRule(CompositeRule):
    steps = "transformer_list"
