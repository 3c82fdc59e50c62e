"""What every exact rule's tests share: the data layouts and one fitted-state comparison.

``layouts(X, *others)`` gives the same rows as dask inputs in several chunkings (even,
uneven, with empty blocks) and as a dask DataFrame with named columns; ``assert_same_fit``
compares every fitted attribute of a variant with scikit-learn's on the concatenated data:
the same attribute names, types and dtypes, values to the rule's stated tolerance.
"""
import numbers

import dask.array as da
import numpy as np
import pytest
import scipy.sparse
from numpy.testing import assert_allclose, assert_array_equal

__all__ = ["assert_same_fit", "fitted_attributes", "layouts", "LAYOUTS", "unread",
           "fails_on_read"]

#: row chunkings of a 200-row input: even, uneven, with empty blocks, one block
LAYOUTS = {
    "even": (50, 50, 50, 50),
    "uneven": (7, 93, 1, 60, 39),
    "empty-blocks": (0, 80, 0, 0, 120, 0),
    "one-block": (200,),
}


def _dask(a, chunks):
    if a is None:
        return None
    return da.from_array(a, chunks=(chunks,) + tuple(-1 for _ in a.shape[1:]))


def layouts(X, *others, frames=True):
    """``(id, dX, *d_others)`` for every chunking of ``LAYOUTS``, and a frame layout.

    ``X`` must have 200 rows. The frame layout is a dask DataFrame with string column
    names in 4 partitions, one of them emptied by a filter, and Series for the others.
    """
    out = []
    for name, chunks in LAYOUTS.items():
        out.append(pytest.param(_dask(X, chunks), *(_dask(o, chunks) for o in others),
                                id=name))
    if frames:
        out.append(pytest.param(*frame_layout(X, *others), id="frame"))
    return out


def frame_layout(X, *others):
    """``X`` as a dask DataFrame with named columns (4 partitions, one emptied by a
    filter), the others as Series / frames of the same partitions."""
    import dask.dataframe as dd
    import pandas as pd

    n = len(X)
    df = pd.DataFrame(np.asarray(X), columns=[f"f{j}" for j in range(X.shape[1])])
    df["_keep"] = np.ones(n, bool)
    df.loc[100:149, "_keep"] = False  # partition 2 (rows 100..149) becomes empty
    for i, o in enumerate(others):
        if o is None:
            continue
        o = np.asarray(o)
        if o.ndim == 1:
            df[f"_o{i}"] = o
        else:
            for j in range(o.shape[1]):
                df[f"_o{i}_{j}"] = o[:, j]
    ddf = dd.from_pandas(df, npartitions=4)
    ddf = ddf[ddf["_keep"]]
    cols = [c for c in df.columns if c.startswith("f")]
    outs = [ddf[cols]]
    for i, o in enumerate(others):
        if o is None:
            outs.append(None)
        elif np.ndim(o) == 1:
            outs.append(ddf[f"_o{i}"])
        else:
            outs.append(ddf[[f"_o{i}_{j}" for j in range(np.shape(o)[1])]])
    return outs


def concat(d):
    """The in-memory data a dask input holds (what scikit-learn is fitted on)."""
    return None if d is None else d.compute()


def fitted_attributes(est):
    """``{name: value}`` of the fitted attributes (public, ending in ``_``)."""
    return {k: v for k, v in vars(est).items() if k.endswith("_") and not k.startswith("_")}


def assert_same_fit(ours, ref, *, rtol=1e-10, atol=1e-12, skip=()):
    """Every fitted attribute of ``ours`` equals ``ref``'s: names, types, dtypes, values."""
    a, b = fitted_attributes(ours), fitted_attributes(ref)
    assert sorted(set(a) - set(skip)) == sorted(set(b) - set(skip)), (
        f"fitted attributes differ: ours only {sorted(set(a) - set(b))}, "
        f"scikit-learn only {sorted(set(b) - set(a))}")
    for name in sorted(set(b) - set(skip)):
        _same(name, a[name], b[name], rtol, atol)


def _same(name, x, y, rtol, atol):
    if isinstance(y, np.ndarray):
        assert isinstance(x, np.ndarray), f"{name}: {type(x)} vs ndarray"
        assert x.shape == y.shape, f"{name}: shape {x.shape} vs {y.shape}"
        assert x.dtype == y.dtype, f"{name}: dtype {x.dtype} vs {y.dtype}"
        if y.dtype.kind in "fc":
            assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=name)
        else:
            assert_array_equal(x, y, err_msg=name)
    elif scipy.sparse.issparse(y):
        _same(name, x.toarray(), y.toarray(), rtol, atol)
    elif isinstance(y, (list, tuple)):
        assert type(x) is type(y) and len(x) == len(y), f"{name}: {x!r} vs {y!r}"
        for i, (xi, yi) in enumerate(zip(x, y)):
            _same(f"{name}[{i}]", xi, yi, rtol, atol)
    elif isinstance(y, dict):
        assert x.keys() == y.keys(), name
        for k in y:
            _same(f"{name}[{k!r}]", x[k], y[k], rtol, atol)
    elif isinstance(y, numbers.Real) and not isinstance(y, (bool, np.bool_)):
        assert type(x) is type(y), f"{name}: {type(x)} vs {type(y)}"
        assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=name)
    elif hasattr(y, "get_params"):  # a fitted sub-estimator
        assert type(x) is type(y), name
        assert_same_fit(x, y, rtol=rtol, atol=atol)
    else:
        assert x == y, f"{name}: {x!r} vs {y!r}"


def unread(X, chunks):
    """``X`` as a dask array whose blocks fail the test if anything reads them (to show
    a refusal is raised before any block is read)."""
    def boom(block):
        raise AssertionError("a block was read")

    return da.from_array(X, chunks=(chunks, -1)).map_blocks(boom, dtype=X.dtype)


def fails_on_read(X, chunks, block, nth):
    """``X`` as a dask array whose block ``block`` raises ``RuntimeError("disk gone")``
    from its ``nth`` read on (a failure in a later pass of an iterative fit)."""
    calls = {"n": 0}

    def read(b, block_info=None):
        if block_info[0]["chunk-location"][0] == block:
            calls["n"] += 1
            if calls["n"] >= nth:
                raise RuntimeError("disk gone")
        return b

    return da.from_array(X, chunks=(chunks, -1)).map_blocks(read, dtype=X.dtype)
