"""exact.ColumnTransformer on a 2-worker LocalCluster: parquet files read on the workers,
every transformer fitted on every row there, equal to scikit-learn's on the concatenated
frame; the density pass and the lazy transform run there too."""
import dask.dataframe as dd
import pytest
from sklearn.compose import ColumnTransformer

from dask_variants import exact
from tests.engine.rules.test_column_transformer import (
    assert_same_column_transformer, assert_same_output, frame, typical,  # noqa: F401
)

pytest.importorskip("distributed")

pytestmark = pytest.mark.distributed


@pytest.mark.parametrize("threshold", [0.3, 0.9])
def test_column_transformer_on_cluster_equals_sklearn(client, frame, threshold):  # noqa: F811
    X, y, Xp, yp = frame
    ours = exact.ColumnTransformer(**typical(threshold)).fit(X, y)
    ref = ColumnTransformer(**typical(threshold)).fit(Xp, yp)
    assert ref.sparse_output_ is (threshold == 0.9)
    assert_same_column_transformer(ours, ref)
    out = ours.transform(X)
    assert isinstance(out, dd.DataFrame) is (not ref.sparse_output_)
    assert_same_output(client.compute(out).result(), ref.transform(Xp))


def test_column_transformer_on_cluster_refuses_before_reading(client, frame):  # noqa: F811
    from sklearn.preprocessing import KBinsDiscretizer

    X, y, _, _ = frame

    def boom(part):
        raise AssertionError("a block was read")

    ct = exact.ColumnTransformer([("k", KBinsDiscretizer(n_bins=3), ["f"])])
    with pytest.raises(TypeError, match=r"step 'k' \(KBinsDiscretizer\) has no exact"):
        ct.fit(X.map_partitions(boom, meta=X._meta), y)
