"""A batch of small parquet partitions read in one call, then cut back into partitions.

dask reads a parquet partition per task, and opening the file, converting its table to
pandas and selecting columns cost about a millisecond each whatever the rows: a
streaming fit over many small files (a few hundred rows each) spends more there than in
``partial_fit``. Where every block of a batch is a partition of one ``read_parquet``
(the read itself, or a column selection of it, as ``ddf[features]`` and ``ddf["y"]``
give), :func:`batch_graph` gives a graph of one task instead: dask's own reader reads
all the batch's files in one call (its multi-file read: the tables concatenated, then
converted once), each column selection runs once, and the rows are cut back into the
partitions by their row counts (parquet metadata).

The partitions are the ones dask's own tasks give, or the batch is read their way. The
one read is used only if the files have one schema, its metadata included (pandas
restores each file's dtypes from it), if its dtypes are the dataset's meta (so no integer
column held a null in any of the files, which would make that column float in the
whole batch), and if the batch's first and last partitions, read alone as dask reads
them, equal their cut pieces exactly (values, dtypes, index: dask gives each file its
own ``RangeIndex`` from 0, which the pieces are given back). Anything else, an error
included, reads the partitions one by one, as dask's tasks would; the values are the
same either way.
"""
import operator

__all__ = []


def batch_graph(dsk, keys, width, lengths):
    """A graph computing ``keys`` with one read of their parquet files, or None.

    ``keys``: ``width`` keys per block, block by block; ``lengths``: the blocks' rows.
    None unless there are two blocks or more, every key is its block's partition of one
    ``read_parquet`` (one reader for the batch), or a column selection of it.
    """
    from .._dask_compat import Task, TaskRef

    n = len(keys) // width
    if n < 2:
        return None
    reader, parts, picks = None, [None] * n, []
    for i, key in enumerate(keys):
        block = i // width
        read_key, pick = _partition_of(dsk, key)
        if read_key is None:
            return None
        task = dsk[read_key]
        if reader is None:
            reader = task.func
        if not _same_reader(task.func, reader) or parts[block] not in (None, task.args[0]):
            return None
        parts[block] = task.args[0]
        picks.append((block, pick))
    name = ("parquet-batch", keys[0])
    graph = {name: Task(name, read_together, reader, parts, list(lengths), picks)}
    for i, key in enumerate(keys):
        graph[key] = Task(key, operator.getitem, TaskRef(name), i)
    return graph


#: what a key takes of its partition when it is the read itself (None: it survives the
#: pickling to a worker process as itself)
WHOLE = None


def _partition_of(dsk, key):
    """``(read key, column selection)`` when ``key`` is a parquet partition or columns of
    one (``WHOLE``: the partition), else ``(None, None)``."""
    from .._dask_compat import TaskRef

    key = _through_aliases(dsk, key)
    node = dsk.get(key)
    if _is_read(node):
        return key, WHOLE
    if (getattr(node, "func", None) is operator.getitem and not node.kwargs
            and len(node.args) == 2 and isinstance(node.args[0], TaskRef)
            and _is_columns(node.args[1])):
        read_key = _through_aliases(dsk, node.args[0].key)
        if _is_read(dsk.get(read_key)):
            return read_key, node.args[1]
    return None, None


def _through_aliases(dsk, key):
    """The key ``key`` stands for (``from_delayed`` names each partition twice more)."""
    from .._dask_compat import Alias

    seen = 0
    while isinstance(dsk.get(key), Alias) and seen < 16:
        key, seen = dsk[key].target, seen + 1
    return key


def _is_read(node):
    from .._dask_compat import ParquetFunctionWrapper, Task

    if not isinstance(node, Task) or not isinstance(node.func, ParquetFunctionWrapper):
        return False
    if node.kwargs or len(node.args) != 1 or not isinstance(node.args[0], dict):
        return False
    # a part with keywords of its own is read alone by dask even among others
    return "piece" in node.args[0] and not node.args[0].get("kwargs")


def _same_reader(a, b):
    """Whether two partitions' readers read alike (dask gives each task its own copy:
    the same engine, filesystem and meta objects, equal columns and keywords)."""
    if a is b:
        return True
    if type(a) is not type(b) or vars(a).keys() != vars(b).keys():
        return False
    try:
        return all(x is y or (isinstance(x, (list, dict, tuple, str)) and x == y)
                   for x, y in ((vars(a)[k], vars(b)[k]) for k in vars(a)))
    except (TypeError, ValueError):  # a keyword whose == is not a truth value (arrays)
        return False


def _is_columns(pick):
    labels = pick if isinstance(pick, list) else [pick]
    return all(isinstance(label, (str, int)) and not isinstance(label, bool)
               for label in labels)


def read_together(reader, parts, lengths, picks):
    """The batch's values in key order: one read cut into partitions, else one by one."""
    try:
        values = _together(reader, parts, lengths, picks)
    except Exception:  # noqa: BLE001 -- any surprise: the partitions are read dask's way
        values = None
    return values if values is not None else _one_by_one(reader, parts, picks)


def _one_by_one(reader, parts, picks):
    frames = [reader(part) for part in parts]
    return [_take(frames[block], pick) for block, pick in picks]


def _take(frame, pick):
    return frame if pick is WHOLE else frame[pick]


def _together(reader, parts, lengths, picks):
    import numpy as np
    import pandas as pd

    if not _one_schema(reader.fs, parts):
        return None
    whole = reader(list(parts))
    meta = reader.meta  # the dataset's, before the read's column selection
    if (len(whole) != sum(lengths) or not whole.columns.isin(meta.columns).all()
            or not whole.dtypes.equals(meta.dtypes[whole.columns])):
        return None
    ends = np.cumsum(lengths).tolist()
    starts = [0] + ends[:-1]
    first, last = reader(parts[0]), reader(parts[-1])
    # dask gives each file its own RangeIndex from 0, or the index the file stores
    own = (isinstance(whole.index, pd.RangeIndex) and isinstance(last.index, pd.RangeIndex)
           and last.index.start == 0 and whole.index.start == 0)

    def piece(frame, block):
        out = frame.iloc[starts[block]:ends[block]]
        return out.set_axis(pd.RangeIndex(lengths[block], name=frame.index.name)) if own \
            else out

    if not (_same(piece(whole, 0), first) and _same(piece(whole, len(parts) - 1), last)):
        return None
    selected = {}
    values = []
    for block, pick in picks:
        label = repr(pick)
        if label not in selected:
            selected[label] = _take(whole, pick)
        values.append(piece(selected[label], block))
    return values


def _one_schema(fs, parts):
    """Whether the parts' files have one schema, its metadata included: pandas restores
    each file's own dtypes from it (a nullable ``Int64`` in one file, ``int64`` in
    another), where one read converts every row by the first file's."""
    import pyarrow.parquet as pq

    schemas = set()
    for path in {part["piece"][0] for part in parts}:
        with fs.open(path, "rb") as f:
            schema = pq.read_schema(f)
        schemas.add((schema.to_string(show_schema_metadata=False),
                     tuple(sorted((schema.metadata or {}).items()))))
        if len(schemas) > 1:
            return False
    return True


def _same(a, b):
    """Whether two frames are equal in everything dask's tasks would give."""
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True,
                                      check_column_type=True, check_frame_type=True,
                                      check_flags=True, check_freq=True)
    except AssertionError:
        return False
    return True
