"""Variants whose ``fit`` uses every row of a dask input and gives scikit-learn's answer.

Only the estimators with an exact all-rows algorithm are here (``dir()`` lists them), flat
(``dask_variants.exact.PCA``) and in scikit-learn's module layout
(``dask_variants.exact.decomposition.PCA``): the same class object.
"""
from .._variants._namespace import install

__getattr__, __dir__, variant = install(__name__, "dask_variants.mixins.exact:ExactMixin")
