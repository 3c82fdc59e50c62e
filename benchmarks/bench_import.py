"""Import cost (issue 2): one variant against scikit-learn + dask.array and dask-ml.

Every measurement is a fresh interpreter that times only its own import statement, so
interpreter start-up is excluded; contenders alternate; medians are reported.
"""
import os
import subprocess
import sys

from _common import median

STATEMENTS = {
    "dask_variants": "import dask_variants.incremental.linear_model as m; m.SGDClassifier",
    "sklearn+dask.array": "import sklearn.linear_model, dask.array",
    "dask_ml": "import dask_ml.wrappers",
}

_TIMER = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"


def _time(stmt, env):
    out = subprocess.run([sys.executable, "-c", _TIMER.format(stmt=stmt)], env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def import_cost(quick):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=repo + os.pathsep + os.environ.get("PYTHONPATH", ""))
    repeats = 7 if quick else 21
    for stmt in STATEMENTS.values():  # warm the file system cache once
        _time(stmt, env)
    times = {name: [] for name in STATEMENTS}
    for _ in range(repeats):
        for name, stmt in STATEMENTS.items():
            times[name].append(_time(stmt, env))
    med = {k: median(v) for k, v in times.items()}
    ratio = med["dask_variants"] / med["sklearn+dask.array"]
    label = "import SGDClassifier variant (fresh interpreters, medians)"
    return {"times": times, "rows": [
        {"benchmark": label, "measure": "seconds", "dask_variants": med["dask_variants"],
         "dask_ml": med["dask_ml"], "loop": med["sklearn+dask.array"],
         "target": "", "met": None},
        {"benchmark": label, "measure": "ratio to import sklearn.linear_model, dask.array",
         "dask_variants": ratio, "dask_ml": med["dask_ml"] / med["sklearn+dask.array"],
         "loop": 1.0, "target": "<= 1.15", "met": ratio <= 1.15},
    ]}


ALL = {"import_cost": import_cost}
