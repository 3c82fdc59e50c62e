"""This tree against another revision of the package: import cost and per-block overhead.

    python benchmarks/bench_layers.py --baseline main            # full, about 5 minutes
    python benchmarks/bench_layers.py --baseline HEAD --quick    # noise floor, 2 minutes
    python benchmarks/bench_layers.py --baseline v0.1.0 --check  # exit 1 past the targets

The baseline revision's ``dask_variants/`` is exported (``git archive``) into a temporary
directory, removed afterwards; "current" is the package of the checkout this script lives
in, uncommitted changes included. Only the package differs between the two sides: the
benchmark code, Python, dask and scikit-learn are the same. Measurements run in fresh
interpreters whose ``PYTHONPATH`` (and working directory) is one tree, the two trees
alternating, in reversed order every other round so that neither always goes first:

* import cost: ``import dask_variants.incremental.linear_model as m; m.SGDClassifier``
  in a new interpreter each time, timing only that statement (``bench_import``'s
  timer), baseline / current / the floor ``import sklearn.linear_model, dask.array`` in
  turn; medians, and their ratios.
* per-block overhead: one interpreter per tree (a pair) builds 1,000 persisted blocks
  of 200 x 20 on the threaded scheduler, as ``many_small_blocks`` does, runs an untimed
  round that checks ours and the loops agree, then waits. The parent asks the two for
  one round at a time, in turn, so both trees see the same load within seconds. Three
  pairs run one after the other (six in the full run): two interpreters of the same
  tree can differ by 45 us per block, so one pair is not enough. A round times, back
  to back: ``incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(X, y,
  classes=[0, 1])`` on a fresh estimator, then a loop of scikit-learn's ``partial_fit``
  over the same blocks as numpy arrays; ``iid.SGDClassifier``'s lazy
  ``predict(X).compute()``, then ``predict`` on each numpy block, concatenated. The
  time added per block is the median over all of a tree's rounds of ``(ours - loop) /
  1,000``. The same pairing of the interpreter's CPU time (``time.process_time``, all
  its threads) gives "CPU us added per block", which other processes' load disturbs
  less.

The JSON keeps every timing, the median of the per-round import ratios, the quartiles
of the per-round figures, the median per interpreter, the difference of medians per
interpreter (``many_small_blocks``' statistic) and the load average at the start and at
the end.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from _common import machine, median, write_json  # noqa: E402

IMPORT_TARGET = 1.15  # current / baseline, medians
BLOCK_TARGET_US = 115  # microseconds added per block by fit, over the loop
N_BLOCKS, ROWS, COLS = 1000, 200, 20

SIZES = {  # import rounds (3 interpreters each); pairs of block children, rounds in each
    False: {"import_rounds": 21, "block_pairs": 6, "block_rounds": 4},
    True: {"import_rounds": 9, "block_pairs": 3, "block_rounds": 3},
}


# ----------------------------------------------------------------- inside a child


def _serve_blocks():
    """Set up the blocks, then time one round per line read (JSON lines out).

    A round times ``fit``, its loop, ``predict``, its loop, each once, in that order:
    wall time and this process's CPU time (all threads). The first answer (after an
    untimed warm-up round) says whether ours and the loops give the same results.
    """
    import dask
    import numpy as np
    from sklearn.linear_model import SGDClassifier

    import dask_variants
    from bench_incremental import _sgd_data
    from dask_variants import iid, incremental

    X, y = _sgd_data(ROWS * N_BLOCKS, COLS, N_BLOCKS)
    with dask.config.set(scheduler="threads"):
        X, y = dask.persist(X, y)
        blocks = [dask.compute(X.blocks[k], y.blocks[k]) for k in range(N_BLOCKS)]

        def fit():
            return incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(
                X, y, classes=[0, 1])

        def fit_loop():
            est = SGDClassifier(random_state=0)
            for xk, yk in blocks:
                est.partial_fit(xk, yk, classes=[0, 1])
            return est

        # iid fits on the first block; the loop's model is fitted on the same rows
        fitted = iid.SGDClassifier(random_state=0).fit(X, y)
        plain = SGDClassifier(random_state=0).fit(*blocks[0])

        def predict():
            return fitted.predict(X).compute()

        def predict_loop():
            return np.concatenate([plain.predict(xk) for xk, _ in blocks])

        same = {"fit": bool(np.allclose(fit().coef_, fit_loop().coef_)),
                "predict": bool(np.array_equal(predict(), predict_loop()))}
        print(json.dumps({"same_result": same,
                          "package": os.path.dirname(dask_variants.__file__)}), flush=True)
        runs = {"fit": fit, "fit_loop": fit_loop, "predict": predict,
                "predict_loop": predict_loop}
        for _ in sys.stdin:
            out = {"times": {}, "cpu": {}}
            for name, fn in runs.items():
                c0, t0 = time.process_time(), time.perf_counter()
                fn()
                out["times"][name] = time.perf_counter() - t0
                out["cpu"][name] = time.process_time() - c0
            print(json.dumps(out), flush=True)


# ----------------------------------------------------------------- the comparison


def _paired_us(times, what):
    """Microseconds added per block in every round: ours minus the loop timed after it."""
    return [(a - b) / N_BLOCKS * 1e6 for a, b in zip(times[what], times[what + "_loop"])]


def _medians_us(times, what):
    """The difference of medians, per block, as ``many_small_blocks`` reports it."""
    return (median(times[what]) - median(times[what + "_loop"])) / N_BLOCKS * 1e6


def _quartiles(values):
    """The first and third quartiles (the median's neighbours for 2 values)."""
    import statistics

    if len(values) < 2:
        return (values[0], values[0])
    q = statistics.quantiles(values, n=4, method="inclusive")
    return (q[0], q[2])


def _turn(names, i):
    """The order of round ``i``: as given, reversed every other round (no side first)."""
    names = list(names)
    return names if i % 2 == 0 else names[::-1]


def compare(baseline, quick, log=print):
    """Measure both trees alternately; return the result (rows, every timing, machine)."""
    import _trees
    from bench_import import _TIMER, STATEMENTS

    size = SIZES[quick]
    load_at_start = os.getloadavg()
    commit = _trees.resolve(baseline)
    current = _trees.CURRENT
    t_start = time.perf_counter()
    with _trees.baseline_tree(commit) as base:
        trees = {"baseline": base, "current": current}
        for tree in trees.values():
            _trees.check_imports(tree)  # also compiles the baseline's .pyc files

        def import_time(tree, stmt):
            out = _trees.run_child(tree, ["-c", _TIMER.format(stmt=stmt)])
            return float(out.strip().splitlines()[-1])

        statements = {"baseline": (base, STATEMENTS["dask_variants"]),
                      "current": (current, STATEMENTS["dask_variants"]),
                      "floor": (current, STATEMENTS["sklearn+dask.array"])}
        for tree, stmt in statements.values():  # warm the file system cache once
            import_time(tree, stmt)
        imports = {name: [] for name in statements}
        log(f"import cost: {size['import_rounds']} rounds of {list(statements)}")
        for i in range(size["import_rounds"]):
            for name in _turn(statements, i):
                imports[name].append(import_time(*statements[name]))

        children = {name: [] for name in trees}
        script = os.path.abspath(__file__)
        log(f"per-block overhead: {size['block_pairs']} pair(s) of children, "
            f"{size['block_rounds']} alternating rounds each")
        for _ in range(size["block_pairs"]):
            pair = {name: _trees.Child(tree, [script, "--serve-blocks"])
                    for name, tree in trees.items()}
            try:
                for name, child in pair.items():  # set up side by side, untimed
                    ready = child.read()
                    if os.path.realpath(ready["package"]) != os.path.realpath(
                            os.path.join(trees[name], "dask_variants")):
                        raise SystemExit(f"the {name} child imported another package")
                    children[name].append({"same_result": ready["same_result"],
                                           "times": {}, "cpu": {}})
                for i in range(size["block_rounds"]):
                    for name in _turn(pair, i):
                        got = pair[name].ask("round")
                        for clock in ("times", "cpu"):
                            for what, value in got[clock].items():
                                children[name][-1][clock].setdefault(what, []).append(value)
            finally:
                for child in pair.values():
                    child.close()
    seconds = time.perf_counter() - t_start

    med = {k: median(v) for k, v in imports.items()}
    ratio = med["current"] / med["baseline"]
    round_ratios = [c / b for b, c in zip(imports["baseline"], imports["current"])]
    whats = ("fit", "predict")
    paired = {what: {name: [d for c in runs for d in _paired_us(c["times"], what)]
                     for name, runs in children.items()} for what in whats}
    figure = {what: {name: median(v) for name, v in by_tree.items()}
              for what, by_tree in paired.items()}
    per_child = {what: {name: [median(_paired_us(c["times"], what)) for c in runs]
                        for name, runs in children.items()} for what in whats}
    spread = {what: {name: _quartiles(v) for name, v in by_tree.items()}
              for what, by_tree in paired.items()}
    of_medians = {what: {name: [_medians_us(c["times"], what) for c in runs]
                         for name, runs in children.items()} for what in whats}
    cpu = {what: {name: median([d for c in runs for d in _paired_us(c["cpu"], what)])
                  for name, runs in children.items()} for what in whats}
    same = all(all(c["same_result"].values()) for runs in children.values() for c in runs)
    short = commit[:7]
    lab_import = f"import SGDClassifier variant, this tree vs {short} (fresh interpreters)"
    lab_fit = (f"SGDClassifier.fit, {N_BLOCKS:,} persisted blocks of {ROWS} x {COLS}, "
               f"threads, this tree vs {short}")
    lab_pred = (f"iid SGDClassifier.predict, {N_BLOCKS:,} persisted blocks of "
                f"{ROWS} x {COLS}, threads, this tree vs {short}")

    def row(bench, measure, cur, base, target="", met=None):
        return {"benchmark": bench, "measure": measure, "dask_variants": cur,
                "dask_ml": None, "loop": base, "target": target, "met": met}

    return {
        "baseline": {"rev": baseline, "commit": commit},
        "current": _trees.describe_current(),
        "sizes": dict(size, n_blocks=N_BLOCKS, rows=ROWS, cols=COLS),
        "import_seconds": imports,
        "import_medians": med,
        "import_ratio": ratio,
        "import_ratio_median_of_rounds": median(round_ratios),
        "per_block_us_paired": paired,
        "per_block_us_median": figure,
        "per_block_us_per_child": per_child,
        "per_block_us_quartiles": spread,
        "per_block_us_difference_of_medians_per_child": of_medians,
        "per_block_cpu_us_median": cpu,
        "load_average_1_5_15_at_start": load_at_start,
        "block_children": children,
        "same_result_as_loop": same,
        "measure_seconds": seconds,
        "rows": [
            row(lab_import, "seconds (medians)", med["current"], med["baseline"]),
            row(lab_import, "ratio to the baseline tree", ratio, 1.0,
                f"<= {IMPORT_TARGET}", ratio <= IMPORT_TARGET),
            row(lab_import, "ratio to import sklearn.linear_model, dask.array",
                med["current"] / med["floor"], med["baseline"] / med["floor"]),
            row(lab_fit, "added per block over the loop (us)", figure["fit"]["current"],
                figure["fit"]["baseline"], f"<= {BLOCK_TARGET_US}",
                figure["fit"]["current"] <= BLOCK_TARGET_US),
            row(lab_pred, "added per block over the loop (us)",
                figure["predict"]["current"], figure["predict"]["baseline"]),
        ],
    }


def layers(quick, baseline="HEAD"):
    """run.py's entry: this tree against ``baseline``."""
    return compare(baseline, quick)


ALL = {"layers": layers}


def print_table(result):
    med, fig = result["import_medians"], result["per_block_us_median"]
    mm = result["per_block_us_quartiles"]
    lines = [
        ("measure", "baseline", "current", "current vs baseline", "target"),
        ("import (s, median)", f"{med['baseline']:.3f}", f"{med['current']:.3f}",
         f"x {result['import_ratio']:.3f} (rounds: "
         f"x {result['import_ratio_median_of_rounds']:.3f})", f"<= x {IMPORT_TARGET}"),
        ("import / sklearn+dask.array floor", f"{med['baseline'] / med['floor']:.3f}",
         f"{med['current'] / med['floor']:.3f}", f"floor {med['floor']:.3f} s", ""),
    ]
    cpu = result["per_block_cpu_us_median"]
    for what, target in (("fit", f"<= {BLOCK_TARGET_US}"), ("predict", "")):
        b, c = fig[what]["baseline"], fig[what]["current"]
        lines.append((f"{what}: us added per block", f"{b:.1f}", f"{c:.1f}",
                      f"{c - b:+.1f} us", target))
        lines.append(("  (quartiles of the rounds)",
                      "{:.1f}..{:.1f}".format(*mm[what]["baseline"]),
                      "{:.1f}..{:.1f}".format(*mm[what]["current"]), "", ""))
        b, c = cpu[what]["baseline"], cpu[what]["current"]
        lines.append(("  CPU us added per block", f"{b:.1f}", f"{c:.1f}",
                      f"{c - b:+.1f} us", ""))
    widths = [max(len(r[i]) for r in lines) for i in range(5)]
    for r in lines:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print("load average (1, 5, 15 min) at start {:.1f} {:.1f} {:.1f}, at end {:.1f} {:.1f} "
          "{:.1f}".format(*result["load_average_1_5_15_at_start"],
                          *result["machine"]["load_average_1_5_15"]))
    print(f"baseline {result['baseline']['rev']} = {result['baseline']['commit'][:12]}; "
          f"current = this checkout (HEAD {result['current']['commit'][:12]}"
          f"{', package modified' if result['current']['package_modified'] else ''}); "
          f"same results as the loops: {result['same_result_as_loop']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV",
                        help="git revision to compare this tree with (e.g. main, HEAD~1)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if import cost > {IMPORT_TARGET}x the baseline's or "
                             f"fit adds > {BLOCK_TARGET_US} us per block")
    parser.add_argument("--serve-blocks", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_blocks:
        return _serve_blocks()
    if not args.baseline:
        parser.error("--baseline REV is required")
    t0 = time.perf_counter()
    result = compare(args.baseline, args.quick)
    result["seconds"] = time.perf_counter() - t0
    result["quick"] = args.quick
    result["machine"] = machine()
    path = write_json("layers_quick" if args.quick else "layers", result)
    print_table(result)
    print(f"done in {result['seconds']:.0f}s; results in "
          f"{os.path.relpath(path, os.getcwd())}")
    if args.check:
        failed = [r["measure"] for r in result["rows"] if r["met"] is False]
        if not result["same_result_as_loop"]:
            failed.append("ours and the loops gave different models or predictions")
        if failed:
            print("target missed: " + "; ".join(failed))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
