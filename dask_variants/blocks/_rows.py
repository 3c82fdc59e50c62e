"""Row blocks that mean the same rows in every input, by construction.

``co_partition(X, others)`` returns new collections in which block ``k`` of ``X`` and
block ``k`` of every per-row input (``y``, ``sample_weight``, ...) hold the same rows,
however dask's optimizer would repartition them and whatever collection types they
are. Everything after it (streaming, sampling, scoring, metrics, splitting) may pair
blocks by position.

Why it is needed (dask 2025-2026): the expression optimizer of ``dask.dataframe``
projects each view of a frame on its own and may fuse a narrow projection's parquet
partitions (``ddf["target"]`` optimises to 3 partitions while ``ddf.drop(columns=
"target")`` keeps 10); and computing an expression-backed frame together with a
graph-backed dask array (``ddf["y"].to_dask_array()``) materialises the frame's keys in
hash order, so "the k-th key" is not block k. Neither may ever pair wrong rows.

How:

* Array ``X``: the other inputs become dask arrays rechunked to ``X``'s row chunks
  (``_blocks.align``); all of them are graph-backed, so block order is their own.
* Frame or Series ``X``: the frame-like inputs are packed into one frame by ``assign``
  (dask checks they derive from the same frame, or aligns them on known divisions);
  that frame is optimised once and cut into its partitions (``to_delayed``); dask-array
  inputs are added to each partition as columns, their row counts checked; and the
  packed partitions become one new frame (``from_delayed``, which dask never
  repartitions). ``X`` and the others are column selections of that one frame.

Data are read once: every returned collection depends on the same packed partitions.
"""
import dask
import numpy as np

from . import _blocks

__all__ = []

#: prefix of the columns that carry the per-row inputs inside the packed frame
_RESERVED = "__dask_variants_"


def co_partition(X, others, *, owner, arrays_as="frame", frames_as="frame"):
    """Return ``X`` and ``others`` rebuilt so that row block ``k`` is the same rows in all.

    Parameters
    ----------
    X : dask array, DataFrame or Series
    others : dict of str to (dask collection, in-memory array or None)
        Per-row inputs, named for messages (``"y"``, ``"sample_weight"``).
    owner : str
        The calling method, e.g. ``"SGDClassifier.fit"``, for messages.
    arrays_as : {"frame", "array"}, default="frame"
        What a dask array beside a frame ``X`` comes back as: a dask Series (DataFrame
        for 2-D), which is what everything computed with ``X`` needs (computing a frame
        together with a graph-backed dask array may pair its keys in hash order), or a
        dask array whose block ``k`` is partition ``k``'s rows, for results handed back
        to the user in the kinds they gave.
    frames_as : {"frame", "array"}, default="frame"
        ``"array"``: every input, ``X`` and the frames too, comes back as a dask array of
        its values (dask-ml's ``convert_mixed_types``), built from the same partitions.

    Returns
    -------
    X, others : the same kinds of objects, aligned with ``X``'s row blocks.

    Raises
    ------
    ValueError
        The inputs come from frames of different, unknown partitioning, or a dask array's
        row blocks cannot be matched with the frame's partitions.
    """
    if _blocks.container(X) == "array":
        return X, {
            name: None if v is None else _blocks.align(X, v, owner=owner, what=name)
            for name, v in others.items()
        }
    frames = {n: v for n, v in others.items() if _blocks.container(v) in ("frame", "series")}
    arrays = {n: v for n, v in others.items() if _blocks.container(v) == "array"}
    rest = {n: v for n, v in others.items() if n not in frames and n not in arrays}
    rest = {n: None if v is None else _blocks.align(X, v, owner=owner, what=n)
            for n, v in rest.items()}
    # even alone, a frame is rebuilt: its partitions as dask's optimizer makes them are
    # the blocks, and every later step (sampling, hold-out, streaming) counts the same
    apart = {n: v for n, v in frames.items() if not _can_assign(X, v)}
    frames = {n: v for n, v in frames.items() if n not in apart}
    packed, layout = _pack_frames(X, frames, owner=owner)
    import dask.dataframe as dd

    lengths = _blocks.partition_lengths(packed)  # before optimising: from the metadata
    parts = list(packed.to_delayed(optimize_graph=True))
    meta = packed._meta
    if arrays or apart:
        parts, meta = _add_blocks(parts, meta, {**arrays, **apart}, layout, owner=owner)
    if frames_as == "array":
        def as_array(spec):
            kind, cols, extra = spec
            one_d = kind == "series" or (kind == "array" and extra == 1)
            return _array_from_parts(parts, meta, (kind, cols, 1 if one_d else 2))
        return as_array(layout["X"]), {
            **{name: as_array(spec) for name, spec in layout.items() if name != "X"},
            **rest}
    # the user's partitions, rebuilt as they are: dask's conversion of object columns to
    # strings would turn a column of dicts or label sets into their repr
    with dask.config.set({"dataframe.convert-string": False}):
        whole = dd.from_delayed(parts, meta=meta, verify_meta=False)
    out = {}
    for name, spec in layout.items():
        if name == "X":
            continue
        if spec[0] == "array" and arrays_as == "array":
            out[name] = _array_from_parts(parts, meta, spec)
        else:
            out[name] = _unpack(whole, spec)
    X = _unpack(whole, layout["X"])
    if lengths is not None and len(lengths) == len(parts):  # the optimiser kept them
        _blocks.remember_lengths(X, lengths)
    return X, {**out, **rest}


