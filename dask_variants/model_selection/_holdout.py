"""The held-out rows of an incremental search: a lazy, blockwise split of every input.

Arrays with known block sizes (or an int ``test_size``) go through dask-ml's rule
(:func:`._split.train_test_split`); frames lose a seeded share of each partition's
rows, so no pass over the data is needed to count them.
"""
import numbers

import numpy as np

from ..blocks import _blocks
from ._split import train_test_split

__all__ = []


def hold_out(arrays, test_size, random_state):
    """The train and the test part of every array, lazily, block by block.

    Arrays with known block sizes, or an int ``test_size``, go through
    :func:`._split.train_test_split` (dask-ml's rule). DataFrames, whose partition
    lengths are unknown, lose ``ceil(test_size * rows)`` random rows of each partition
    instead, so no pass over the data is needed to count them.
    """
    known = all(_blocks.container(a) == "array" and _blocks.known(a.chunks[0])
                for a in arrays)
    if known or isinstance(test_size, numbers.Integral):
        parts = train_test_split(*arrays, test_size=test_size, random_state=random_state,
                                 shuffle=True)
        return parts[0::2], parts[1::2]
    root = [int(v) for v in
            _blocks.check_random_state(random_state).randint(0, 2**31 - 1, size=4)]
    spec = {"share": float(test_size), "root": root}
    return ([_share_part(a, spec, "train") for a in arrays],
            [_share_part(a, spec, "test") for a in arrays])


def _share_rows(n, k, spec, part):
    """Sorted positions of the ``part`` rows of a block of ``n`` rows, block ``k``."""
    perm = np.random.default_rng(np.random.SeedSequence(spec["root"], spawn_key=(k,))) \
        .permutation(n)
    n_test = min(n, int(np.ceil(spec["share"] * n)))
    return np.sort(perm[:n_test] if part == "test" else perm[n_test:])


def _share_partition(frame, partition_info=None, *, spec, part):
    if partition_info is None:  # meta emulation
        return frame
    return frame.iloc[_share_rows(len(frame), partition_info["number"], spec, part)]


def _share_block(x, block_id=None, *, spec, part):
    return x[_share_rows(len(x), block_id[0], spec, part)]


def _share_part(a, spec, part):
    if _blocks.container(a) == "array":
        chunks = ((np.nan,) * a.numblocks[0],) + a.chunks[1:]
        return a.map_blocks(_share_block, chunks=chunks, dtype=a.dtype, meta=a._meta,
                            spec=spec, part=part)
    return a.map_partitions(_share_partition, spec=spec, part=part, meta=a._meta)
