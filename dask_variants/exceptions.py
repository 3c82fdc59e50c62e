"""Warnings raised by dask_variants.

All of them derive from :class:`VariantWarning`, so one filter silences them::

    warnings.filterwarnings("ignore", category=dask_variants.exceptions.VariantWarning)
"""

__all__ = ["VariantWarning", "EagerComputeWarning", "SearchWarning"]


class VariantWarning(UserWarning):
    """Base class of every warning dask_variants raises."""


class EagerComputeWarning(VariantWarning):
    """A method had to compute (part of) a dask collection eagerly."""


class SearchWarning(VariantWarning):
    """An incremental search parameter is ignored or unlikely to do what was meant."""


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
