"""Incremental search: our HyperbandSearchCV against dask-ml 2025.1's, side by side.

    python benchmarks/bench_search.py                 # 1,000,000 x 100, 20 blocks, max_iter=27
    python benchmarks/bench_search.py --quick         # 200,000 x 100, 20 blocks, max_iter=9
    python benchmarks/bench_search.py --out-of-core 30   # ours over 30 GB of parquet

dask-ml's searches fail on the dask we install (2026.x), so the first run creates
``benchmarks/_data/venv-dask-ml-2025.1`` with dask-ml 2025.1.0 on dask / distributed
2025.1.0 (the last versions where they work) and scikit-learn 1.6.1, with pip. Each
search runs in a fresh interpreter (``_search_run.py``), alternating ours and dask-ml's,
on the same lazily generated data (``_search_data.py``) and machine: the 2-worker
loopback cluster, and threads (dask-ml needs a Client: an in-process one). Results go to
``results/search[_quick].json`` and ``results/search[_quick]_summary.rst``.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from _common import RESULTS, write_json  # noqa: E402

VENV = os.path.join(HERE, "_data", "venv-dask-ml-2025.1")
PINS = ["dask-ml==2025.1.0", "dask[array,dataframe]==2025.1.0", "distributed==2025.1.0",
        "scikit-learn==1.6.1", "pandas<3", "psutil"]
RUNS = [("ours", "cluster"), ("dask_ml", "cluster"), ("ours", "threads"),
        ("dask_ml", "threads")]


def dask_ml_python():
    """The dask-ml 2025.1 environment's interpreter, created on first use."""
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        print(f"creating {VENV} ({' '.join(PINS)})", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *PINS], check=True)
    return python