def _pack_frames(X, frames, *, owner):
    """One dask frame holding ``X``'s columns and every frame-like input's."""
    shared = _selections_of_one_frame(X, frames)
    if shared is not None:
        return shared
    layout = {}
    if _blocks.container(X) == "series":
        name = _RESERVED + "X__"
        packed = X.to_frame(name=name)
        layout["X"] = ("series", [name], X.name)
    else:
        packed = X
        layout["X"] = ("frame", list(X.columns), None)
    taken = set(map(str, packed.columns))
    for name, value in frames.items():
        if _blocks.container(value) == "series":
            col = _fresh(f"{_RESERVED}{name}__", taken)
            packed = packed.assign(**{col: value})
            layout[name] = ("series", [col], value.name)
        else:
            cols = [_fresh(f"{_RESERVED}{name}_{i}__", taken) for i in range(len(value.columns))]
            packed = packed.assign(**{c: value[orig] for c, orig in zip(cols, value.columns)})
            layout[name] = ("frame", cols, list(value.columns))
    return packed, layout


def _selections_of_one_frame(X, frames):
    """``(packed, layout)`` when ``X`` and every frame are column selections of one frame
    (``ddf[features]``, ``ddf["y"]``, ``ddf.drop(columns="y")``), else None.

    The packed frame is then that frame's selection of all their columns: one read of
    the columns each partition needs, with nothing added to it (``assign`` would copy
    every partition once more), and each input is its own columns of it, as before.
    """
    from .._dask_compat import Drop, Projection, new_collection

    def base_of(coll):
        expr = coll.expr
        while isinstance(expr, (Projection, Drop)):
            expr = expr.frame
        return expr

    inputs = {"X": X, **frames}
    bases = {name: base_of(coll) for name, coll in inputs.items()}
    base = bases["X"]
    if any(b._name != base._name for b in bases.values()):
        return None
    whole = new_collection(base)
    if _blocks.container(whole) != "frame" or not whole.columns.is_unique:
        return None
    layout, wanted = {}, []
    for name, coll in inputs.items():
        series = _blocks.container(coll) == "series"
        cols = [coll.name] if series else list(coll.columns)
        if (not all(c in whole.columns for c in cols)
                or list(coll._meta.dtypes if not series else [coll.dtype])
                != list(whole._meta.dtypes[cols])):
            return None
        layout[name] = ("series", cols, coll.name) if series else ("frame", cols, None)
        wanted += [c for c in cols if c not in wanted]
    # the packed frame keeps the frame's column order, as a selection would
    packed = whole[[c for c in whole.columns if c in wanted]]
    return packed, layout


