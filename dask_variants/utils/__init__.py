"""Utilities for variants: :mod:`~dask_variants.utils.discovery` (``all_variants``),
:mod:`~dask_variants.utils.validation` (the checks run before any block is loaded) and
:mod:`~dask_variants.utils.estimator_checks` (``check_variant``: test a variant of your own
estimator)."""
import importlib

__all__ = []

_SUBMODULES = ["discovery", "estimator_checks", "validation"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():  # the public submodules, not the private ones
    return list(_SUBMODULES)
