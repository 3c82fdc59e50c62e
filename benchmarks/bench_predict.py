"""Post-fit speed: a GIL-holding ``predict_proba`` on every core, against dask-ml.

``gbc_predict_proba_parquet``: the same on a frame read from 20 parquet files (see its
docstring).

``gbc_predict_proba``: ``iid.ensemble.GradientBoostingClassifier().predict_proba`` on
2,000,000 x 20 generated lazily by ``dask.array.random`` in 20 blocks, threaded
scheduler, against dask-ml's ``ParallelPostFit(GradientBoostingClassifier())`` fitted
on the same rows, and against ours with ``dask_variants.blockwise-processes`` off (the
blocks in the scheduler's threads). Contenders alternate after a warm-up round (which
starts our worker processes).

Memory: each contender in a fresh interpreter of its own (so no earlier run's freed
memory, which the allocator keeps, hides what a call needs), the peak of the summed RSS
of that interpreter and its child processes during one ``compute()``, minus its value
just before: the first call (ours starts its worker processes in it, so their whole
resident size counts) and a second call (the processes already running). The worker
processes' resident size after the calls is reported too.
"""
import json
import os
import subprocess
import sys

import dask
import dask.array as da
import numpy as np

from _common import MemorySampler, alternate, median

CORES = os.cpu_count() or 1
HERE = os.path.dirname(os.path.abspath(__file__))


def _row(bench, measure, ours, dml=None, loop=None, target="", met=None):
    return {"benchmark": bench, "measure": measure, "dask_variants": ours, "dask_ml": dml,
            "loop": loop, "target": target, "met": met}


def _children():
    import psutil

    return [p.pid for p in psutil.Process().children(recursive=True)]


def _contenders(n_rows):
    """The fitted models, the lazy X and a run function per contender."""
    from dask_ml.wrappers import ParallelPostFit
    from sklearn.ensemble import GradientBoostingClassifier

    from dask_variants import iid

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

    return {"dask_variants": run_ours, "dask_ml": run_dml, "threads": run_threads}


class _Sampler(MemorySampler):
    """Summed RSS and summed PSS together (``peak_growth`` is a pair, in bytes).

    In PSS a page shared by n of the processes counts 1/n in each: summed RSS counts
    the shared libraries (numpy, scipy, scikit-learn: most of a worker process's
    260 MB) once per process that maps them, though the machine holds them once.
    """

    def rss(self):
        total = [0, 0]
        for pid in [os.getpid(), *self.extra_pids()]:
            try:
                info = self._psutil.Process(pid).memory_full_info()
            except self._psutil.Error:
                continue
            total[0] += info.rss
            total[1] += info.pss
        return total

    @property
    def peak_growth(self):
        return [max(r[i] for _, r in self.samples) - self.baseline[i] for i in (0, 1)]


def _memory(name, n_rows):
    """In this (fresh) interpreter: MB of peak growth of two calls, and the children's."""
    import psutil

    run = _contenders(n_rows)[name]
    out = {}
    with dask.config.set(scheduler="threads"):
        for call in ("first", "second"):
            with _Sampler(extra_pids=_children, interval=0.02) as sampler:
                run()
            rss, pss = sampler.peak_growth
            out[f"{call}_rss"], out[f"{call}_pss"] = rss / 2**20, pss / 2**20
    out["children"] = sum(psutil.Process(pid).memory_info().rss
                          for pid in _children()) / 2**20
    return out


def _memory_in_fresh_interpreter(name, n_rows):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(HERE)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--memory", name,
                           str(n_rows)], capture_output=True, text=True, env=env,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def gbc_predict_proba(quick):
    n_rows = 400_000 if quick else 2_000_000
    repeats = 3 if quick else 5
    runs = _contenders(n_rows)
    with dask.config.set(scheduler="threads"):
        a, b, c = runs["dask_variants"](), runs["dask_ml"](), runs["threads"]()
        assert np.array_equal(a, c) and np.allclose(a, b), "the contenders disagree"
        times = alternate(runs, repeats, warmup=False)
    memory = {name: _memory_in_fresh_interpreter(name, n_rows) for name in runs}
    med = {k: median(v) for k, v in times.items()}
    rounds = [d / o for o, d in zip(times["dask_variants"], times["dask_ml"])]
    speed = med["dask_ml"] / med["dask_variants"]
    first = {k: v["first_rss"] for k, v in memory.items()}
    second = {k: v["second_rss"] for k, v in memory.items()}
    first_pss = {k: v["first_pss"] for k, v in memory.items()}
    workers_mb = memory["dask_variants"]["children"]
    mem = first["dask_variants"] / first["dask_ml"]
    label = (f"iid GradientBoostingClassifier.predict_proba, {n_rows:,} x 20 in 20 lazy "
             f"blocks, threads, {CORES} cores")
    return {"times": times, "memory_mb": memory, "workers_rss_mb": workers_mb,
            "speedup_rounds": rounds,
            "spread": [min(rounds), max(rounds)], "rows": [
                _row(label, "wall time (s); loop: ours in threads", med["dask_variants"],
                     med["dask_ml"], med["threads"]),
                _row(label, "speed over dask-ml (medians)", speed, 1.0, None, ">= 1.7",
                     speed >= 1.7),
                _row(label, "peak MB above the call's start, fresh interpreter, first "
                     "call (our worker processes start in it)", first["dask_variants"],
                     first["dask_ml"], first["threads"], "<= 1.2 x dask-ml", mem <= 1.2),
                _row(label, "the same in summed PSS (shared library pages counted once)",
                     first_pss["dask_variants"], first_pss["dask_ml"], first_pss["threads"],
                     "<= 1.2 x dask-ml",
                     first_pss["dask_variants"] <= 1.2 * first_pss["dask_ml"]),
                _row(label, "peak MB above the call's start, second call (processes "
                     "running)", second["dask_variants"], second["dask_ml"],
                     second["threads"]),
                _row(label, "MB resident in our worker processes (kept between calls)",
                     workers_mb),
            ]}


