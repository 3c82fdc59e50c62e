"""Shared fixtures: seeded, row-chunked data and the hypothesis profiles.

``HYPOTHESIS_PROFILE=dev`` runs more examples locally; CI (``CI=true``) uses ``ci``.
"""
import os

import dask
import dask.array as da
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def xy_classification():
    """A seeded binary problem, 120 rows x 5 features, as numpy arrays."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 5))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.5, size=120) > 0).astype(int)
    return X, y


@pytest.fixture
def xy_rowblocks(xy_classification):
    """The binary problem as dask arrays in 4 row blocks of 30."""
    X, y = xy_classification
    return da.from_array(X, chunks=(30, 5)), da.from_array(y, chunks=30)


@pytest.fixture(scope="session")
def parquet_frame(tmp_path_factory):
    """A mixed-dtype frame written as 6 parquet files; returns the directory.

    240 rows: numbers ``num1``, ``num2``; a string column ``city`` whose value ``"dub"``
    only the last two files hold; a ``category`` column ``plan`` (read back with unknown
    categories, as dask reads parquet) whose ``"team"`` only the last file holds; a
    binary ``target``. Read it with ``dd.read_parquet(path)``.
    """
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    dd = pytest.importorskip("dask.dataframe")

    rng = np.random.RandomState(0)
    n = 240
    city = rng.choice(["ams", "ber", "cph"], n).astype(object)
    city[160:] = np.where(rng.rand(n - 160) < 0.5, "dub", city[160:])
    plan = rng.choice(["free", "pro"], n).astype(object)
    plan[200:] = np.where(rng.rand(n - 200) < 0.5, "team", plan[200:])
    df = pd.DataFrame({
        "num1": rng.normal(size=n),
        "num2": rng.normal(size=n),
        "city": pd.array(city, dtype="str"),
        "plan": pd.Categorical(plan),
    })
    df["target"] = ((df["num1"] + (df["city"] == "dub") - (df["plan"] == "free")) > 0)
    df["target"] = df["target"].astype("int64")
    path = tmp_path_factory.mktemp("frame") / "data.parquet"
    dd.from_pandas(df, npartitions=6, sort=False).to_parquet(path, write_index=False)
    return path


@pytest.fixture(scope="session")
def _cluster():
    """A 2-worker ``LocalCluster`` of processes on loopback, started once per session.

    Once per session (per xdist worker), not per module: starting the worker processes
    and importing scikit-learn in them is most of a distributed test's cost, and with
    ``pytest -n 2`` the four modules that use it could start eight clusters.
    """
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    )
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def client(_cluster):
    """A ``Client`` of the session's cluster, the default scheduler during the module.

    Closing it after the module releases whatever the module persisted and gives the
    other modules back their local scheduler.
    """
    import distributed

    c = distributed.Client(_cluster)
    c.wait_for_workers(2, timeout=60)  # a module may have killed one (it restarts)
    yield c
    c.close()


@pytest.fixture(params=["sync", "threads", "processes"])
def scheduler(request):
    """Run the test body under each local dask scheduler."""
    with dask.config.set(scheduler=request.param):
        yield request.param
