"""Blockwise train/test splitting and block-aligned cross-validation."""
import math
import numbers

import dask
import dask.array as da
import numpy as np
from sklearn import model_selection as _sk
from sklearn.utils import check_random_state

from ..blocks import _blocks

__all__ = ["train_test_split", "BlockKFold"]


def _validate_sizes(n_samples, test_size, train_size, default_test_size=0.25):
    """Return ``(n_train, n_test)`` by scikit-learn's rules for ``train_test_split``.

    An int is a number of rows in ``[1, n_samples)``, a float a fraction in ``(0, 1)``
    (test rounded up, train rounded down); a missing size is the complement.
    """
    if test_size is None and train_size is None:
        test_size = default_test_size
    kinds = {}
    for name, size in (("test_size", test_size), ("train_size", train_size)):
        kind = "none" if size is None else np.asarray(size).dtype.kind
        if isinstance(size, bool) or kind not in ("none", "i", "f"):
            raise ValueError(
                f"Invalid value for {name}: {size!r}. Use an int number of rows or a "
                "float fraction in (0, 1)."
            )
        if (kind == "i" and not 0 < size < n_samples) or (kind == "f" and not 0 < size < 1):
            raise ValueError(
                f"{name}={size!r} should be either positive and smaller than the number "
                f"of samples {n_samples} or a float in the (0, 1) range."
            )
        kinds[name] = kind
    if kinds["test_size"] == kinds["train_size"] == "f" and test_size + train_size > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {test_size + train_size!r}, should be "
            "in the (0, 1) range. Reduce test_size and/or train_size."
        )
    n_test = {"f": lambda: math.ceil(test_size * n_samples), "i": lambda: int(test_size),
              "none": lambda: None}[kinds["test_size"]]()
    n_train = {"f": lambda: math.floor(train_size * n_samples), "i": lambda: int(train_size),
               "none": lambda: None}[kinds["train_size"]]()
    n_train = n_samples - n_test if n_train is None else n_train
    n_test = n_samples - n_train if n_test is None else n_test
    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {n_train + n_test}, should be smaller "
            f"than the number of samples {n_samples}. Reduce test_size and/or train_size."
        )
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size!r} and "
            f"train_size={train_size!r}, the resulting train set will be empty. Adjust "
            "any of the aforementioned parameters."
        )
    return n_train, n_test


def _is_frame(x):
    return _blocks.container(x) in ("frame", "series")


def _known_rows(x):
    if _blocks.container(x) != "array":
        return None
    return x.chunks[0] if _blocks.known(x.chunks[0]) else None


def _co_partition_frames(arrays):
    """The dask frames and Series among ``arrays`` rebuilt on one partitioning.

    Views of one frame (``X = ddf[features]``, ``y = ddf["target"]``) may be partitioned
    differently once dask optimises each on its own; rebuilt together, partition ``k``
    of each is the same rows. A dask array beside them (``ddf["y"].to_dask_array()``)
    is matched with their partitions too and comes back as a dask array whose block
    ``k`` is partition ``k``'s rows (sizes unknown). Other inputs are returned as they
    are.
    """
    from ..blocks._rows import co_partition

    frames = [i for i, a in enumerate(arrays) if _is_frame(a)]
    if not frames:
        return arrays
    unknown = [i for i, a in enumerate(arrays) if _blocks.container(a) == "array"]
    others = {str(i): arrays[i] for i in frames[1:] + unknown}
    first, rest = co_partition(arrays[frames[0]], others, owner="train_test_split",
                               arrays_as="array")
    out = list(arrays)
    out[frames[0]] = first
    for i in frames[1:]:
        out[i] = rest[str(i)]
    for i in unknown:
        out[i] = rest[str(i)]
    return out


def _reference_rows(arrays):
    """Row-block sizes shared by ``arrays``; frames' lengths are computed if needed."""
    frame = next((x for x in arrays if _is_frame(x)), None)
    for x in arrays:
        if dask.is_dask_collection(x) and not _is_frame(x) and _known_rows(x) is None \
                and frame is None:
            raise ValueError(
                f"train_test_split needs the row-block sizes of {x!r}, which are unknown "
                "(nan). Call x.compute_chunk_sizes() first, or split the DataFrame it "
                "came from."
            )
    if frame is None:
        return next(_known_rows(x) for x in arrays if _known_rows(x) is not None)
    return tuple(int(n) for n in frame.map_partitions(len).compute())


