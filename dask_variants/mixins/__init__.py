"""Public mixins that turn a scikit-learn class into a dask-aware variant.

A variant is ``type(Name, (KindMixin, BlockwisePredictMixin, SklearnClass), {})``;
``dask_variants.incremental.variant`` and ``dask_variants.iid.variant`` build them.
"""
from .blockwise import BlockwisePredictMixin
from .exact import ExactMixin
from .iid import IIDMixin
from .incremental import IncrementalMixin

__all__ = ["BlockwisePredictMixin", "ExactMixin", "IIDMixin", "IncrementalMixin"]


def __dir__():  # the public names and submodules, not the private ones
    return sorted(__all__ + ['blockwise', 'exact', 'iid', 'incremental'])
