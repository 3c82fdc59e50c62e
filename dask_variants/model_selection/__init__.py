"""Splitting dask collections without a full shuffle, and incremental searches.

:func:`train_test_split` splits dask arrays and DataFrames block by block with
scikit-learn's size rules; :class:`BlockKFold` is a cross-validation splitter whose folds
are whole row blocks, for ``GridSearchCV(cv=BlockKFold(...))`` on dask arrays.
:class:`ShuffleSplit` and :class:`KFold` are dask-ml's splitters of those names: their
indices are lazy dask arrays cut along the row blocks. Other inputs get scikit-learn's
behaviour.

:class:`IncrementalSearchCV`, :class:`InverseDecaySearchCV`,
:class:`SuccessiveHalvingSearchCV` and :class:`HyperbandSearchCV` are dask-ml's adaptive
hyper-parameter searches over estimators with ``partial_fit``: on any scheduler, with
each training position loaded once for all the models.
"""
from ._cross_validation import KFold, ShuffleSplit
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
    "KFold",
    "ShuffleSplit",
    "SuccessiveHalvingSearchCV",
    "train_test_split",
]


def __dir__():  # the public names and submodules, not the private ones
    return sorted(__all__)
