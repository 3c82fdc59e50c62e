"""``python -m dask_variants demo``: train out of core on generated data, and say how it went.

Generates a classification problem block by block (never whole), fits an incremental
``StandardScaler`` + ``SGDClassifier`` pipeline by streaming the blocks through
``partial_fit``, an exact ``StandardScaler`` + ``GaussianNB`` pipeline on
every row (per-block statistics merged in a tree: scikit-learn's answer), and an iid
``GradientBoostingClassifier`` on the first block, then scores each block by block. Prints rows, blocks, time, score and peak memory of each step.
"""
import argparse
import resource
import sys
import time


def _peak_mb():
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def demo(rows, features, blocks, seed):
    """Run the demo; return a dict of what each step did."""
    from sklearn.pipeline import make_pipeline

    from . import datasets
    from .exact.naive_bayes import GaussianNB
    from .exact.preprocessing import StandardScaler as ExactStandardScaler
    from .iid.ensemble import GradientBoostingClassifier
    from .incremental.linear_model import SGDClassifier
    from .incremental.preprocessing import StandardScaler

    X, y = datasets.make_classification(
        n_samples=rows, n_features=features, n_informative=features // 2,
        chunks=rows // blocks, random_state=seed,
    )
    size_mb = X.nbytes / 2**20
    print(f"data: {rows:,} rows x {features} features = {size_mb:,.0f} MB of float64, "
          f"in {X.numblocks[0]} blocks of {X.chunks[0][0]:,} rows, generated lazily")
    results = {}
    steps = [
        ("incremental StandardScaler + SGDClassifier",
         make_pipeline(StandardScaler(), SGDClassifier(random_state=seed, tol=None, epochs=1))),
        ("exact StandardScaler + GaussianNB (every row)",
         make_pipeline(ExactStandardScaler(), GaussianNB())),
        ("iid GradientBoostingClassifier (first block)",
         GradientBoostingClassifier(n_estimators=30, random_state=seed)),
    ]
    for name, model in steps:
        start = time.perf_counter()
        model.fit(X, y)
        fitted = time.perf_counter() - start
        score = model.score(X, y)
        total = time.perf_counter() - start
        results[name] = dict(fit_s=fitted, total_s=total, accuracy=score, peak_mb=_peak_mb())
        print(f"{name}:\n  fit {fitted:.1f} s, scored all {rows:,} rows block by block "
              f"in {total - fitted:.1f} s, accuracy {score:.3f}, "
              f"peak memory of this process so far {_peak_mb():,.0f} MB")
    print(f"The data ({size_mb:,.0f} MB) was never held whole: each step read its blocks one at a time.")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dask_variants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("demo", help="train out of core on generated data")
    run.add_argument("--rows", type=int, default=4_000_000, help="rows to generate")
    run.add_argument("--features", type=int, default=20, help="features per row")
    run.add_argument("--blocks", type=int, default=80, help="row blocks")
    run.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args(argv)
    if args.rows < args.blocks or args.blocks < 1:
        parser.error(f"--rows ({args.rows}) must be at least --blocks ({args.blocks}) >= 1")
    demo(args.rows, args.features, args.blocks, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
