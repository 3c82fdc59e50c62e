"""Container dispatch, done once: dask arrays and dask DataFrames/Series, by row block.

Everything that asks "what kind of input is this?" lives here, so no other module repeats
``isinstance`` ladders. :func:`rows` is the one place that looks at the type: it returns
the adapter for the container's kind (:class:`ArrayRows`, :class:`FrameRows`), and the
functions below (count blocks, sizes, take one block, select blocks) ask that adapter.
``dask.dataframe`` is never imported by this module: an object can only be a dask
DataFrame if the user already imported it.
"""
import contextlib
import logging
import sys
import uuid

import dask
import dask.array as da
import numpy as np
from sklearn.utils import check_random_state

logger = logging.getLogger(__name__)

__all__ = []

#: blocks smaller than this are computed together (one task of a post-fit method, one
#: load of the streaming fit), up to this many bytes at once
BATCH_BYTES = 4 * 2**20
#: never more blocks than this together
MAX_BATCH = 256
#: bytes counted per cell of a column that is not a NumPy number (strings, objects)
_OBJECT_CELL_BYTES = 64


class ArrayRows:
    """Row blocks of a dask array: its chunks along axis 0."""

    kind = "array"

    @staticmethod
    def n_blocks(X):
        return X.numblocks[0]

    @staticmethod
    def row_chunks(X):
        return X.chunks[0]

    @staticmethod
    def block(X, k):
        return X.blocks[k]

    @staticmethod
    def select(X, indices):
        return X.blocks[list(indices)]

    @staticmethod
    def as_rows(X):
        """``X`` with one chunk along every axis but the first."""
        if X.ndim > 1 and any(len(c) > 1 for c in X.chunks[1:]):
            return X.rechunk({i: -1 for i in range(1, X.ndim)})
        return X

    @staticmethod
    def align(X, other, owner, what):
        """A dask ``other`` with row block ``k`` the rows of ``X``'s block ``k``."""
        if rows(other).kind != "array":  # a frame's column beside an array
            other = _frame_beside_array(X, other)
        return _align_arrays(X, other, owner, what)

    @staticmethod
    def unique(y):
        if y.ndim == 2:
            cols = [da.unique(y[:, j]) for j in range(y.shape[1])]
            return list(dask.compute(*cols))
        return da.unique(y).compute()


class FrameRows:
    """Row blocks of a dask DataFrame or Series: its partitions, sizes unknown."""

    def __init__(self, kind):
        self.kind = kind  # "frame" or "series"

    @staticmethod
    def n_blocks(X):
        return X.npartitions

    @staticmethod
    def row_chunks(X):
        return (np.nan,) * X.npartitions

    @staticmethod
    def block(X, k):
        return X.partitions[k]

    @staticmethod
    def select(X, indices):
        return X.partitions[list(indices)]

    @staticmethod
    def as_rows(X):
        return X

    @staticmethod
    def align(X, other, owner, what):
        """Partitions (or an array's blocks) beside ``X``'s: they correspond by position."""
        return _align_by_position(X, other, owner, what)

    @staticmethod
    def unique(y):
        return np.sort(y.drop_duplicates().compute().to_numpy())


_ARRAY, _FRAME, _SERIES = ArrayRows(), FrameRows("frame"), FrameRows("series")


def rows(obj):
    """The row-block adapter for ``obj``'s kind, or ``None`` when it is not one we split."""
    if isinstance(obj, da.Array):
        return _ARRAY
    dd = sys.modules.get("dask.dataframe")
    if dd is not None:
        if isinstance(obj, dd.DataFrame):
            return _FRAME
        if isinstance(obj, dd.Series):
            return _SERIES
    return None


def container(obj):
    """Return ``"array"``, ``"frame"``, ``"series"`` or ``None`` (not a dask collection)."""
    adapter = rows(obj)
    return None if adapter is None else adapter.kind


def is_dask(obj):
    """True for any dask collection (arrays, frames, but also bags and delayed)."""
    return dask.is_dask_collection(obj)


def as_rows(X):
    """Return ``X`` with one chunk along every axis but the first."""
    adapter = rows(X)
    return X if adapter is None else adapter.as_rows(X)


def n_blocks(X):
    """Number of row blocks."""
    return rows(X).n_blocks(X)


def row_chunks(X):
    """Rows per block; ``nan`` where unknown (always, for dask DataFrames)."""
    return rows(X).row_chunks(X)


def known(chunks):
    """True when every size in ``chunks`` is known."""
    return not np.isnan(np.asarray(chunks, dtype=float)).any()


