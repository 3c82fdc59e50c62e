"""dask-ml's module path for the scorers (``dask_ml.metrics.scorer``).

The same functions as :mod:`dask_variants.metrics`, so ``from
dask_ml.metrics.scorer import check_scoring`` keeps working with the import changed.
"""
from ._scorer import check_scoring, get_scorer, get_scorer_names

__all__ = ["check_scoring", "get_scorer", "get_scorer_names"]


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