def _fresh(name, taken):
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _can_assign(X, value):
    """True when dask can put ``value``'s rows beside ``X``'s by ``assign``: the two
    derive from one frame, or both have known divisions (aligned on the index)."""
    from .._dask_compat import are_co_aligned

    return bool(are_co_aligned(X.expr, value.expr)) or (
        X.known_divisions and value.known_divisions)


def _add_blocks(parts, meta, extra, layout, *, owner):
    """Add block ``k`` of each input of ``extra`` to packed partition ``k`` as columns.

    ``extra`` holds dask arrays, and frames that dask cannot align with ``X`` (another
    source, unknown divisions), such as ``X`` and ``y`` read from two parquet datasets
    written side by side: their partitions are paired by position, and each pair's row
    count (and, for frames, index) must agree.
    """
    import dask

    n = len(parts)
    blocks, cols = {}, {}
    taken = set(map(str, meta.columns))
    meta = meta.copy()
    for name, value in extra.items():
        if _blocks.container(value) == "array":
            value = _blocks.as_rows(value)
            if value.ndim not in (1, 2):
                raise ValueError(
                    f"{owner}: {name} must be 1-D or 2-D, got a dask array of shape "
                    f"{value.shape!r}. Reshape it to (n_samples,) or (n_samples, n_outputs)."
                )
            if value.numblocks[0] != n:
                value = _rechunk_to_parts(value, parts, name, owner=owner)
            dtypes = [value.dtype] * (1 if value.ndim == 1 else int(value.shape[1]))
            spec = ("array", value.ndim)
            blocks[name] = list(value.to_delayed(optimize_graph=True).ravel())
        else:
            blocks[name] = list(value.to_delayed(optimize_graph=True))
            if len(blocks[name]) != n:
                raise ValueError(
                    f"{owner} cannot align {name} with X: they come from different dask "
                    f"frames with unknown divisions, and {name} has {len(blocks[name])} "
                    f"partitions where X has {n}, so no row of one can be matched with a "
                    f"row of the other. Take X and {name} from one frame (X = "
                    f"df[features]; {name} = df[target]), or set a sorted index on both "
                    "(set_index) so dask can align them."
                )
            if _blocks.container(value) == "series":
                dtypes, spec = [value.dtype], ("series", value.name)
            else:
                dtypes, spec = list(value.dtypes), ("frame", list(value.columns))
        names = [_fresh(f"{_RESERVED}{name}_{i}__", taken) for i in range(len(dtypes))]
        for c, dtype in zip(names, dtypes):
            meta[c] = _empty_column(dtype)
        cols[name] = names
        layout[name] = (spec[0], names, spec[1])
    add = dask.delayed(_add_columns, pure=True)
    parts = [
        add(part, k, [(name, cols[name], blocks[name][k]) for name in extra], owner)
        for k, part in enumerate(parts)
    ]
    return parts, meta


def _empty_column(dtype):
    """An empty pandas Series of ``dtype`` (numpy or pandas extension dtypes)."""
    import pandas as pd

    return pd.Series([], dtype=dtype)


def _add_columns(part, k, columns, owner):
    """Partition ``part`` with every block of ``columns`` added as columns, rows checked."""
    part = part.copy()
    for name, names, block in columns:
        if block.shape[0] != len(part):
            raise ValueError(
                f"{owner}: row block {k} of {name} has {block.shape[0]} rows but X's "
                f"partition {k} has {len(part)}: {name}'s blocks do not match X's "
                f"partitions. Take X and {name} from one frame (df[target]), or give a "
                "dask array made with to_dask_array(lengths=True)."
            )
        if hasattr(block, "index"):  # a partition of another frame, paired by position
            if not block.index.equals(part.index):
                raise ValueError(
                    f"{owner}: partition {k} of {name} and of X have the same number of "
                    "rows but different index values, so they are not the same rows. Take "
                    f"X and {name} from one frame, or set a sorted index on both."
                )
            series = [block] if block.ndim == 1 else [block.iloc[:, j] for j in range(len(names))]
            for c, values in zip(names, series):
                part[c] = values.array  # keeps categories and strings
            continue
        values = block[:, None] if block.ndim == 1 else block
        for j, c in enumerate(names):
            part[c] = values[:, j]
    return part