def _block_index(block, n_rows, spec, part):
    """Positions (sorted) of the ``part`` rows of row block ``block``."""
    if spec["shuffle"]:
        ss = np.random.SeedSequence(spec["root"], spawn_key=(block,))
        perm = np.random.default_rng(ss).permutation(n_rows)
        n_test = spec["test"][block]
        idx = perm[:n_test] if part == "test" else perm[n_test:n_test + spec["train"][block]]
        return idx  # in drawn order: shuffled within the block, as scikit-learn shuffles
    lo, hi = spec["ranges"][part]
    start = spec["starts"][block]
    return np.arange(min(max(lo - start, 0), n_rows), min(max(hi - start, 0), n_rows))


def _check_length(block, n_rows, spec):
    expected = spec["rows"][block]
    if n_rows != expected:
        raise ValueError(
            f"train_test_split: row block {block} has {n_rows} rows but {expected} were "
            "expected from the first input; the inputs are not partitioned alike. Take "
            "them from one DataFrame or rechunk them the same way."
        )


def _take_block(x, block_id=None, *, spec, part):
    _check_length(block_id[0], len(x), spec)
    return x[_block_index(block_id[0], len(x), spec, part)]


def _take_partition(frame, partition_info=None, *, spec, part):
    if partition_info is None:  # meta emulation
        return frame
    block = partition_info["number"]
    _check_length(block, len(frame), spec)
    return frame.iloc[_block_index(block, len(frame), spec, part)]


