"""Run every benchmark, write ``results/<name>.json``, plots and ``results/summary.rst``.

    python benchmarks/run.py            # full sizes (about 25 minutes on 2 cores)
    python benchmarks/run.py --quick    # small sizes, under 3 minutes
    python benchmarks/run.py --only streaming_fit many_small_blocks
    python benchmarks/run.py --out-of-core 30   # also the 30 GB parquet run (disk!)
    python benchmarks/run.py --baseline main    # also this tree against main's package

Needs the ``bench`` extra: ``pip install -e .[bench]``.
"""
import argparse
import functools
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))

import bench_import  # noqa: E402
import bench_incremental  # noqa: E402
import bench_layers  # noqa: E402
import bench_out_of_core  # noqa: E402
import bench_predict  # noqa: E402
from _common import RESULTS, write_json  # noqa: E402

BENCHMARKS = {**bench_import.ALL, **bench_incremental.ALL, **bench_predict.ALL,
              **bench_layers.ALL}
#: run only when asked for: by --baseline, or by name in --only (then against HEAD)
OPT_IN = {"layers"}


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows):
    """An RST grid-free ("simple") table of the rows."""
    head = ["benchmark", "measure", "dask_variants", "dask-ml", "loop / reference",
            "target", "met"]
    keys = ["benchmark", "measure", "dask_variants", "dask_ml", "loop", "target", "met"]
    body = [[_fmt(r[k]) for k in keys] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    rule = "  ".join("=" * w for w in widths)
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa
    return "\n".join([rule, line(head), rule, *map(line, body), rule]) + "\n"


def collect(quick):
    """Table rows of every saved result of this mode, new and earlier runs alike."""
    import json

    rows = []
    for name in [*BENCHMARKS, "out_of_core"]:
        path = os.path.join(RESULTS, name + ("_quick" if quick and name != "out_of_core"
                                             else "") + ".json")
        if os.path.exists(path):
            with open(path) as f:
                rows.extend(json.load(f)["rows"])
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, < 3 minutes")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--summary", action="store_true",
                        help="only rebuild the summary table from saved results")
    parser.add_argument("--out-of-core", type=float, default=None, metavar="GB",
                        help="also write GB of parquet and stream it (never in --quick)")
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="also compare this tree's package with REV's (layers)")
    args = parser.parse_args(argv)
    default = [n for n in BENCHMARKS if n not in OPT_IN or args.baseline]
    names = [] if args.summary else (args.only or default)
    runs = dict(BENCHMARKS, layers=functools.partial(
        bench_layers.layers, baseline=args.baseline or "HEAD"))
    t_all = time.perf_counter()
    for name in names:
        t0 = time.perf_counter()
        print(f"== {name}", flush=True)
        result = runs[name](args.quick)
        result["seconds"] = time.perf_counter() - t0
        result["quick"] = args.quick
        write_json(name + ("_quick" if args.quick else ""), result)
        print(table(result["rows"]), flush=True)
    if args.out_of_core:
        result = bench_out_of_core.out_of_core(args.out_of_core)
        write_json("out_of_core", result)
    summary = table(collect(args.quick))
    path = os.path.join(RESULTS, "summary_quick.rst" if args.quick else "summary.rst")
    with open(path, "w") as f:
        f.write(summary)
    print(summary)
    print(f"all done in {time.perf_counter() - t_all:.0f}s; results in {RESULTS}")


if __name__ == "__main__":
    main()