def run_one(contender, scheduler, n_rows, n_blocks, max_iter):
    python = sys.executable if contender == "ours" else dask_ml_python()
    env = dict(os.environ, PYTHONPATH=HERE + (os.pathsep + REPO if contender == "ours"
                                              else ""))
    out = subprocess.run(
        [python, os.path.join(HERE, "_search_run.py"), contender, scheduler, str(n_rows),
         str(n_blocks), str(max_iter)],
        env=env, capture_output=True, text=True, timeout=3600,
    )
    if out.returncode:
        raise RuntimeError(f"{contender} on {scheduler} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows_of(runs, n_rows, n_blocks, max_iter):
    """Table rows (the shape ``run.py`` uses) from the runs' medians."""
    med = {}
    for (contender, scheduler), got in runs.items():
        med[contender, scheduler] = {k: statistics.median(g[k] for g in got)
                                     for k in ("seconds", "peak_growth_mb", "best_score",
                                               "block_loads", "partial_fit_calls",
                                               "n_models")}
    label = (f"HyperbandSearchCV(max_iter={max_iter}) over SGDClassifier, "
             f"{n_rows:,} x 100 in {n_blocks} lazily generated blocks")
    rows = []

    def row(measure, ours, theirs, loop=None, target="", met=None):
        rows.append({"benchmark": label, "measure": measure, "dask_variants": ours,
                     "dask_ml": theirs, "loop": loop, "target": target, "met": met})

    oc, dc = med["ours", "cluster"], med["dask_ml", "cluster"]
    ot, dt = med["ours", "threads"], med["dask_ml", "threads"]
    row("wall time, 2-worker cluster (s)", oc["seconds"], dc["seconds"],
        target="<= 0.5 x dask-ml", met=oc["seconds"] <= 0.5 * dc["seconds"])
    row("wall time, threads (s)", ot["seconds"], dt["seconds"])
    row("models / partial_fit calls", f"{oc['n_models']:.0f} / {oc['partial_fit_calls']:.0f}",
        f"{dc['n_models']:.0f} / {dc['partial_fit_calls']:.0f}", target="equal",
        met=(oc["n_models"], oc["partial_fit_calls"]) == (dc["n_models"],
                                                          dc["partial_fit_calls"]))
    row("best validation score", oc["best_score"], dc["best_score"],
        target="within 0.005", met=abs(oc["best_score"] - dc["best_score"]) <= 0.005)
    for name, o, d in (("cluster", oc, dc), ("threads", ot, dt)):
        row(f"peak memory above baseline, {name} (MB)", o["peak_growth_mb"],
            d["peak_growth_mb"], target="<= 0.2 x dask-ml",
            met=o["peak_growth_mb"] <= 0.2 * d["peak_growth_mb"])
    calls = oc["partial_fit_calls"]
    row("block loads per partial_fit call", oc["block_loads"] / calls,
        dc["block_loads"] / calls, loop=(calls + n_blocks) / calls,
        target="grows with rounds, not calls", met=oc["block_loads"] < calls)
    return rows, med


def out_of_core(size_gb, max_iter):
    """Ours over ``size_gb`` of parquet (bench_out_of_core's data): peak RSS, time."""
    import shutil
    import tempfile

    import dask

    import bench_out_of_core as ooc

    n_files = max(2, int(size_gb * 2**30 // (ooc.ROWS_PER_FILE * (ooc.N_FEATURES + 1) * 8)))
    need = n_files * ooc.ROWS_PER_FILE * (ooc.N_FEATURES + 1) * 8 * 1.1
    free = shutil.disk_usage(tempfile.gettempdir()).free
    if free < need + 5 * 2**30:
        raise SystemExit(f"out-of-core search needs {need / 2**30:.0f} GB free plus 5 GB "
                         f"headroom in {tempfile.gettempdir()}; pass a smaller size.")
    path = tempfile.mkdtemp(prefix="dask_variants_search_ooc_")
    script = f"""
import json, resource, sys, time
import dask, dask.dataframe as dd, numpy as np
from sklearn.linear_model import SGDClassifier
from dask_variants.model_selection import HyperbandSearchCV
sys.path.insert(0, {HERE!r})
import _search_data
df = dd.read_parquet(sys.argv[1])
X, y = df[[c for c in df.columns if c != "y"]], df["y"]
search = HyperbandSearchCV(SGDClassifier(tol=1e-3, random_state=0),
                           _search_data.parameters(), max_iter={max_iter}, random_state=0)
t0 = time.perf_counter()
with dask.config.set(scheduler="threads"):
    search.fit(X, y, classes=[0, 1])
print(json.dumps({{"seconds": time.perf_counter() - t0,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "calls": search.metadata_["partial_fit_calls"],
                  "best_score": float(search.best_score_)}}))
"""
    try:
        t0 = time.perf_counter()
        with dask.config.set(scheduler="threads"):
            dask.compute(*[dask.delayed(ooc._write_part)(path, i) for i in range(n_files)])
        written = time.perf_counter() - t0
        on_disk = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
        env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = subprocess.run([sys.executable, "-c", script, path], env=env, check=True,
                             capture_output=True, text=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(path, ignore_errors=True)
    rows_n = n_files * ooc.ROWS_PER_FILE
    label = (f"HyperbandSearchCV(max_iter={max_iter}) over SGDClassifier, {rows_n:,} x "
             f"{ooc.N_FEATURES} parquet, {on_disk / 2**30:.1f} GB on disk "
             f"({rows_n * ooc.N_FEATURES * 8 / 2**30:.1f} GB in memory), threads")
    peak = got["peak"] / 2**30
    return {"write_seconds": written, **got, "rows": [
        {"benchmark": label, "measure": "peak RSS (GB)", "dask_variants": peak,
         "dask_ml": None, "loop": None, "target": "< 3", "met": peak < 3},
        {"benchmark": label, "measure": "wall time (s)", "dask_variants": got["seconds"],
         "dask_ml": None, "loop": None, "target": "", "met": None},
    ]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--out-of-core", type=float, default=None, metavar="GB",
                        help="only the out-of-core run (ours over GB of parquet)")
    args = parser.parse_args(argv)
    n_rows, n_blocks, max_iter = (200_000, 20, 9) if args.quick else (1_000_000, 20, 27)
    repeats = args.repeats or (1 if args.quick else 3)
    from run import table  # the summary table format of the other benchmarks

    name = "search_quick" if args.quick else "search"
    t_all = time.perf_counter()
    if args.out_of_core:
        result = out_of_core(args.out_of_core, max_iter)
        result["seconds"] = time.perf_counter() - t_all
        write_json("search_out_of_core", result)
    else:
        runs = {key: [] for key in RUNS}
        for r in range(repeats):
            for contender, scheduler in RUNS:  # alternating, one fresh interpreter each
                got = run_one(contender, scheduler, n_rows, n_blocks, max_iter)
                print(f"[{r}] {contender:8s} {scheduler:8s} {got['seconds']:7.2f}s "
                      f"peak +{got['peak_growth_mb']:7.0f} MB  best {got['best_score']:.4f}"
                      f"  loads {got['block_loads']}", flush=True)
                runs[contender, scheduler].append(got)
        rows, med = rows_of(runs, n_rows, n_blocks, max_iter)
        result = {"n_rows": n_rows, "n_blocks": n_blocks, "max_iter": max_iter,
                  "repeats": repeats,
                  "runs": {f"{c}-{s}": v for (c, s), v in runs.items()},
                  "medians": {f"{c}-{s}": v for (c, s), v in med.items()}, "rows": rows,
                  "seconds": time.perf_counter() - t_all}
        write_json(name, result)
    rows = []
    for part in (name, "search_out_of_core"):
        path = os.path.join(RESULTS, f"{part}.json")
        if os.path.exists(path) and not (args.quick and part != name):
            with open(path) as f:
                rows.extend(json.load(f)["rows"])
    summary = table(rows)
    with open(os.path.join(RESULTS, f"{name}_summary.rst"), "w") as f:
        f.write(summary)
    print(summary)


if __name__ == "__main__":
    main()
