"""Every scikit-learn estimator on dask collections, by changing the imports.

``dask_variants.incremental`` streams row blocks through ``partial_fit``;
``dask_variants.iid`` fits on a sample block; ``dask_variants.exact`` fits on every row
with scikit-learn's answer (per-block statistics merged in a tree). All three predict
lazily, block by block.
``wrappers``, ``datasets``, ``metrics`` and ``model_selection`` serve code written for
dask-ml. Importing this package is cheap: the submodules are imported on first use
(``dask_variants.wrappers`` works without ``import dask_variants.wrappers``), and the
namespaces build their classes on first use.
"""
import importlib

from . import _config  # noqa: F401  (registers the config defaults)

__version__ = "0.1.0"

_SUBMODULES = ["datasets", "exact", "exceptions", "iid", "incremental", "metrics", "mixins",
               "model_selection", "utils", "wrappers"]
__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(
        f"module {__name__!r} has no attribute {name!r}. Its public modules are "
        f"{_SUBMODULES!r}."
    )


def __dir__():
    return list(__all__)
