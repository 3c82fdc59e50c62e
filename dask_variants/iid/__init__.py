"""Variants whose ``fit`` trains on a sample of row blocks and predict on every block.

Every scikit-learn estimator is here, flat (``dask_variants.iid.GradientBoostingClassifier``)
and in scikit-learn's module layout (``dask_variants.iid.ensemble...``): the same class.
"""
from .._variants._namespace import install

__getattr__, __dir__, variant = install(__name__, "dask_variants.mixins.iid:IIDMixin")
