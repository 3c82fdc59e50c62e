"""Splitting dask collections without a full shuffle.

:func:`train_test_split` splits dask arrays and DataFrames block by block with
scikit-learn's size rules; :class:`BlockKFold` is a cross-validation splitter whose folds
are whole row blocks, for ``GridSearchCV(cv=BlockKFold(...))`` on dask arrays. Other
inputs get scikit-learn's behaviour.
"""
from ._split import BlockKFold, train_test_split

__all__ = ["BlockKFold", "train_test_split"]
