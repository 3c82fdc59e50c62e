"""Which functions of the package one small ``fit`` runs: a call trace, counted.

    python benchmarks/trace_fit.py                     # this tree
    python benchmarks/trace_fit.py --baseline main     # main's package beside this tree's

The traced statement, on ``X`` (400 x 5 float64, 4 row blocks of 100, ``da.from_array``)
and ``y`` (int64, the same 4 blocks)::

    dask_variants.incremental.SGDClassifier(random_state=0).fit(X, y, classes=[0, 1])

run under ``dask.config.set(scheduler="sync")`` and ``dask_variants.prefetch`` = 0 (when
the tree has that key), so every block is loaded in the main thread and no thread is
started. ``sys.setprofile`` (main thread only) sees every Python frame entered; a
*call* is counted when its code object's file lies inside the ``dask_variants``
package of the tree being traced. So:

* counted: functions and methods, lambdas, comprehensions (each is a frame of its own
  on Python 3.11), module bodies run by an import, and every entry into a generator
  frame (its first ``next`` and each resumption, as ``sys.setprofile`` reports them);
  package code called back by scikit-learn or dask (``get_params`` from ``clone``,
  say) counts like any other;
* not counted: code of dask, scikit-learn, numpy or the standard library, C functions,
  code compiled at run time (no file in the package), anything in other threads.

From the counted calls, in order: ``calls``; ``modules`` (distinct modules); ``switches``
(consecutive counted calls whose modules differ; calls outside the package in between
do not matter); calls per module and per function; and ``runs``, the module sequence
with repeats collapsed (``["mixins.incremental", 3]``, ...), and for ``warm`` the
whole ``sequence`` of ``module:qualified name``. Module names are relative to the
package (``_stream`` is ``dask_variants._stream``).

Each tree is traced in a fresh interpreter (``PYTHONPATH`` = the tree,
``PYTHONHASHSEED=0``) that has imported dask, numpy, ``sklearn.linear_model`` and
``dask_variants.incremental`` beforehand. The statement runs three times there, with the
garbage collector off while traced: ``cold`` is the first run (it builds the class and
pays the package's lazy imports), ``warm`` the second (what every later fit costs; the
headline figures), and a third run must give the same call sequence as ``warm``
(``deterministic``). Results go to ``results/trace_fit.json``.
"""
import argparse
import collections
import gc
import inspect
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

STATEMENT = ("dask_variants.incremental.SGDClassifier(random_state=0)"
             ".fit(X, y, classes=[0, 1])")
DATA = "X: 400 x 5 float64 in 4 row blocks of 100 (da.from_array), y: int64, same blocks"

_GENERATOR = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


# ----------------------------------------------------------------- inside a child


def _kind(code):
    if code.co_name == "<module>":
        return "module body"
    if code.co_flags & _GENERATOR:
        return "generator entry"  # includes generator expressions
    if code.co_name in ("<listcomp>", "<dictcomp>", "<setcomp>"):
        return "comprehension"
    return "function"


