"""One timed search in a fresh interpreter; prints one JSON line. Run by bench_search.py.

    python _search_run.py {ours,dask_ml} {threads,cluster} N_ROWS N_BLOCKS MAX_ITER

Runs under our environment (``ours``) or the dask-ml 2025.1 one (``dask_ml``), so it
imports nothing of ours for ``dask_ml``. A small untimed search first pays the imports,
the cluster's start and the workers' imports; then memory is sampled (this process and
the workers, every 50 ms) around the timed search's ``fit``.
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import _search_data  # noqa: E402
from _common import MemorySampler  # noqa: E402


def search_class(contender):
    if contender == "ours":
        from dask_variants.model_selection import HyperbandSearchCV
    else:
        from dask_ml.model_selection import HyperbandSearchCV
    return HyperbandSearchCV


def main():
    contender, scheduler, n_rows, n_blocks, max_iter = sys.argv[1:6]
    n_rows, n_blocks, max_iter = int(n_rows), int(n_blocks), int(max_iter)
    import dask
    from sklearn.linear_model import SGDClassifier

    Search = search_class(contender)
    client = None
    pids = []
    if scheduler == "cluster":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
        pids = list(client.run(os.getpid).values())
    elif contender == "dask_ml":  # dask-ml needs a Client: threads in this process
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=1, threads_per_worker=os.cpu_count(),
                               processes=False, dashboard_address=None)  # inproc://
        client = Client(cluster)
    else:
        dask.config.set(scheduler="threads")

    def run(n, b, it):
        X, y = _search_data.data(n, b)
        search = Search(SGDClassifier(tol=1e-3, random_state=0), _search_data.parameters(),
                        max_iter=it, random_state=0)
        return search.fit(X, y, classes=[0, 1])

    run(4000, 4, 3)  # warm-up: imports here and in the workers
    loads0 = _loads(client)
    with MemorySampler(lambda: pids) as mem:
        t0 = time.perf_counter()
        search = run(n_rows, n_blocks, max_iter)
        seconds = time.perf_counter() - t0
    calls = sum(h[-1]["partial_fit_calls"] for h in search.model_history_.values())
    print(json.dumps({
        "contender": contender, "scheduler": scheduler, "seconds": seconds,
        "peak_growth_mb": mem.peak_growth / 2**20, "baseline_mb": mem.baseline / 2**20,
        "n_models": len(search.cv_results_["model_id"]), "partial_fit_calls": calls,
        "best_score": float(search.best_score_), "block_loads": _loads(client) - loads0,
        "data_mb": n_rows * (_search_data.N_FEATURES + 1) * 8 / 2**20,
    }))
    if client is not None:
        client.close()
        cluster.close()


def _loads(client):
    """Blocks generated so far, here and (worker processes) on the cluster."""
    total = _search_data.count_loads()
    if client is not None and client.run(os.getpid) != {"": os.getpid()}:
        pids = set(client.run(os.getpid).values())
        if pids != {os.getpid()}:
            total += sum(client.run(_search_data.count_loads).values())
    return total


if __name__ == "__main__":
    main()
