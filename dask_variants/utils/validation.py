"""Input checks for dask inputs, raised before any block is loaded, and their messages.

The checks every variant makes on a dask input before it computes anything, for a user
who builds a variant of their own estimator or wants the same errors. They live with the
block helpers (``dask_variants.blocks._checks``), which use them.
"""
from ..blocks._checks import (
    check_classes, check_columns, check_dask_X, check_params, check_target,
)

__all__ = ["check_dask_X", "check_classes", "check_params", "check_target", "check_columns"]


def __dir__():  # the public names only
    return list(__all__)