def block_bytes(X, lengths=False):
    """Bytes of every row block, where they are known without reading one, else ``None``.

    A dask array's chunks tell them. A DataFrame's partition lengths are known when its
    source knows them (``from_pandas``, parquet row-count metadata, through column
    selections and elementwise steps); a filtered frame's are not. A frame's row counts
    ``itemsize`` per NumPy column (and the index) and ``_OBJECT_CELL_BYTES`` per other
    cell. ``lengths``: the frame's :func:`partition_lengths`, when the caller has them.
    """
    adapter = rows(X)
    if adapter is None:
        return None
    if adapter.kind == "array":
        chunks = X.chunks[0]
        if not chunks or not known(chunks):
            return None
        per_row = int(np.prod([sum(c) for c in X.chunks[1:]])) * X.dtype.itemsize
        return [max(1, int(n) * per_row) for n in chunks]
    lengths = partition_lengths(X) if lengths is False else lengths
    if lengths is None:
        return None
    meta = X._meta
    dtypes = list(meta.dtypes) if adapter.kind == "frame" else [meta.dtype]
    per_row = sum(_cell_bytes(d) for d in dtypes + [meta.index.dtype])
    return [max(1, int(n) * per_row) for n in lengths]


def _cell_bytes(dtype):
    return dtype.itemsize if isinstance(dtype, np.dtype) and dtype != object \
        else _OBJECT_CELL_BYTES


#: partition lengths of frames rebuilt from another's partitions (``co_partition``), which
#: dask cannot tell any more, by the rebuilt frame's expression name; the latest few
_REBUILT_LENGTHS = {}
_REBUILT_KEPT = 32


def remember_lengths(X, lengths):
    """Record that rebuilt frame ``X``'s partitions have ``lengths`` rows."""
    _REBUILT_LENGTHS[X._name] = tuple(int(n) for n in lengths)
    while len(_REBUILT_LENGTHS) > _REBUILT_KEPT:
        del _REBUILT_LENGTHS[next(iter(_REBUILT_LENGTHS))]


def partition_lengths(X):
    """Rows of every partition of dask DataFrame/Series ``X`` if known unread, else None."""
    from .._dask_compat import Lengths, Literal

    rebuilt = _REBUILT_LENGTHS.get(X._name)
    if rebuilt is not None:
        return rebuilt if len(rebuilt) == X.npartitions else None
    expr = Lengths(X.expr).optimize(fuse=False)
    if not isinstance(expr, Literal):
        return None
    lengths = tuple(expr.value)
    return lengths if len(lengths) == X.npartitions else None


@contextlib.contextmanager
def unbatched():
    """Every block computed alone while inside (not thread-safe: for the estimator checks,
    which must see each block's own output to tell a method that depends on its call's
    other rows)."""
    global BATCH_BYTES
    saved, BATCH_BYTES = BATCH_BYTES, 0
    try:
        yield
    finally:
        BATCH_BYTES = saved


def batch_ranges(sizes, start=0, stop=None):
    """Runs ``(a, b)`` of consecutive blocks ``a..b-1`` to compute together.

    Consecutive blocks are taken while their bytes stay within ``BATCH_BYTES`` (a block
    alone may exceed it) and their count within ``MAX_BATCH``; so ``[(k, k + 1), ...]``
    when every block is large.
    """
    stop = len(sizes) if stop is None else stop
    out, a = [], start
    while a < stop:
        b, total = a + 1, sizes[a]
        while b < stop and b - a < MAX_BATCH and total + sizes[b] <= BATCH_BYTES:
            total += sizes[b]
            b += 1
        out.append((a, b))
        a = b
    return out


def n_rows(part):
    """Rows of one computed block (numpy, pandas or scipy.sparse)."""
    return part.shape[0]


def concat(parts):
    """Computed row blocks stacked into one (numpy, pandas or scipy.sparse)."""
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if hasattr(first, "iloc"):
        import pandas as pd

        return pd.concat(parts)
    import scipy.sparse

    if scipy.sparse.issparse(first):
        return scipy.sparse.vstack(parts, format=first.format)
    return np.concatenate(parts)


def block(X, k):
    """The lazy row block ``k`` of ``X``."""
    return rows(X).block(X, k)


def select(X, indices):
    """The row blocks ``indices`` of ``X``, lazily, in that order."""
    return rows(X).select(X, indices)


def block_order(n_blocks, shuffle, random_state):
    """Return the order in which one pass visits ``n_blocks`` blocks.

    Parameters
    ----------
    n_blocks : int
    shuffle : bool
        ``False`` keeps the natural order.
    random_state : None, int or numpy.random.RandomState
        Seeds the permutation (see ``sklearn.utils.check_random_state``).

    Returns
    -------
    list of int
    """
    if not shuffle:
        return list(range(n_blocks))
    return [int(i) for i in check_random_state(random_state).permutation(n_blocks)]


def align(X, other, *, owner, what):
    """Return ``other`` as a collection whose row block ``k`` matches ``X``'s block ``k``.

    ``other`` is a per-row argument (``y``, ``sample_weight``...) given as a dask
    collection, or an in-memory array of ``len(X)`` rows when ``X``'s sizes are known.
    Array chunks are rechunked to ``X``'s; where sizes are unknown, the numbers of blocks
    must agree. Raises ``ValueError`` naming the sizes and the fix otherwise.
    """
    if rows(other) is None:
        return _split_in_memory(X, other, owner, what)
    return rows(X).align(X, other, owner, what)


