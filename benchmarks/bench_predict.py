"""Post-fit speed: a GIL-holding ``predict_proba`` on every core, against dask-ml.

``gbc_predict_proba``: ``iid.ensemble.GradientBoostingClassifier().predict_proba`` on
2,000,000 x 20 generated lazily by ``dask.array.random`` in 20 blocks, threaded
scheduler, against dask-ml's ``ParallelPostFit(GradientBoostingClassifier())`` fitted
on the same rows, and against ours with ``dask_variants.blockwise-processes`` off (the
blocks in the scheduler's threads). Contenders alternate after a warm-up round (which
starts our worker processes); memory is the peak of the summed RSS of this process and
its child processes over one run each, minus its value when the run starts.
"""
import os

import dask
import dask.array as da
import numpy as np

from _common import MemorySampler, alternate, median

CORES = os.cpu_count() or 1


def _row(bench, measure, ours, dml=None, loop=None, target="", met=None):
    return {"benchmark": bench, "measure": measure, "dask_variants": ours, "dask_ml": dml,
            "loop": loop, "target": target, "met": met}


def _children():
    import psutil

    return [p.pid for p in psutil.Process().children(recursive=True)]


def gbc_predict_proba(quick):
    from dask_ml.wrappers import ParallelPostFit
    from sklearn.ensemble import GradientBoostingClassifier

    from dask_variants import iid

    n_rows = 400_000 if quick else 2_000_000
    repeats = 3 if quick else 5
    rng = np.random.RandomState(0)
    Xs = rng.normal(size=(20_000, 20))
    ys = (Xs[:, 0] + 0.5 * Xs[:, 1] + 0.1 * rng.normal(size=len(Xs)) > 0).astype(int)
    ours = iid.ensemble.GradientBoostingClassifier(random_state=0).fit(Xs, ys)
    dml = ParallelPostFit(GradientBoostingClassifier(random_state=0)).fit(Xs, ys)
    X = da.random.RandomState(1).normal(size=(n_rows, 20), chunks=(n_rows // 20, 20))

    def run_ours():
        return ours.predict_proba(X).compute()

    def run_threads():
        with dask.config.set({"dask_variants.blockwise-processes": False}):
            return ours.predict_proba(X).compute()

    def run_dml():
        return dml.predict_proba(X).compute()

    runs = {"dask_variants": run_ours, "dask_ml": run_dml, "threads": run_threads}
    with dask.config.set(scheduler="threads"):
        a, b, c = run_ours(), run_dml(), run_threads()
        assert np.array_equal(a, c) and np.allclose(a, b), "the contenders disagree"
        times = alternate(runs, repeats, warmup=False)
        memory = {}
        for name, fn in runs.items():
            with MemorySampler(extra_pids=_children) as sampler:
                fn()
            memory[name] = sampler.peak_growth / 2**20
        import psutil

        workers_mb = sum(psutil.Process(pid).memory_info().rss for pid in _children()) / 2**20
    med = {k: median(v) for k, v in times.items()}
    rounds = [d / o for o, d in zip(times["dask_variants"], times["dask_ml"])]
    speed = med["dask_ml"] / med["dask_variants"]
    mem = memory["dask_variants"] / memory["dask_ml"]
    label = (f"iid GradientBoostingClassifier.predict_proba, {n_rows:,} x 20 in 20 lazy "
             f"blocks, threads, {CORES} cores")
    return {"times": times, "memory_mb": memory, "workers_rss_mb": workers_mb,
            "speedup_rounds": rounds,
            "spread": [min(rounds), max(rounds)], "rows": [
                _row(label, "wall time (s); loop: ours in threads", med["dask_variants"],
                     med["dask_ml"], med["threads"]),
                _row(label, "speed over dask-ml (medians)", speed, 1.0, None, ">= 1.7",
                     speed >= 1.7),
                _row(label, "MB held above baseline (our worker processes started)",
                     memory["dask_variants"],
                     memory["dask_ml"], memory["threads"], "<= 1.2 x dask-ml",
                     mem <= 1.2),
                _row(label, "MB resident in our worker processes (kept between calls)",
                     workers_mb),
            ]}


ALL = {"gbc_predict_proba": gbc_predict_proba}
