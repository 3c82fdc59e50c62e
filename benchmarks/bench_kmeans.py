"""exact.KMeans against dask-ml's KMeans (issue 17): wall time and inertia, side by side.

``exact.KMeans(8)`` (scikit-learn's k-means++ and Lloyd iterations, a pass of the
blocks each) against ``dask_ml.cluster.KMeans(8)`` (k-means|| seeding, then Lloyd) on
5,000,000 x 50 float64 in 50 persisted blocks (``--quick``: 500,000 x 50), threaded
scheduler, both seeded (``random_state=0``, every other parameter the default). The
rows are 8 Gaussian blobs of different spreads around centres drawn from the seed, so
that k-means has clusters to find. The contenders run once each after no warm-up by
default (each fit is many passes: tens of seconds at full size), ``--repeats`` for more,
alternating. Then scikit-learn's ``KMeans(8, random_state=0)`` fits the same rows in
memory (when they fit: ``--no-sklearn`` skips it). Every contender's inertia is
recomputed from its centres as scikit-learn defines it (the sum of squared distances to
the nearest centre: dask-ml's own ``inertia_`` sums unsquared distances when its last
iteration still moved the centres) and reported next to its ``inertia_`` attribute, with
whether exact's centres, labels and ``n_iter_`` are scikit-learn's.

    python benchmarks/bench_kmeans.py [--quick] [--repeats R] [--no-sklearn]

Results: ``results/kmeans[_quick].json``.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import alternate, median, write_json  # noqa: E402

P = 50
K = 8
SEED = 17
N_BLOCKS = 50


def _layout():
    import numpy as np

    rng = np.random.RandomState(SEED)
    # overlapping blobs (centres about 6 apart, spreads 1 to 2): Lloyd needs tens of
    # iterations, as on real data, not the two of well-separated blobs
    return rng.uniform(-1, 1, size=(K, P)), rng.uniform(1.0, 2.0, size=K)


def _block(block_info=None):
    """One block of the blobs, from the seed and the block's index."""
    import numpy as np

    info = block_info[None]
    (r0, r1), _ = info["array-location"]
    rng = np.random.default_rng([SEED, info["chunk-location"][0]])
    centres, spreads = _layout()
    which = rng.integers(0, K, size=r1 - r0)
    return centres[which] + rng.standard_normal((r1 - r0, P)) * spreads[which][:, None]


def blobs(n):
    """``n`` x ``P`` rows in ``K`` blobs, generated per block from the seed, persisted."""
    import dask
    import dask.array as da
    import numpy as np

    rows = n // N_BLOCKS
    X = da.map_blocks(_block, dtype=np.float64, chunks=((rows,) * N_BLOCKS, (P,)))
    (X,) = dask.persist(X)
    return X


def _block_inertia(x, centres):
    from sklearn.metrics.pairwise import euclidean_distances

    return float(euclidean_distances(x, centres, squared=True).min(axis=1).sum())


def inertia(X, centres):
    """The sum of squared distances to the nearest centre (scikit-learn's ``inertia_``),
    blockwise: dask-ml's own ``inertia_`` sums unsquared distances when its last
    iteration still moved the centres, so it is recomputed for every contender."""
    import dask

    parts = [dask.delayed(_block_inertia)(b, centres) for b in X.to_delayed().ravel()]
    return float(sum(dask.compute(*parts)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--warmup", action="store_true")
    parser.add_argument("--no-sklearn", action="store_true")
    args = parser.parse_args(argv)

    import dask
    import numpy as np
    from dask_ml.cluster import KMeans as DaskMLKMeans
    from sklearn.cluster import KMeans

    from dask_variants import exact

    n = 500_000 if args.quick else 5_000_000
    fitted = {}
    with dask.config.set(scheduler="threads"):
        X = blobs(n)

        def fit(name, make):
            def run():
                fitted[name] = make().fit(X)
            return run

        runs = {"exact.KMeans": fit("exact.KMeans", lambda: exact.KMeans(K, random_state=0)),
                "dask_ml.KMeans": fit("dask_ml.KMeans",
                                      lambda: DaskMLKMeans(K, random_state=0))}
        times = alternate(runs, args.repeats, warmup=args.warmup)
        ours, theirs = fitted["exact.KMeans"], fitted["dask_ml.KMeans"]
        out = {
            "data": f"{n:,} x {P} float64, {K} blobs, in {N_BLOCKS} persisted blocks, "
                    "threads",
            "params": f"KMeans({K}, random_state=0), every other parameter the default "
                      "(exact: init='k-means++', n_init=1; dask-ml: init='k-means||')",
            "repeats": args.repeats,
            "times_s": times,
            "median_s": {k: median(v) for k, v in times.items()},
            "inertia": {"exact.KMeans": inertia(X, ours.cluster_centers_),
                        "dask_ml.KMeans": inertia(X, theirs.cluster_centers_)},
            "inertia_attribute": {"exact.KMeans": ours.inertia_,
                                  "dask_ml.KMeans": float(theirs.inertia_)},
            "n_iter": {"exact.KMeans": int(ours.n_iter_),
                       "dask_ml.KMeans": int(np.max(theirs.n_iter_))},
        }
        out["ratio_to_dask_ml"] = (out["median_s"]["exact.KMeans"]
                                   / out["median_s"]["dask_ml.KMeans"])
        if not args.no_sklearn:
            Xc = X.compute()
    if not args.no_sklearn:
        t0 = time.perf_counter()
        ref = KMeans(K, random_state=0).fit(Xc)
        out["sklearn_in_memory_s"] = time.perf_counter() - t0
        out["inertia"]["sklearn.KMeans (in memory)"] = ref.inertia_
        out["n_iter"]["sklearn.KMeans (in memory)"] = int(ref.n_iter_)
        d = float(np.max(np.abs(ours.cluster_centers_ - ref.cluster_centers_)))
        out["exact_vs_sklearn"] = {
            "cluster_centers_max_abs_diff": d,
            "cluster_centers_max_rel_diff": d / float(np.max(np.abs(ref.cluster_centers_))),
            "labels_equal": bool(np.array_equal(ours.labels_, ref.labels_)),
            "n_iter_equal": int(ours.n_iter_) == int(ref.n_iter_),
            "inertia_rel_diff": abs(ours.inertia_ - ref.inertia_) / ref.inertia_,
        }
    path = write_json("kmeans_quick" if args.quick else "kmeans", out)
    print(json.dumps({k: v for k, v in out.items() if k != "times_s"}, indent=1))
    print("wrote", path)


if __name__ == "__main__":
    main()