def _split_one(x, rows, spec, part):
    new_rows = tuple(int(n) for n in spec[part + "_rows"])
    if _is_frame(x):
        if x.npartitions != len(rows):
            raise ValueError(
                f"train_test_split cannot align {x!r} ({x.npartitions} partitions) with "
                f"{len(rows)} row blocks of the first input. Repartition them alike."
            )
        return x.map_partitions(_take_partition, spec=spec, part=part, meta=x._meta)
    if not dask.is_dask_collection(x):
        x = da.from_array(np.asarray(x), chunks=(rows,) + np.shape(x)[1:])
    elif not _blocks.known(x.chunks[0]):
        pass  # co-partitioned with a frame: block k is partition k (rows checked per block)
    elif x.shape[0] != sum(rows):
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: "
            f"{[x.shape[0], sum(rows)]!r}. Pass arrays with the same rows."
        )
    elif x.chunks[0] != rows:
        x = x.rechunk({0: rows})
    return x.map_blocks(_take_block, chunks=(new_rows,) + x.chunks[1:], dtype=x.dtype,
                        meta=x._meta, spec=spec, part=part)


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None,
                     shuffle=True, stratify=None, blockwise=True, convert_mixed_types=False,
                     **options):
    """Split arrays or frames into random train and test subsets, block by block.

    Parameters
    ----------
    *arrays : sequence of dask arrays, dask DataFrames/Series or array-likes
        Inputs with the same rows. Without any dask collection this is
        :func:`sklearn.model_selection.train_test_split` unchanged.
    test_size : float or int, default=None
        Fraction (in (0, 1)) or number of test rows; 0.25 if both sizes are None.
    train_size : float or int, default=None
        Fraction or number of train rows; the complement of ``test_size`` if None.
    random_state : int, RandomState instance or None, default=None
        Seeds the split; the same seed and blocks give the same split.
    shuffle : bool, default=True
        Choose rows at random; if False, train is the first ``n_train`` rows and test
        the next ``n_test``, as in scikit-learn.
    stratify : array-like, default=None
        Only for non-dask inputs (passed to scikit-learn).
    blockwise : bool, default=True
        As in dask-ml. ``True`` picks rows within each block, moving none between
        blocks (see Notes). ``False``, for dask arrays, shuffles across blocks: the
        split is exactly scikit-learn's ``train_test_split`` on the computed arrays
        (same ``random_state``). That costs: one permutation of all ``n_samples`` row
        positions is drawn in memory (8 bytes a row), and every output block gathers
        rows from every input block, an all-to-all shuffle whose graph and data
        movement grow with the number of blocks (on a cluster, every row crosses the
        network). Use it when rows are ordered (sorted by time or label) so a
        within-block choice would not be random enough. Not available for dask
        DataFrames (``NotImplementedError``), as in dask-ml.
    convert_mixed_types : bool, default=False
        As in dask-ml: dask arrays mixed with dask DataFrames/Series raise a
        ``TypeError`` unless this is True; then the frames are converted to dask
        arrays with ``to_dask_array(lengths=True)``, which computes their partition
        lengths (one pass over them); a dask array of unknown chunk sizes among them
        is first paired with their partitions, then its sizes are computed too.

    Returns
    -------
    splitting : list, length 2 * len(arrays)
        ``[a_train, a_test, b_train, ...]``: lazy dask collections of the input kinds,
        arrays with known row chunks (one block per input block).

    Raises
    ------
    ValueError
        Sizes scikit-learn rejects; a dask array with unknown chunk sizes; inputs that
        are not partitioned alike; ``stratify`` with dask input.

    Notes
    -----
    No rows move between blocks. With ``shuffle=True`` the number of test rows of each
    block is drawn once from a multivariate hypergeometric law (as if ``n_test`` rows
    were chosen uniformly from all rows), then the number of train rows among the
    rest; inside a block the rows are picked by a generator seeded from the
    split's seed and the block index. So the sizes follow scikit-learn's rules
    exactly and every input is split on the same rows; within a block the chosen rows
    come in random order (scikit-learn and dask-ml shuffle them too). With
    ``shuffle=False`` rows keep their order. Numpy inputs mixed with dask ones are
    converted to dask arrays with the same blocks. For DataFrames whose partition lengths are unknown (and no dask array with
    known chunks is among the inputs), the lengths are computed first: an eager pass
    that loads each partition once.
    """
    if options:
        raise TypeError(
            f"train_test_split got unexpected keyword arguments {sorted(options)!r}. It "
            "takes test_size, train_size, random_state, shuffle, stratify, blockwise and "
            "convert_mixed_types."
        )
    if blockwise not in (True, False):
        raise ValueError(f"Expected a boolean for 'blockwise' but got {blockwise!r} instead.")
    if not any(dask.is_dask_collection(a) for a in arrays):
        return _sk.train_test_split(*arrays, test_size=test_size, train_size=train_size,
                                    random_state=random_state, shuffle=shuffle,
                                    stratify=stratify)
    if not convert_mixed_types:
        _unmix(arrays, False)  # dask-ml's rule: arrays mixed with frames raise, early
    if stratify is not None:
        raise ValueError(
            f"stratify={stratify!r} is not supported for dask inputs: a stratified split "
            "needs every label first. Compute the inputs and use "
            "sklearn.model_selection.train_test_split, or split without stratify."
        )
    if not blockwise and any(_is_frame(a) for a in arrays):
        raise NotImplementedError(
            "train_test_split(blockwise=False) shuffles rows across blocks, which is not "
            "implemented for dask DataFrames/Series (nor is it in dask-ml). Use "
            "blockwise=True, or split dask arrays (to_dask_array(lengths=True))."
        )
    if convert_mixed_types:
        arrays = _unmix(arrays, True)
    arrays = _co_partition_frames(arrays)
    rows = _reference_rows(arrays)
    n_samples = sum(rows)
    n_train, n_test = _validate_sizes(n_samples, test_size, train_size)
    if shuffle and not blockwise:
        return _split_across_blocks(arrays, rows, n_train, n_test, random_state)
    starts = np.concatenate([[0], np.cumsum(rows)[:-1]]).astype(np.int64)
    spec = {"shuffle": bool(shuffle), "rows": rows, "starts": starts,
            "ranges": {"train": (0, n_train), "test": (n_train, n_train + n_test)}}
    if shuffle:
        root = [int(v) for v in check_random_state(random_state).randint(0, 2**31 - 1, size=4)]
        gen = np.random.default_rng(np.random.SeedSequence(root))
        test = gen.multivariate_hypergeometric(np.asarray(rows, np.int64), n_test)
        train = gen.multivariate_hypergeometric(np.asarray(rows, np.int64) - test, n_train)
        spec.update(root=root, test=test, train=train, test_rows=test, train_rows=train)
    else:
        ends = starts + np.asarray(rows)
        for part, (lo, hi) in spec["ranges"].items():
            spec[part + "_rows"] = np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None)
    return [_split_one(a, rows, spec, part) for a in arrays for part in ("train", "test")]