def _split_in_memory(X, other, owner, what):
    """An in-memory per-row argument cut along ``X``'s row blocks (sizes must be known)."""
    xc = row_chunks(X)
    other_arr = np.asarray(other) if not hasattr(other, "iloc") else other
    n = other_arr.shape[0]
    if not known(xc):
        raise ValueError(
            f"{owner} cannot split {what} ({type(other).__name__} of {n} rows) along "
            f"X's blocks: X's block sizes are unknown ({len(xc)} blocks of nan rows). "
            f"Give {what} as a dask collection from the same frame as X, or call "
            "X.compute_chunk_sizes() first."
        )
    if n != sum(xc):
        raise ValueError(
            f"{owner}: {what} has {n} rows but X has {int(sum(xc))}. "
            f"Pass one value of {what} per row of X."
        )
    if hasattr(other_arr, "iloc"):
        other_arr = other_arr.to_numpy()
    chunks = (xc,) + tuple((s,) for s in other_arr.shape[1:])
    return da.from_array(other_arr, chunks=chunks)


def _frame_beside_array(X, other):
    """Frame ``other`` as a dask array to align with array ``X``'s row blocks.

    Where ``X``'s block sizes are known and ``other``'s blocks are not as many (dask's
    optimizer fuses a narrow read of small parquet files into fewer partitions, so ``y =
    ddf["y"]`` can have fewer partitions than an array made from ``ddf``'s), ``other``
    gets known chunks to be rechunked to ``X``'s: from the parquet metadata, else from
    one pass over ``other``'s own columns (logged).
    """
    xc = X.chunks[0]
    if not known(xc):
        return other.to_dask_array()
    other = other.optimize()  # the partitions dask will compute
    lengths = partition_lengths(other)
    if lengths is None:
        if other.npartitions == len(xc):
            return other.to_dask_array()  # block k beside block k, as before
        logger.debug("counting the rows of %d partitions of %s to align them with %d "
                     "blocks", other.npartitions, type(other).__name__, len(xc))
        lengths = True
    return other.to_dask_array(lengths=lengths)


def _align_arrays(X, other, owner, what):
    """A dask array ``other`` rechunked to ``X``'s row chunks where sizes tell them."""
    xc, oc = X.chunks[0], other.chunks[0]
    if known(xc) and known(oc):
        if sum(xc) != sum(oc):
            raise ValueError(
                f"{owner}: {what} has {int(sum(oc))} rows but X has {int(sum(xc))}. "
                f"Pass one value of {what} per row of X."
            )
        if oc != xc:
            other = other.rechunk({0: xc})
        return _ARRAY.as_rows(other)
    if len(oc) == len(xc):
        return _ARRAY.as_rows(other)
    raise ValueError(
        f"{owner} cannot align {what} with X: {what} has row chunks {oc!r}, X has "
        f"{xc!r}, and unknown (nan) sizes block rechunking. Call "
        f"{what}.compute_chunk_sizes() and X.compute_chunk_sizes(), or take X and "
        f"{what} from one frame."
    )


def _align_by_position(X, other, owner, what):
    """Blocks that correspond by position: the numbers of blocks must agree."""
    if n_blocks(other) != n_blocks(X):
        raise ValueError(
            f"{owner} cannot align {what} with X: {what} has {n_blocks(other)} partitions, "
            f"X has {n_blocks(X)}, and their row counts are unknown. Take X and {what} "
            "from one frame (X = df[features]; y = df[target]) or repartition them alike."
        )
    return other


def estimator_ref(est):
    """A delayed handle on ``est``: one graph key shared by every block's task."""
    return dask.delayed(est, name=f"{type(est).__name__}-{uuid.uuid4().hex}", pure=False)


def compute_unique(y):
    """Sorted unique values of a dask array/Series ``y`` (2-D: a list, one per column)."""
    return rows(y).unique(y)


# --------------------------------------------------------------------------- estimators


#: the one hook a variant defines (``dask_variants._variants._protocol``): its
#: scikit-learn side, ``super()`` past every mixin. Nothing here imports the variants.
_BASE_HOOK = "_dask_variants_base"


def in_memory(est, method):
    """The in-memory method: the scikit-learn base's for a variant, else the object's."""
    hook = getattr(est, _BASE_HOOK, None)
    return getattr(est if hook is None else hook(), method)


def in_memory_class(est):
    """The class whose methods run on in-memory blocks: a variant's base, else its own."""
    for klass in type(est).__mro__:
        if not hasattr(klass, _BASE_HOOK):
            return klass
    return type(est)


def any_dask(*values):
    """True when a value, or a value of a dict among them, is a dask collection."""
    for value in values:
        inner = value.values() if isinstance(value, dict) else (value,)
        if any(is_dask(v) for v in inner):
            return True
    return False