def gbc_predict_proba_parquet(quick):
    """The same model's ``predict_proba`` on a frame read from parquet files.

    20 files of 100,000 x 20 (``--quick``: 20,000 rows each) written once to a temporary
    directory, ``dd.read_parquet`` of them, threaded scheduler: ours (the worker
    processes read each file and predict), ours with the processes off, and dask-ml's
    ``ParallelPostFit``, alternating after a warm-up round. The model is fitted on a
    pandas frame of the same column names on every side.
    """
    import shutil
    import tempfile

    import dask.dataframe as dd
    import pandas as pd
    from dask_ml.wrappers import ParallelPostFit
    from sklearn.ensemble import GradientBoostingClassifier

    from dask_variants import iid

    rows = 20_000 if quick else 100_000
    repeats = 3 if quick else 5
    cols = [f"f{i}" for i in range(20)]
    rng = np.random.RandomState(0)
    Xs = pd.DataFrame(rng.normal(size=(20_000, 20)), columns=cols)
    ys = (Xs["f0"] + 0.5 * Xs["f1"] + 0.1 * rng.normal(size=len(Xs)) > 0).astype(int)
    ours = iid.ensemble.GradientBoostingClassifier(random_state=0).fit(Xs, ys)
    dml = ParallelPostFit(GradientBoostingClassifier(random_state=0)).fit(Xs, ys)
    where = tempfile.mkdtemp(prefix="dask_variants-bench-")
    try:
        for k in range(20):
            part = pd.DataFrame(np.random.RandomState(k).normal(size=(rows, 20)),
                                columns=cols)
            part.to_parquet(f"{where}/part-{k:02d}.parquet", index=False)
        X = dd.read_parquet(where)

        def run_threads():
            with dask.config.set({"dask_variants.blockwise-processes": False}):
                return ours.predict_proba(X).compute()

        runs = {"dask_variants": lambda: ours.predict_proba(X).compute(),
                "dask_ml": lambda: dml.predict_proba(X).compute(), "threads": run_threads}
        with dask.config.set(scheduler="threads"):
            a, b = runs["dask_variants"](), runs["dask_ml"]()
            assert np.array_equal(a.to_numpy(), run_threads().to_numpy())
            assert np.allclose(a.to_numpy(), np.asarray(b))
            times = alternate(runs, repeats, warmup=False)
    finally:
        shutil.rmtree(where, ignore_errors=True)
    med = {k: median(v) for k, v in times.items()}
    rounds = [d / o for o, d in zip(times["dask_variants"], times["dask_ml"])]
    label = (f"iid GradientBoostingClassifier.predict_proba, read_parquet of 20 files of "
             f"{rows:,} x 20, threads, {CORES} cores")
    return {"times": times, "speedup_rounds": rounds, "spread": [min(rounds), max(rounds)],
            "rows": [
                _row(label, "wall time (s); loop: ours in threads", med["dask_variants"],
                     med["dask_ml"], med["threads"]),
                _row(label, "speed over dask-ml (medians)",
                     med["dask_ml"] / med["dask_variants"], 1.0),
            ]}


ALL = {"gbc_predict_proba": gbc_predict_proba,
       "gbc_predict_proba_parquet": gbc_predict_proba_parquet}

if __name__ == "__main__":  # one contender's memory, in a fresh interpreter
    if sys.argv[1:2] == ["--memory"]:
        sys.path.insert(0, HERE)
        print(json.dumps(_memory(sys.argv[2], int(sys.argv[3]))))
