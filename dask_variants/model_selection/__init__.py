"""Splitting dask collections without a full shuffle, and incremental searches.

:func:`train_test_split` splits dask arrays and DataFrames block by block with
scikit-learn's size rules; :class:`BlockKFold` is a cross-validation splitter whose folds
are whole row blocks, for ``GridSearchCV(cv=BlockKFold(...))`` on dask arrays. Other
inputs get scikit-learn's behaviour.

:class:`IncrementalSearchCV`, :class:`InverseDecaySearchCV`,
:class:`SuccessiveHalvingSearchCV` and :class:`HyperbandSearchCV` are dask-ml's adaptive
hyper-parameter searches over estimators with ``partial_fit``: on any scheduler, with
each training position loaded once for all the models.
"""
from ._hyperband import HyperbandSearchCV
from ._incremental_search import (
    IncrementalSearchCV,
    InverseDecaySearchCV,
    SuccessiveHalvingSearchCV,
)
from ._split import BlockKFold, train_test_split

__all__ = [
    "BlockKFold",
    "HyperbandSearchCV",
    "IncrementalSearchCV",
    "InverseDecaySearchCV",
    "SuccessiveHalvingSearchCV",
    "train_test_split",
]
