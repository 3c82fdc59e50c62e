"""Truly out of core: stream a parquet dataset larger than memory through a pipeline.

Writes ``size_gb`` of parquet (in a temporary folder under the system temp dir, after
checking the free disk space), trains an incremental StandardScaler + SGDClassifier
pipeline on it with the threaded scheduler in a fresh interpreter whose peak RSS
(``ru_maxrss``, imports included) is the figure, and deletes the files. Never run in CI;
opt in with ``run.py --out-of-core 30``.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

N_FEATURES = 50
ROWS_PER_FILE = 100_000  # 40 MB of float64 per file, one row block each

TRAIN = """
import json, resource, sys, time
import dask, dask.dataframe as dd
from sklearn.pipeline import make_pipeline
from dask_variants import incremental

df = dd.read_parquet(sys.argv[1])
X, y = df[[c for c in df.columns if c != "y"]], df["y"]
pipe = make_pipeline(incremental.StandardScaler(), incremental.SGDClassifier(random_state=0))
t0 = time.perf_counter()
with dask.config.set(scheduler="threads"):
    pipe.fit(X, y)
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "coef_norm": float((pipe[-1].coef_ ** 2).sum() ** 0.5)}))
"""


def _write_part(path, i):
    import pandas as pd

    rng = np.random.default_rng(i)
    x = rng.standard_normal((ROWS_PER_FILE, N_FEATURES))
    frame = pd.DataFrame(x, columns=[f"f{j}" for j in range(N_FEATURES)])
    frame["y"] = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64)
    frame.to_parquet(os.path.join(path, f"part-{i:05d}.parquet"), index=False)


def out_of_core(size_gb):
    import dask

    n_files = max(2, int(size_gb * 2**30 // (ROWS_PER_FILE * (N_FEATURES + 1) * 8)))
    need = n_files * ROWS_PER_FILE * (N_FEATURES + 1) * 8 * 1.1
    free = shutil.disk_usage(tempfile.gettempdir()).free
    if free < need + 5 * 2**30:
        raise SystemExit(
            f"out_of_core needs {need / 2**30:.0f} GB free plus 5 GB headroom in "
            f"{tempfile.gettempdir()}, found {free / 2**30:.0f} GB. Pass a smaller size."
        )
    path = tempfile.mkdtemp(prefix="dask_variants_ooc_")
    try:
        t0 = time.perf_counter()
        with dask.config.set(scheduler="threads"):
            dask.compute(*[dask.delayed(_write_part)(path, i) for i in range(n_files)])
        written = time.perf_counter() - t0
        on_disk = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
        repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ,
                   PYTHONPATH=repo + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = subprocess.run([sys.executable, "-c", TRAIN, path], env=env, check=True,
                             capture_output=True, text=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        trained = got["seconds"]
        rows = n_files * ROWS_PER_FILE
        peak_gb = got["peak"] / 2**30
    finally:
        shutil.rmtree(path, ignore_errors=True)
    label = (f"StandardScaler + SGDClassifier pipeline, {rows:,} x {N_FEATURES} parquet, "
             f"{on_disk / 2**30:.1f} GB on disk ({rows * N_FEATURES * 8 / 2**30:.1f} GB "
             "in memory)")
    return {"write_seconds": written, "train_seconds": trained, "peak_rss_gb": peak_gb,
            "rows": [{"benchmark": label, "measure": "peak RSS (GB)",
                      "dask_variants": peak_gb, "dask_ml": None, "loop": None,
                      "target": "< 2", "met": peak_gb < 2},
                     {"benchmark": label, "measure": "training time (s)",
                      "dask_variants": trained, "dask_ml": None, "loop": None,
                      "target": "", "met": None}]}
