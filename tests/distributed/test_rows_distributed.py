"""Rows of X and y pair on a cluster too: the row-pairing check of tests/blocks/test_rows.py."""
import pytest

from tests.blocks.test_rows import _check_all

pytestmark = pytest.mark.distributed


@pytest.mark.parametrize("form", ["series", "array"])
def test_rows_pair_on_a_cluster(client, form, tmp_path):
    _check_all("read_parquet", form, [3, 0, 4, 2, 5, 1], str(tmp_path), 0)