def _rechunk_to_parts(arr, parts, name, *, owner):
    """``arr`` rechunked to the packed partitions' row counts.

    A dask array made from a frame (``ddf["y"].to_dask_array()``) may have fewer blocks
    than the frame has partitions: dask's optimizer fused them when the array was made.
    Matching its rows costs one pass that counts the rows of every partition (and one
    over the array when its sizes are unknown), logged at DEBUG.
    """
    import logging

    import dask

    logging.getLogger(__name__).debug(
        "%s: counting the rows of %d partitions to align %s (%d blocks)",
        owner, len(parts), name, arr.numblocks[0],
    )
    if not _blocks.known(arr.chunks[0]):
        arr = arr.copy().compute_chunk_sizes()
    lengths = dask.compute(*[dask.delayed(len)(p) for p in parts])
    if sum(lengths) != arr.shape[0]:
        raise ValueError(
            f"{owner}: {name} has {arr.shape[0]} rows but X has {sum(lengths)}. Pass one "
            f"value of {name} per row of X."
        )
    return arr.rechunk({0: tuple(int(n) for n in lengths)})


def _unpack(whole, spec):
    """The collection described by ``spec`` out of the packed frame ``whole``."""
    kind, cols, extra = spec
    if kind == "frame":
        sub = whole[cols]
        if extra is not None:
            sub = sub.rename(columns=dict(zip(cols, extra)))
        return sub
    if kind == "series":
        series = whole[cols[0]]
        return series if extra == cols[0] else series.rename(extra)
    # a dask array beside a frame comes back as a frame-like of the same shape: a dask
    # array derived from ``whole`` computed with it would pair keys in hash order again
    if extra == 1:
        return whole[cols[0]].rename(None)
    return whole[cols].rename(columns=dict(zip(cols, range(len(cols)))))


def _array_from_parts(parts, meta, spec):
    """A dask array of the packed columns ``spec``: block ``k`` from partition ``k``."""
    import dask
    import dask.array as da

    _, cols, ndim = spec
    dtype = meta[cols].to_numpy().dtype  # the values' common dtype, as to_numpy gives
    shape = (np.nan,) if ndim == 1 else (np.nan, len(cols))
    get = dask.delayed(_columns, pure=True)
    return da.concatenate([
        da.from_delayed(get(part, cols, ndim), shape=shape, dtype=dtype) for part in parts
    ])


def _columns(part, cols, ndim):
    values = part[cols].to_numpy()
    return values[:, 0] if ndim == 1 else values


#: in-memory fit parameters that hold one value per row
_PER_ROW = ("sample_weight",)
#: fit parameters that are never per-row, even as dask collections: computed once
_WHOLE = ("classes",)


def split_params(X, params, *, owner):
    """Split fit parameters into per-row ones and the rest.

    Dask collections are per-row (not yet aligned with ``X``: see
    :func:`._rows.co_partition`); so is an in-memory ``sample_weight``. ``classes``
    given as a dask collection (``da.unique(y)``, ``np.unique`` of a dask ``y``) is
    computed once. Returns ``(per_row, static)`` dictionaries.
    """
    per_row, static = {}, {}
    for name, value in params.items():
        if name in _WHOLE and _blocks.is_dask(value):
            (value,) = dask.compute(value)
            static[name] = np.asarray(value)
        elif _blocks.is_dask(value) or (name in _PER_ROW and value is not None and np.ndim(value) > 0):
            per_row[name] = value
        else:
            static[name] = value
    return per_row, static


def align_all(X, y, per_row, *, owner):
    """``X``, ``y`` and the per-row parameters with row block ``k`` the same rows in all."""
    X, aligned = co_partition(X, {"y": y, **per_row}, owner=owner)
    y = aligned.pop("y")
    return X, y, aligned
