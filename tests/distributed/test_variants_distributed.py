"""Variants on a LocalCluster of worker processes: classes travel by reference."""
import pickle

import dask
import dask.array as da
import numpy as np
import pytest
from dask.array.utils import assert_eq
from sklearn.ensemble import GradientBoostingClassifier

import dask_variants.iid as iid
import dask_variants.incremental as incremental

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.distributed

rng = np.random.RandomState(0)
X_NP = rng.normal(size=(200, 4))
Y_NP = (X_NP[:, 0] > 0).astype(int)


def _describe(est):
    """Runs on a worker: what the worker sees of the estimator it was sent."""
    import dask_variants.iid as worker_iid
    from sklearn.ensemble import GradientBoostingClassifier as Base

    return (type(est).__module__, type(est) is worker_iid.GradientBoostingClassifier,
            isinstance(est, Base), est.sample_blocks)


def test_variants_pickle_onto_workers_by_reference(client):
    est = iid.GradientBoostingClassifier(n_estimators=5, random_state=0, sample_blocks=2)
    assert b"dask_variants.iid.ensemble" in pickle.dumps(est)
    for fitted in (False, True):
        if fitted:
            est.fit(X_NP, Y_NP)
        module, same, isinst, knob = client.submit(_describe, est, pure=False).result()
        assert (module, same, isinst, knob) == ("dask_variants.iid.ensemble", True, True, 2)


def test_variants_predict_on_the_cluster_equals_sklearn(client):
    X = da.from_array(X_NP, chunks=50)
    y = da.from_array(Y_NP, chunks=50)
    est = iid.GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X, y)
    ref = GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X_NP[:50], Y_NP[:50])
    assert_eq(est.predict_proba(X), ref.predict_proba(X_NP))
    inc = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y)
    assert inc.score(X, y) > 0.8
    assert_eq(inc.predict(X), inc.predict(X_NP))


def test_a_result_built_with_block_recipes_computes_on_the_cluster(client, monkeypatch):
    """Built on threads (blocks as recipes for worker processes), computed on workers."""
    from dask_variants.blocks import _blocks

    monkeypatch.setattr(_blocks, "BATCH_BYTES", 1)  # one task per block: the recipes
    X = da.random.RandomState(0).normal(size=(200, 4), chunks=(50, 4))
    est = iid.GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X_NP, Y_NP)
    with dask.config.set(scheduler="threads"):
        lazy = est.predict_proba(X)
    assert not any(k[0] == X.name for k in dict(lazy.dask))
    np.testing.assert_array_equal(lazy.compute(), est.predict_proba(X.compute()))


def test_variants_frame_pipeline_on_the_cluster(client, parquet_frame, tmp_path):
    # the vocabulary reduction and the named predictions, on worker processes
    import dask.dataframe as dd
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    ddf = dd.read_parquet(parquet_frame)
    X, y = ddf.drop(columns="target"), ddf["target"]
    pre = iid.ColumnTransformer([("num", "passthrough", ["num1", "num2"]),
                                 ("cat", OneHotEncoder(), ["city", "plan"])])
    pipe = make_pipeline(pre, incremental.SGDClassifier(random_state=0)).fit(X, y)
    assert [c.tolist() for c in pipe[0].named_transformers_["cat"].categories_] == [
        ["ams", "ber", "cph", "dub"], ["free", "pro", "team"]]
    pred = pipe.predict(X)
    pred.to_frame().to_parquet(tmp_path / "pred.parquet")
    back = dd.read_parquet(tmp_path / "pred.parquet").compute()
    assert list(back.columns) == ["target"] and len(back) == 240
