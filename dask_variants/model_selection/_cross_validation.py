"""dask-ml's cross-validators, ``ShuffleSplit`` and ``KFold``, on dask arrays.

On a dask ``X`` they yield ``(train, test)`` row-index arrays as lazy dask arrays cut
along ``X``'s row blocks, as dask-ml's do, so ``X[train]`` keeps the blocks. On any
other ``X`` they are scikit-learn's splitters of the same name.
"""
import numbers

import dask
import dask.array as da
import numpy as np
from sklearn import model_selection as _sk
from .._sklearn_compat import _validate_shuffle_split
from sklearn.utils import check_random_state

from ..blocks import _blocks

__all__ = ["KFold", "ShuffleSplit"]


def _row_chunks(X, owner):
    """The known row-block sizes of the dask array ``X``, or a clear error."""
    if _blocks.container(X) != "array":
        raise TypeError(
            f"{owner}.split needs a dask array with known row chunks, got "
            f"{type(X).__name__}. Use X.to_dask_array(lengths=True)."
        )
    if not _blocks.known(X.chunks[0]):
        raise ValueError(
            f"{owner}.split needs the row-block sizes of X, which are unknown "
            f"({X.chunks[0]!r}). Call X.compute_chunk_sizes() first."
        )
    return tuple(int(c) for c in X.chunks[0])


def _seed(rng):
    return [int(v) for v in rng.randint(0, 2**31 - 1, size=4)]


def _block_permutation(root, block, n):
    return np.random.default_rng(np.random.SeedSequence(root, spawn_key=(block,))).permutation(n)


def _shuffle_block(block_id, *, rows, offsets, sizes, root, part):
    """Train or test positions (global, in permuted order) of one row block."""
    b = block_id[0]
    perm = _block_permutation(root, b, rows[b]) + offsets[b]
    n_train, n_test = sizes[b]
    return perm[:n_test] if part == "test" else perm[n_test:n_test + n_train]


def _spread(total, rows):
    """Split an absolute count ``total`` over blocks in proportion to ``rows``."""
    n = sum(rows)
    exact = np.asarray(rows, dtype=float) * total / n
    out = np.floor(exact).astype(int)
    out[np.argsort(out - exact)[: total - out.sum()]] += 1
    return out