def _tracer(package_dir):
    """A profile function recording package calls, and the list it appends to."""
    root = os.path.realpath(package_dir) + os.sep
    where = {}  # code object -> module name below the package, or None
    calls = []

    def module_of(code):
        path = os.path.realpath(code.co_filename)
        if not path.startswith(root) or not path.endswith(".py"):
            return None
        parts = path[len(root):-3].split(os.sep)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join(parts) or "__init__"

    def profile(frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        try:
            module = where[code]
        except KeyError:
            module = where[code] = module_of(code)
        if module is not None:
            calls.append((module, code))

    return profile, calls


def _summary(calls):
    modules = [m for m, _ in calls]
    names = [f"{m}:{getattr(c, 'co_qualname', c.co_name)}" for m, c in calls]
    runs = []
    for m in modules:
        if runs and runs[-1][0] == m:
            runs[-1][1] += 1
        else:
            runs.append([m, 1])
    return {
        "calls": len(calls),
        "modules": len(set(modules)),
        "switches": max(len(runs) - 1, 0),
        "functions": len(set(names)),
        "per_module": dict(collections.Counter(modules).most_common()),
        "per_kind": dict(collections.Counter(_kind(c) for _, c in calls).most_common()),
        "per_function": dict(collections.Counter(names).most_common()),
        "runs": runs,
        "sequence": names,
    }


def _child():
    import dask
    import dask.array as da
    import numpy as np
    import sklearn.linear_model  # noqa: F401  (imported before any trace, cold included)

    import dask_variants
    import dask_variants.incremental

    rng = np.random.RandomState(0)
    Xn = rng.normal(size=(400, 5))
    X = da.from_array(Xn, chunks=(100, 5))
    y = da.from_array((Xn[:, 0] > 0).astype(np.int64), chunks=100)

    def statement():
        dask_variants.incremental.SGDClassifier(random_state=0).fit(X, y, classes=[0, 1])

    config = {"scheduler": "sync"}
    has_prefetch = dask.config.get("dask_variants.prefetch", None) is not None
    if has_prefetch:
        config["dask_variants.prefetch"] = 0
    out = {}
    with dask.config.set(config):
        for run in ("cold", "warm", "again"):
            profile, calls = _tracer(os.path.dirname(dask_variants.__file__))
            gc.collect()
            gc.disable()
            sys.setprofile(profile)
            try:
                statement()
            finally:
                sys.setprofile(None)
                gc.enable()
            out[run] = _summary(calls)
    again = out.pop("again")
    out["deterministic"] = again["sequence"] == out["warm"]["sequence"]
    del out["cold"]["sequence"]  # long; its runs and per-function counts stay
    out["prefetch_set_to_0"] = has_prefetch
    out["package"] = os.path.dirname(dask_variants.__file__)
    print(json.dumps(out))


# ----------------------------------------------------------------- the parent


def trace(tree):
    import _trees

    out = _trees.run_child(tree, [os.path.abspath(__file__), "--child"],
                           PYTHONHASHSEED="0")
    result = json.loads(out.strip().splitlines()[-1])
    package = result.pop("package")
    if os.path.realpath(package) != os.path.realpath(os.path.join(tree, "dask_variants")):
        raise SystemExit(f"the child on {tree} imported another package")
    return result


def print_table(result):
    sides = [s for s in ("baseline", "current") if result.get(s)]
    heads = {"baseline": f"baseline {result['baseline_commit'][:7]}"
             if result.get("baseline") else "", "current": "current"}
    rows = [["", *(f"{heads[s]} {run}" for s in sides for run in ("warm", "cold"))]]
    for key in ("calls", "modules", "switches", "functions"):
        rows.append([key, *(str(result[s][run][key]) for s in sides
                            for run in ("warm", "cold"))])
    rows.append(["-- calls per module (warm)", *([""] * (2 * len(sides)))])
    modules = []
    for s in sides:
        modules += [m for m in result[s]["warm"]["per_module"] if m not in modules]
    for m in modules:
        rows.append([f"  {m}", *(str(result[s][run]["per_module"].get(m, "-"))
                                 for s in sides for run in ("warm", "cold"))])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    for s in sides:
        print(f"{s}: deterministic (third run = second) {result[s]['deterministic']}, "
              f"prefetch set to 0: {result[s]['prefetch_set_to_0']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV",
                        help="also trace this git revision's package, side by side")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child()
    import _trees
    from _common import write_json

    result = {"statement": STATEMENT, "data": DATA,
              "counted": "sys.setprofile 'call' events in the main thread whose code "
                         "file is inside the traced tree's dask_variants package",
              "current_tree": _trees.describe_current(), "baseline_rev": args.baseline,
              "baseline_commit": None, "baseline": None}
    _trees.check_imports(_trees.CURRENT)
    result["current"] = trace(_trees.CURRENT)
    if args.baseline:
        commit = _trees.resolve(args.baseline)
        result["baseline_commit"] = commit
        with _trees.baseline_tree(commit) as base:
            _trees.check_imports(base)
            result["baseline"] = trace(base)
    path = write_json("trace_fit", result)
    print_table(result)
    print(f"results in {os.path.relpath(path, os.getcwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