def _unmix(arrays, convert):
    """Refuse dask arrays mixed with dask frames, or convert the frames (dask-ml's rule)."""
    kinds = {_blocks.container(a) for a in arrays if dask.is_dask_collection(a)}
    if "array" not in kinds or not kinds & {"frame", "series"}:
        return arrays
    if not convert:
        raise TypeError(
            "train_test_split got a mix of dask arrays and dask DataFrames/Series. Pass "
            "convert_mixed_types=True to convert the frames to dask arrays (their "
            "partition lengths are computed), or convert them yourself with "
            "to_dask_array(lengths=True)."
        )
    # every input's blocks paired with the frames' partitions (a dask array made from a
    # frame, ddf["y"].to_dask_array(), may have had partitions fused), then as arrays
    from ..blocks._rows import co_partition

    first = next(i for i, a in enumerate(arrays) if _is_frame(a))
    others = {str(i): a for i, a in enumerate(arrays)
              if i != first and dask.is_dask_collection(a)}
    ref, others = co_partition(arrays[first], others, owner="train_test_split",
                               frames_as="array")
    out = [ref if i == first else others.get(str(i), a) for i, a in enumerate(arrays)]
    return [a.compute_chunk_sizes() if _blocks.container(a) == "array"
            and not _blocks.known(a.chunks[0]) else a for a in out]


def _split_across_blocks(arrays, rows, n_train, n_test, random_state):
    """``blockwise=False``: scikit-learn's shuffled split, rows gathered across blocks."""
    n = sum(rows)
    cv = _sk.ShuffleSplit(test_size=n_test, train_size=n_train, random_state=random_state)
    train, test = next(cv.split(np.empty((n, 0))))
    out = []
    for x in arrays:
        if not dask.is_dask_collection(x):
            x = da.from_array(np.asarray(x), chunks=(rows,) + np.shape(x)[1:])
        elif x.shape[0] != n:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"{[x.shape[0], n]!r}. Pass arrays with the same rows."
            )
        out += [x[train], x[test]]
    return out


class BlockKFold(_sk.BaseCrossValidator):
    """K-fold cross-validation whose folds are whole row blocks of a dask array.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2. With dask input, at most the number of non-empty
        row blocks.

    Notes
    -----
    For a dask array ``X`` the non-empty row blocks are cut, in order, into
    ``n_splits`` runs of consecutive blocks (the first ``n_blocks % n_splits`` runs
    one block longer, as :class:`~sklearn.model_selection.KFold` does with rows). Test
    indices are the rows of one run, train indices the others, so indexing ``X`` with
    either keeps its blocks and no fold is gathered into one array. For any other ``X``
    this is ``KFold(n_splits)`` without shuffling.

    Examples
    --------
    >>> import dask.array as da
    >>> from dask_variants.model_selection import BlockKFold
    >>> X = da.zeros((6, 2), chunks=2)
    >>> [test.tolist() for _, test in BlockKFold(3).split(X)]
    [[0, 1], [2, 3], [4, 5]]
    """

    def __init__(self, n_splits=5):
        if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool):
            raise ValueError(
                f"The number of folds must be of Integral type. {n_splits!r} of type "
                f"{type(n_splits).__name__} was passed. Pass an int >= 2."
            )
        if n_splits < 2:
            raise ValueError(
                f"k-fold cross-validation requires at least one train/test split by "
                f"setting n_splits=2 or more, got n_splits={n_splits!r}."
            )
        self.n_splits = int(n_splits)

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` row-index arrays; test is a run of whole blocks."""
        if not dask.is_dask_collection(X):
            yield from _sk.KFold(self.n_splits).split(X, y, groups)
            return
        if _is_frame(X) or not hasattr(X, "chunks"):
            raise TypeError(
                f"BlockKFold.split needs a dask array with known row chunks, got "
                f"{type(X).__name__}. Use X.to_dask_array(lengths=True)."
            )
        rows = _known_rows(X)
        if rows is None:
            raise ValueError(
                f"BlockKFold.split needs the row-block sizes of X, which are unknown "
                f"({X.chunks[0]!r}). Call X.compute_chunk_sizes() first."
            )
        edges = np.concatenate([[0], np.cumsum(rows)])
        blocks = [b for b, n in enumerate(rows) if n]
        if self.n_splits > len(blocks):
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of non-empty row blocks: {len(blocks)}. Rechunk X into smaller "
                "row blocks or lower n_splits."
            )
        sizes = np.full(self.n_splits, len(blocks) // self.n_splits)
        sizes[: len(blocks) % self.n_splits] += 1
        indices = np.arange(edges[-1])
        first = 0
        for size in sizes:
            lo, hi = edges[blocks[first]], edges[blocks[first + size - 1] + 1]
            yield np.concatenate([indices[:lo], indices[hi:]]), indices[lo:hi]
            first += size

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds, ``n_splits``."""
        return self.n_splits
