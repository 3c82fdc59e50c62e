"""Variants whose ``fit`` streams row blocks through ``partial_fit``.

Every scikit-learn estimator with ``partial_fit`` is here, flat
(``dask_variants.incremental.SGDClassifier``) and in scikit-learn's module layout
(``dask_variants.incremental.linear_model.SGDClassifier``): the same class object.
"""
from .._variants._namespace import install

__getattr__, __dir__, variant = install(__name__, "dask_variants.mixins.incremental:IncrementalMixin")
