"""The exact namespace against dask-ml (issue 16): wall time, distance to scikit-learn, memory.

``timing``: ``exact.PCA`` against ``dask_ml.decomposition.PCA`` and
``exact.LinearRegression`` against ``dask_ml.linear_model.LinearRegression`` on
5,000,000 x 50 float64 in 50 blocks (``--quick``: 500,000 x 50), generated lazily from
a seed and persisted, threaded scheduler. The contenders alternate (ours, dask-ml, ours,
...) after one untimed warm-up round; times are medians. Then scikit-learn fits the same
rows in memory (the computed array) and every contender's largest difference from its
answer is reported (absolute, and relative to the attribute's largest entry).

``memory``: ``exact.PCA`` and ``exact.LinearRegression`` each fitted, in a fresh
interpreter, on an array generated block by block from a seed and never persisted
(``--memory-gb``, 75 by default: 3x the 24 GiB of the machine the figures were taken on;
``--quick``: 2). The figure is the child's peak RSS (psutil samples every 0.1 s, and
``ru_maxrss``), imports included.

``logistic`` (issue 17): ``exact.LogisticRegression`` (``solver='lbfgs'``, its default,
and ``'newton-cholesky'``) against ``dask_ml.linear_model.LogisticRegression``
(``solver='admm'``, its default, and ``'lbfgs'``) on 5,000,000 x 50 float64 in 50
persisted blocks (``--quick``: 500,000 x 50), a binary target drawn from a logistic
model; on the threaded scheduler, then on a 2-worker LocalCluster (processes,
loopback). The four alternate after a warm-up round on one block; times are medians.
dask-ml's admm, minutes a fit, runs in the first ``--admm-repeats`` rounds only
(default 1; 0 leaves it out).
scikit-learn fits the computed rows in memory with each solver, at its default
``tol`` and at ``tol=1e-10`` (then ours is refitted at that ``tol`` once, untimed), and
every contender's largest relative coefficient difference from it is reported.

The problems are the same: ``fit_intercept=False``, ``C=1.0`` and the L2 penalty on
every side, and dask-ml's standardisation off (``solver_kwargs={"normalize": False}``).
scikit-learn minimises ``C * sum(loss) + ||w||^2 / 2`` and dask-ml
``sum(loss) + (1 / C) * ||w||^2 / 2``: the same minimiser for the same ``C``. With an
intercept they differ (dask-ml penalises its intercept column, and by default
standardises X and penalises the standardised coefficients).

    python benchmarks/bench_exact.py timing [--quick]
    python benchmarks/bench_exact.py memory [--quick | --memory-gb GB]
    python benchmarks/bench_exact.py logistic [--quick] [--admm-repeats N]

Results: ``results/exact[_quick].json``, ``results/exact_memory_<GB>gb.json``
(``exact_memory_quick.json``) and ``results/exact_logistic[_quick].json``.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import alternate, local_cluster, median, write_json  # noqa: E402

P = 50
SEED = 16
N_COMPONENTS = 10


def _scales():
    import numpy as np

    # distinct column scales: a spectrum with clear gaps, as real PCA problems have
    return np.geomspace(1.0, 30.0, P), np.linspace(-5.0, 5.0, P)


def _beta():
    import numpy as np

    return np.random.RandomState(SEED).normal(size=P)


def _block(block_info=None):
    """One block of the memory benchmark's X | y, from the seed and the block's index."""
    import numpy as np

    info = block_info[None]
    (r0, r1), _ = info["array-location"]
    k = info["chunk-location"][0]
    rng = np.random.default_rng([SEED, k])
    scale, shift = _scales()
    x = rng.standard_normal((r1 - r0, P)) * scale + shift
    y = x @ _beta() + 3.0 + rng.standard_normal(r1 - r0)
    return np.hstack([x, y[:, None]])


def lazy_xy(n, n_blocks):
    """X (n x P) and y, generated per block and never stored."""
    import dask.array as da
    import numpy as np

    rows = -(-n // n_blocks)
    xy = da.map_blocks(_block, dtype=np.float64, chunks=(da.core.normalize_chunks(
        (rows,), (n,))[0], (P + 1,)))
    return xy[:, :P], xy[:, P]


def _diff(ours, ref):
    import numpy as np

    ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    d = float(np.max(np.abs(ours - ref)))
    return {"abs": d, "rel": d / float(np.max(np.abs(ref)))}


def _pca_diffs(est, ref, align_signs):
    import numpy as np

    comp = np.asarray(est.components_)
    if align_signs:  # dask-ml flips signs its own way: compare up to sign
        comp = comp * np.sign(np.sum(comp * ref.components_, axis=1))[:, None]
    return {"components_": _diff(comp, ref.components_),
            "explained_variance_": _diff(est.explained_variance_, ref.explained_variance_),
            "singular_values_": _diff(est.singular_values_, ref.singular_values_),
            "mean_": _diff(est.mean_, ref.mean_),
            "signs_as_sklearn": bool(np.all(np.sign(np.asarray(est.components_).max(1)
                                                    + np.asarray(est.components_).min(1))
                                            == np.sign(ref.components_.max(1)
                                                       + ref.components_.min(1))))}


def timing(quick, repeats):
    import dask
    import dask.array as da
    import numpy as np
    from dask_ml.decomposition import PCA as DaskMLPCA
    from dask_ml.linear_model import LinearRegression as DaskMLLinearRegression
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LinearRegression

    from dask_variants import exact

    n = 500_000 if quick else 5_000_000
    n_blocks = 50
    scale, shift = _scales()
    rng = da.random.default_rng(SEED)
    with dask.config.set(scheduler="threads"):
        X = rng.standard_normal((n, P), chunks=(n // n_blocks, P)) * scale + shift
        y = X @ _beta() + 3.0 + rng.standard_normal(n, chunks=n // n_blocks)
        X, y = dask.persist(X, y)
        fitted = {}

        def fit(name, make, *data):
            def run():
                fitted[name] = make().fit(*data)
            return run

        runs = {
            "exact.PCA": fit("exact.PCA", lambda: exact.PCA(n_components=N_COMPONENTS), X),
            "dask_ml.PCA": fit("dask_ml.PCA", lambda: DaskMLPCA(
                n_components=N_COMPONENTS, svd_solver="full"), X),
            "exact.LinearRegression": fit("exact.LinearRegression",
                                          exact.LinearRegression, X, y),
            "dask_ml.LinearRegression": fit("dask_ml.LinearRegression",
                                            DaskMLLinearRegression, X, y),
        }
        times = alternate(runs, repeats)
        Xc, yc = X.compute(), y.compute()
    t0 = time.perf_counter()
    ref_pca = PCA(n_components=N_COMPONENTS, svd_solver="full").fit(Xc)
    t_pca = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref_lr = LinearRegression().fit(Xc, yc)
    t_lr = time.perf_counter() - t0
    del Xc, yc

    def lr_diffs(est):
        return {"coef_": _diff(est.coef_, ref_lr.coef_),
                "intercept_": _diff(est.intercept_, ref_lr.intercept_)}

    med = {k: median(v) for k, v in times.items()}
    out = {
        "data": f"{n:,} x {P} float64 in {n_blocks} persisted blocks, threads",
        "repeats": repeats,
        "times_s": times,
        "median_s": med,
        "ratio_to_dask_ml": {
            "PCA": med["exact.PCA"] / med["dask_ml.PCA"],
            "LinearRegression": med["exact.LinearRegression"]
            / med["dask_ml.LinearRegression"]},
        "sklearn_in_memory_s": {"PCA(svd_solver='full')": t_pca, "LinearRegression": t_lr},
        "difference_from_sklearn": {
            "exact.PCA": _pca_diffs(fitted["exact.PCA"], ref_pca, False),
            "dask_ml.PCA": _pca_diffs(fitted["dask_ml.PCA"], ref_pca, True),
            "exact.LinearRegression": lr_diffs(fitted["exact.LinearRegression"]),
            "dask_ml.LinearRegression": lr_diffs(fitted["dask_ml.LinearRegression"]),
        },
        "params": {"PCA": f"n_components={N_COMPONENTS} (dask-ml: svd_solver='full', "
                          "its TSQR)",
                   "LinearRegression": "defaults on both sides (dask-ml's: penalty='l2', "
                                       "C=1.0, solver='admm')"},
    }
    path = write_json("exact_quick" if quick else "exact", out)
    print(json.dumps({k: out[k] for k in ("median_s", "ratio_to_dask_ml")}, indent=1))
    print(json.dumps(out["difference_from_sklearn"], indent=1))
    print("wrote", path)


def _logistic_data(n, n_blocks, persist):
    """X (n x P, standard normal) and a binary y drawn from a logistic model, persisted."""
    import dask.array as da
    import numpy as np

    rng = da.random.default_rng(SEED)
    chunks = n // n_blocks
    X = rng.standard_normal((n, P), chunks=(chunks, P))
    beta = np.random.RandomState(SEED).normal(scale=0.5, size=P)
    p = 1 / (1 + da.exp(-(X @ beta)))
    y = (rng.uniform(size=n, chunks=chunks) < p).astype(np.int64)
    return persist(X, y)


def _logistic_contenders(X, y, fitted, admm=True):
    from dask_ml.linear_model import LogisticRegression as DaskMLLogisticRegression

    from dask_variants import exact

    def fit(name, make):
        def run():
            t0 = time.perf_counter()
            fitted[name] = make().fit(X, y)
            print(f"  {name}: {time.perf_counter() - t0:.1f} s", flush=True)
        return run

    same = {"fit_intercept": False, "C": 1.0}  # the same problem on both sides
    dml = {"solver_kwargs": {"normalize": False}, **same}
    runs = {
        "exact lbfgs": fit("exact lbfgs", lambda: exact.LogisticRegression(**same)),
        "exact newton-cholesky": fit("exact newton-cholesky", lambda: exact.LogisticRegression(
            solver="newton-cholesky", **same)),
        "dask_ml admm": fit("dask_ml admm", lambda: DaskMLLogisticRegression(**dml)),
        "dask_ml lbfgs": fit("dask_ml lbfgs", lambda: DaskMLLogisticRegression(
            solver="lbfgs", **dml)),
    }
    if not admm:
        del runs["dask_ml admm"]
    return runs


def _rel(coef, ref):
    import numpy as np

    coef, ref = np.ravel(coef), np.ravel(ref)
    return float(np.max(np.abs(coef - ref)) / np.max(np.abs(ref)))


def logistic(quick, repeats, admm_repeats):
    """Issue 17: exact.LogisticRegression against dask-ml's and scikit-learn's."""
    import warnings
    from contextlib import nullcontext

    import dask
    from sklearn.linear_model import LogisticRegression

    from dask_variants import exact

    n = 500_000 if quick else 5_000_000
    n_blocks = 50
    name = "exact_logistic_quick" if quick else "exact_logistic"
    out = {"data": f"{n:,} x {P} float64 in {n_blocks} persisted blocks, binary y",
           "params": "fit_intercept=False, C=1.0, L2 penalty on every side; dask-ml with "
                     "solver_kwargs={'normalize': False}; other parameters defaults",
           "repeats": repeats, "admm_repeats": admm_repeats, "schedulers": {}}
    fitted = {}
    Xc = yc = None
    for sched in ("threads", "cluster"):
        cluster = client = None
        if sched == "cluster":
            cluster, client = local_cluster()

            def persist(*collections):
                return client.persist(list(collections))
        else:
            persist = dask.persist
        try:
            with dask.config.set(scheduler="threads") if client is None else nullcontext():
                X, y = _logistic_data(n, n_blocks, persist)
                admm = admm_repeats > 0
                warm = _logistic_contenders(X[:n // n_blocks], y[:n // n_blocks], {}, admm)
                for run in warm.values():  # imports, pools, worker start-up
                    run()
                runs = _logistic_contenders(X, y, fitted, admm)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    # admm (minutes a fit) joins the first admm_repeats rounds only
                    times = alternate(runs, min(repeats, admm_repeats), warmup=False) \
                        if admm else {}
                    rest = {k: v for k, v in runs.items() if k != "dask_ml admm"}
                    more = alternate(rest, repeats - len(next(iter(times.values()), [])),
                                     warmup=False)
                    for k, v in more.items():
                        times.setdefault(k, []).extend(v)
                if Xc is None:
                    Xc, yc = dask.compute(X, y)
        finally:
            if client is not None:
                client.close()
                cluster.close()
        med = {k: median(v) for k, v in times.items()}
        out["schedulers"][sched] = {
            "times_s": times, "median_s": med,
            "warnings": sorted({f"{w.category.__name__}: {str(w.message)[:120]}"
                                for w in caught}),
            "coef_": {k: est.coef_.ravel().tolist() for k, est in fitted.items()},
            "n_iter_": {k: int(est.n_iter_[0]) for k, est in fitted.items()
                        if k.startswith("exact")},
            "ratio_to_dask_ml": {f"{o} / {d}": med[f"exact {o}"] / med[f"dask_ml {d}"]
                                 for o in ("lbfgs", "newton-cholesky")
                                 for d in ("admm", "lbfgs") if f"dask_ml {d}" in med},
        }
        print(sched, json.dumps(med, indent=1), flush=True)
        write_json(name + "_partial", out)  # what a later failure would lose
    refs, ref_s = {}, {}
    same = {"fit_intercept": False, "C": 1.0}
    for solver in ("lbfgs", "newton-cholesky"):
        for tol in (1e-4, 1e-10):
            t0 = time.perf_counter()
            refs[solver, tol] = LogisticRegression(solver=solver, tol=tol, max_iter=1000,
                                                   **same).fit(Xc, yc)
            ref_s[f"{solver}, tol={tol:g}"] = time.perf_counter() - t0
    out["sklearn_in_memory_s"] = ref_s
    out["sklearn_n_iter_"] = {f"{s}, tol={t:g}": int(r.n_iter_[0]) for (s, t), r in refs.items()}
    best = refs["newton-cholesky", 1e-10].coef_  # the minimum, to rounding
    gaps = {}
    for sched, res in out["schedulers"].items():
        for contender, coef in res["coef_"].items():
            kind, solver = contender.split(" ")
            same_solver = refs[solver, 1e-4].coef_ if kind == "exact" else None
            gaps[f"{contender}, {sched}"] = {
                "to sklearn same solver, default tol": (
                    None if same_solver is None else _rel(coef, same_solver)),
                "to sklearn lbfgs, default tol": _rel(coef, refs["lbfgs", 1e-4].coef_),
                "to the minimum (sklearn newton-cholesky, tol=1e-10)": _rel(coef, best)}
    # ours at tol=1e-10 too (once, untimed, threads): the lbfgs comparison at a tol
    # tight enough for both sides to reach the minimum
    with dask.config.set(scheduler="threads"):
        X, y = _logistic_data(n, n_blocks, dask.persist)
        for solver in ("lbfgs", "newton-cholesky"):
            t0 = time.perf_counter()
            est = exact.LogisticRegression(solver=solver, tol=1e-10, max_iter=1000,
                                           **same).fit(X, y)
            gaps[f"exact {solver}, tol=1e-10, threads"] = {
                "seconds": time.perf_counter() - t0, "n_iter_": int(est.n_iter_[0]),
                "to sklearn same solver, tol=1e-10": _rel(est.coef_,
                                                          refs[solver, 1e-10].coef_)}
    out["relative_coef_difference"] = gaps
    out["targets"] = {"wall time": "ours <= 1.0x dask-ml's",
                      "lbfgs": "within 1e-6 relative of scikit-learn's lbfgs",
                      "newton-cholesky": "scikit-learn's to rounding"}
    del Xc, yc
    path = write_json(name, out)
    os.remove(os.path.join(os.path.dirname(path), name + "_partial.json"))
    print(json.dumps(gaps, indent=1))
    print("wrote", path)


def _memory_child(estimator, gb):
    """Fit one exact estimator on ``gb`` GB generated per block; print what it measured."""
    import dask
    import numpy as np

    from dask_variants import exact

    n_blocks = max(1, round(gb * 1e9 / 40e6))  # blocks of about 40 MB of X
    n = int(gb * 1e9 / 8 / P)
    X, y = lazy_xy(n, n_blocks)
    t0 = time.perf_counter()
    with dask.config.set(scheduler="threads"):
        if estimator == "PCA":
            est = exact.PCA(n_components=N_COMPONENTS).fit(X)
            summary = {"explained_variance_ratio_": est.explained_variance_ratio_.tolist()}
        else:
            est = exact.LinearRegression().fit(X, y)
            summary = {"max_abs_coef_error": float(np.max(np.abs(est.coef_ - _beta()))),
                       "intercept_": float(est.intercept_)}
    wall = time.perf_counter() - t0
    print(json.dumps({"n": n, "n_blocks": n_blocks, "wall_s": wall, "summary": summary,
                      "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      / 1024}))


def memory(quick, gb):
    import psutil

    gb = 2.0 if quick else gb
    results = {}
    for estimator in ("PCA", "LinearRegression"):
        child = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "memory-child", estimator, str(gb)],
            stdout=subprocess.PIPE, text=True)
        proc, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            try:
                peak = max(peak, proc.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
        stdout, _ = child.communicate()
        if child.returncode:
            raise RuntimeError(f"the {estimator} child failed ({child.returncode})")
        res = json.loads(stdout.strip().splitlines()[-1])
        res["peak_rss_sampled_mb"] = peak / 2**20
        results[f"exact.{estimator}"] = res
        print(estimator, json.dumps(res))
    ram = psutil.virtual_memory().total
    out = {"data_gb": gb, "ram_gb": ram / 1e9, "data_over_ram": gb * 1e9 / ram,
           "x": f"{P} float64 columns, generated per block from a seed, never persisted",
           "target": "peak RSS < 2 GB", "results": results}
    print("wrote", write_json("exact_memory_quick" if quick else f"exact_memory_{gb:g}gb", out))


def main(argv=None):
    if argv is None and sys.argv[1:2] == ["memory-child"]:
        return _memory_child(sys.argv[2], float(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["timing", "memory", "logistic"])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--memory-gb", type=float, default=75.0)
    parser.add_argument("--admm-repeats", type=int, default=1,
                        help="logistic: timed runs of dask-ml's admm (0: not run)")
    args = parser.parse_args(argv)
    if args.what == "timing":
        timing(args.quick, args.repeats)
    elif args.what == "logistic":
        logistic(args.quick, args.repeats, args.admm_repeats)
    else:
        memory(args.quick, args.memory_gb)


if __name__ == "__main__":
    main()
