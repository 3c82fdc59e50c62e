"""Every scikit-learn estimator on dask collections, by changing the imports.

``dask_variants.incremental`` streams row blocks through ``partial_fit``;
``dask_variants.iid`` fits on a sample block. Both predict lazily, block by block.
Importing this package is cheap: the namespaces build their classes on first use.
"""
from . import _config  # noqa: F401  (registers the config defaults)

__version__ = "0.1.0"
__all__ = ["__version__"]
