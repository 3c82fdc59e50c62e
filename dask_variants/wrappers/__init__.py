"""Meta-estimators for code written for ``dask_ml.wrappers``: wrap an estimator instance.

:class:`ParallelPostFit` fits the wrapped estimator as scikit-learn does and runs every
post-fit method (``predict``, ``predict_proba``, ``transform``, ``decision_function``,
...) lazily on dask input, one task per row block. :class:`Incremental` also fits on dask
input, by streaming the row blocks through the estimator's ``partial_fit``.

Both run on the machinery the variants use (``dask_variants.blocks`` for the blockwise
methods, ``dask_variants.engine`` for the streaming fit or, for the estimators whose block
states merge exactly, the parallel merge, ``dask_variants.metrics`` for scoring); the fitted estimator, ``estimator_``, is a plain
instance of the wrapped class.
"""
from ._incremental import Incremental
from ._postfit import ParallelPostFit

# the public path, for repr, pickle and documentation
Incremental.__module__ = ParallelPostFit.__module__ = __name__

__all__ = ["Incremental", "ParallelPostFit"]


def __dir__():  # the public names and submodules, not the private ones
    return sorted(__all__)