class ShuffleSplit(_sk.ShuffleSplit):
    """Random train/test splits of the rows; within each row block by default.

    dask-ml's ``ShuffleSplit``, same parameters. On a dask array ``X`` with
    ``blockwise=True`` each row block is split on its own, as scikit-learn's
    ``ShuffleSplit`` would split it (a float size is a share of every block), and the
    indices come as lazy dask arrays with one block per block of ``X``; no row moves
    between blocks. With ``blockwise=False`` the split is scikit-learn's over all
    rows (indices drawn in memory, then cut into dask arrays): ``X[train]`` then
    gathers rows from every block, an all-to-all shuffle. On any other ``X`` this is
    :class:`sklearn.model_selection.ShuffleSplit`.

    Parameters
    ----------
    n_splits : int, default=10
        Number of splits.
    test_size : float, int or None, default=0.1
        Share (float) or number (int) of test rows. With ``blockwise=True`` an int
        is spread over the blocks in proportion to their sizes.
    train_size : float, int or None, default=None
        Share or number of train rows; the complement of ``test_size`` if None.
    blockwise : bool, default=True
        Split within blocks (True) or across them (False).
    random_state : int, RandomState instance or None, default=None
        Seeds the splits; the same seed gives the same splits.

    Examples
    --------
    >>> import dask.array as da
    >>> from dask_variants.model_selection import ShuffleSplit
    >>> X = da.zeros((110, 2), chunks=50)
    >>> train, test = next(ShuffleSplit(random_state=0).split(X))
    >>> train.chunks, test.chunks
    (((45, 45, 9),), ((5, 5, 1),))
    """

    def __init__(self, n_splits=10, test_size=0.1, train_size=None, blockwise=True,
                 random_state=None):
        super().__init__(n_splits=n_splits, test_size=test_size, train_size=train_size,
                         random_state=random_state)
        self.blockwise = blockwise

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` row indices: lazy dask arrays on a dask ``X``."""
        if not dask.is_dask_collection(X):
            yield from super().split(X, y, groups)
            return
        if self.blockwise not in (True, False):
            raise ValueError(
                f"Expected a boolean for 'blockwise' but got {self.blockwise!r} instead."
            )
        rows = _row_chunks(X, type(self).__name__)
        n = sum(rows)
        if not self.blockwise:
            for train, test in super().split(np.empty((n, 0))):
                yield da.from_array(train, chunks=rows[0] or "auto"), \
                    da.from_array(test, chunks=rows[0] or "auto")
            return
        sizes = self._block_sizes(rows)
        offsets = np.concatenate([[0], np.cumsum(rows)[:-1]]).astype(np.int64)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            spec = dict(rows=rows, offsets=offsets, sizes=sizes, root=_seed(rng))
            yield tuple(
                da.map_blocks(_shuffle_block, chunks=(tuple(int(s[k]) for s in sizes),),
                              dtype=np.int64, meta=np.empty((0,), np.int64), part=part,
                              **spec)
                for k, part in ((0, "train"), (1, "test"))
            )

    def _block_sizes(self, rows):
        """``[(n_train, n_test)]`` of every block: scikit-learn's rounding, per block.

        A float size is a share of each block (test rounded up, train down, as
        scikit-learn rounds); an int is spread over the blocks in proportion to their
        sizes; a missing size is the rest of the block. The sizes are checked once
        against all rows, with scikit-learn's rules and messages.
        """
        _validate_shuffle_split(sum(rows), self.test_size, self.train_size,
                                default_test_size=0.1)
        test = 0.1 if self.test_size is None and self.train_size is None else self.test_size
        counts = {}
        for name, size in (("test", test), ("train", self.train_size)):
            if size is None:
                counts[name] = None
            elif isinstance(size, numbers.Integral):
                counts[name] = _spread(int(size), rows)
            else:
                rounding = np.ceil if name == "test" else np.floor
                counts[name] = rounding(np.asarray(rows) * float(size)).astype(int)
        rows = np.asarray(rows)
        n_test = counts["test"] if counts["test"] is not None else rows - counts["train"]
        n_train = counts["train"] if counts["train"] is not None else rows - n_test
        n_test = np.minimum(n_test, rows)
        n_train = np.minimum(n_train, rows - n_test)
        return [(int(a), int(b)) for a, b in zip(n_train, n_test)]


def _fold_indices(rows, root):
    """Row positions ``0..n-1`` in ``rows`` blocks, permuted within blocks if ``root``."""
    n = sum(rows)
    if root is None:
        return da.arange(n, chunks=(rows,), dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(rows)[:-1]]).astype(np.int64)

    def block(block_id):
        b = block_id[0]
        return _block_permutation(root, b, rows[b]) + offsets[b]

    return da.map_blocks(block, chunks=(rows,), dtype=np.int64, meta=np.empty((0,), np.int64))


def _concat(pieces):
    pieces = [p for p in pieces if p.shape[0]]
    return da.concatenate(pieces) if pieces else da.zeros((0,), dtype=np.int64, chunks=1)


class KFold(_sk.BaseCrossValidator):
    """K consecutive folds of the rows, as lazy dask index arrays on a dask ``X``.

    dask-ml's ``KFold``, same parameters. Fold ``k`` tests the rows
    ``[start_k, stop_k)`` (the first ``n_samples % n_splits`` folds one row longer, as
    in scikit-learn); the index arrays are cut along ``X``'s row blocks, so
    ``X[train]`` keeps them. With ``shuffle=True`` the rows of each block are
    permuted first (seeded by ``random_state``); no row moves between blocks. On any
    other ``X`` this is :class:`sklearn.model_selection.KFold` (``random_state`` is
    passed only with ``shuffle=True``, where scikit-learn takes it).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Permute the rows within each block before cutting the folds.
    random_state : int, RandomState instance or None, default=None
        Seeds the permutation when ``shuffle=True``.

    Examples
    --------
    >>> import dask.array as da
    >>> from dask_variants.model_selection import KFold
    >>> X = da.zeros((110, 2), chunks=50)
    >>> train, test = next(KFold(n_splits=5).split(X))
    >>> train.chunks, test.chunks
    (((28, 50, 10),), ((22,),))
    """

    def __init__(self, n_splits=5, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def _sklearn(self):
        return _sk.KFold(self.n_splits, shuffle=self.shuffle,
                         random_state=self.random_state if self.shuffle else None)

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` row indices: lazy dask arrays on a dask ``X``."""
        splitter = self._sklearn()  # scikit-learn's checks of n_splits and shuffle
        if not dask.is_dask_collection(X):
            yield from splitter.split(X, y, groups)
            return
        rows = _row_chunks(X, type(self).__name__)
        n = sum(rows)
        if self.n_splits > n:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of samples: n_samples={n}."
            )
        root = _seed(check_random_state(self.random_state)) if self.shuffle else None
        indices = _fold_indices(rows, root)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        start = 0
        for size in sizes:
            stop = start + int(size)
            yield _concat([indices[:start], indices[stop:]]), indices[start:stop]
            start = stop

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds, ``n_splits``."""
        return self.n_splits
