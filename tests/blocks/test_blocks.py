"""Property tests of the block utilities: block order and row alignment."""
import dask.array as da
import numpy as np
import pytest
from hypothesis import given, strategies as st

from dask_variants.blocks._blocks import align, block_order
from dask_variants.blocks._rows import align_all, split_params


@given(n_blocks=st.integers(1, 50), seed=st.integers(0, 2**32 - 1))
def test_block_order_is_a_reproducible_permutation(n_blocks, seed):
    order = block_order(n_blocks, shuffle=True, random_state=seed)
    assert sorted(order) == list(range(n_blocks))
    assert order == block_order(n_blocks, shuffle=True, random_state=seed)
    assert block_order(n_blocks, shuffle=False, random_state=seed) == list(range(n_blocks))


@st.composite
def chunkings(draw, n):
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=8)))
    edges = [0, *cuts, n]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


@given(data=st.data(), n=st.integers(2, 60))
def test_align_gives_y_the_row_blocks_of_x(data, n):
    x_chunks, y_chunks = data.draw(chunkings(n)), data.draw(chunkings(n))
    X = da.from_array(np.arange(n * 2).reshape(n, 2), chunks=(x_chunks, 1))
    y_np = np.arange(n) * 10
    for y in (da.from_array(y_np, chunks=(y_chunks,)), y_np):
        aligned = align(X, y, owner="test", what="y")
        assert aligned.chunks[0] == x_chunks
        np.testing.assert_array_equal(aligned.compute(), y_np)
    per_row, static = split_params(X, {"sample_weight": y_np, "classes": [0, 1]}, owner="t")
    _, _, per_row = align_all(X, None, per_row, owner="t")
    assert per_row["sample_weight"].chunks[0] == x_chunks
    assert static == {"classes": [0, 1]}


def test_align_refuses_a_different_number_of_rows():
    X = da.zeros((10, 2), chunks=5)
    with pytest.raises(ValueError, match="y has 9 rows but X has 10"):
        align(X, da.zeros(9, chunks=3), owner="test", what="y")
