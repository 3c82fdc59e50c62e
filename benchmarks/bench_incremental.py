"""Benchmarks of ``dask_variants.incremental``: streaming fit against dask-ml and a loop.

Each function runs one benchmark and returns ``{"rows": [...], ...}``: table rows of
(benchmark, measure, dask_variants, dask-ml, loop, target, met) plus raw figures.
Contenders alternate within one process; times are medians.

Classifiers are given ``classes`` on every side, so ours runs ``partial_fit(X, y,
classes=...)`` on a fresh estimator: the same single pass as our ``fit(X, y,
classes=...)`` and dask-ml's ``Incremental.fit(X, y, classes=...)``. (Without
``classes``, ``fit`` first computes them from ``y``: one more pass over ``y``, and over
``X`` too when ``y`` is derived from it.)
"""
import os
import time

import dask
import dask.array as da
import numpy as np

from _common import MemorySampler, alternate, local_cluster, median, plot_memory, worker_pids

CORES = os.cpu_count() or 1


def _row(bench, measure, ours, dml=None, loop=None, target="", met=None):
    return {"benchmark": bench, "measure": measure, "dask_variants": ours, "dask_ml": dml,
            "loop": loop, "target": target, "met": met}


def _sgd_data(n_rows, n_features, n_blocks, seed=0):
    X = da.random.RandomState(seed).normal(
        size=(n_rows, n_features), chunks=(n_rows // n_blocks, n_features))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    return X, y


def _sgd_contenders(X, y):
    """One in-order pass of SGDClassifier over X's blocks: ours, and dask-ml's."""
    from dask_ml.wrappers import Incremental
    from sklearn.linear_model import SGDClassifier

    from dask_variants import incremental

    def ours():
        incremental.SGDClassifier(random_state=0, shuffle_blocks=False).partial_fit(
            X, y, classes=[0, 1])

    def dml():
        Incremental(SGDClassifier(random_state=0), shuffle_blocks=False).fit(
            X, y, classes=[0, 1])

    return ours, dml


def streaming_fit(quick):
    """SGDClassifier, lazily generated data, one pass: against max(load / cores, fit)."""
    from sklearn.linear_model import SGDClassifier

    n_rows = 500_000 if quick else 2_000_000
    X, y = _sgd_data(n_rows, 100, 20)
    repeats = 2 if quick else 3

    ours, dml = _sgd_contenders(X, y)

    def loop():
        est = SGDClassifier(random_state=0)
        for k in range(X.numblocks[0]):
            xk, yk = dask.compute(X.blocks[k], y.blocks[k])
            est.partial_fit(xk, yk, classes=[0, 1])

    with dask.config.set(scheduler="threads"):
        times = alternate({"dask_variants": ours, "dask_ml": dml, "loop": loop}, repeats)
        # the two floors: loading every block on one core, and fitting in-memory blocks
        load = fit = 0.0
        est = SGDClassifier(random_state=0)
        for k in range(X.numblocks[0]):
            t0 = time.perf_counter()
            xk, yk = dask.compute(X.blocks[k], y.blocks[k], scheduler="sync")
            t1 = time.perf_counter()
            est.partial_fit(xk, yk, classes=[0, 1])
            load, fit = load + t1 - t0, fit + time.perf_counter() - t1
    med = {k: median(v) for k, v in times.items()}
    floor = max(load / CORES, fit)
    ratio = med["dask_variants"] / floor
    label = f"SGDClassifier, {n_rows:,} x 100 in 20 lazy blocks, threads"
    return {
        "times": times, "load_seconds": load, "fit_seconds": fit, "floor": floor,
        "rows": [
            _row(label, "wall time (s)", med["dask_variants"], med["dask_ml"], med["loop"],
                 "<= dask-ml", med["dask_variants"] <= med["dask_ml"]),
            _row(label, f"ratio to max(load/{CORES}={load / CORES:.2f}s, fit={fit:.2f}s)",
                 ratio, med["dask_ml"] / floor, med["loop"] / floor, "<= 1.05",
                 ratio <= 1.05),
        ],
    }


def slow_fit_memory(quick):
    """MLPClassifier on fast-to-make blocks: memory held over time, threads and cluster."""
    from dask_ml.wrappers import Incremental
    from sklearn.neural_network import MLPClassifier

    from dask_variants import incremental

    # blocks above glibc's 32 MB mmap ceiling, so freed blocks go back to the system
    if quick:
        rows, hidden = 45_000, (64, 64)            # 33 MB blocks
        counts = {"threads": (3, 6), "cluster": (3, 6)}
    else:
        rows, hidden = 100_000, (256, 256)         # 72 MB blocks
        counts = {"threads": (10, 20, 40), "cluster": (10, 20, 40)}
    cols = 95
    block_mb = rows * cols * 8 / 2**20
    rows_out, raw, series = [], {}, {}

    def make(n):
        X = da.random.RandomState(1).random_sample(size=(rows * n, cols), chunks=(rows, cols))
        return X, (X[:, 0] > 0.5).astype(np.int64)

    def mlp():
        return MLPClassifier(hidden_layer_sizes=hidden, random_state=0, batch_size=1000)

    def run(kind, pids):
        X, y = make(2)  # warm-up on real blocks: imports, pools, allocator arenas
        incremental.MLPClassifier(hidden_layer_sizes=hidden, random_state=0,
                                  batch_size=1000).partial_fit(X, y, classes=[0, 1])
        Incremental(mlp()).fit(X, y, classes=[0, 1])
        for n in counts[kind]:
            X, y = make(n)
            for name in ("dask_variants", "dask_ml"):
                if name == "dask_variants":
                    est = incremental.MLPClassifier(
                        hidden_layer_sizes=hidden, random_state=0, batch_size=1000,
                        shuffle_blocks=False)

                    def go():
                        est.partial_fit(X, y, classes=[0, 1])
                else:
                    est = Incremental(mlp(), shuffle_blocks=False)

                    def go():
                        est.fit(X, y, classes=[0, 1])
                with MemorySampler(pids) as mem:
                    t0 = time.perf_counter()
                    go()
                    wall = time.perf_counter() - t0
                key = f"{kind}-{name}-{n}"
                raw[key] = {"seconds": wall, "peak_mb": mem.peak_growth / 2**20}
                series[f"{name}, {n} blocks"] = mem.series_mb()
            plot_series = {k: v for k, v in series.items()}
            series.clear()
            plot_memory(f"memory_{kind}_{n}_blocks" + ("_quick" if quick else ""),
                        f"MLP partial_fit, {n} blocks of {block_mb:.0f} MB, {kind}",
                        plot_series, block_mb)

    with dask.config.set(scheduler="threads"):
        run("threads", None)
    cluster, client = local_cluster()
    try:
        run("cluster", worker_pids(client))
    finally:
        client.close()
        cluster.close()
    bound = 4 * block_mb
    for kind in ("threads", "cluster"):
        label = f"MLPClassifier{hidden}, {block_mb:.0f} MB blocks, {kind}"
        for n in counts[kind]:
            ours, dml = raw[f"{kind}-dask_variants-{n}"], raw[f"{kind}-dask_ml-{n}"]
            rows_out.append(_row(label, f"MB held above baseline, {n} blocks",
                                 ours["peak_mb"], dml["peak_mb"], None,
                                 f"< {bound:.0f} (prefetch + 2 blocks)",
                                 ours["peak_mb"] < bound))
            rows_out.append(_row(label, f"wall time (s), {n} blocks", ours["seconds"],
                                 dml["seconds"], None, "<= dask-ml",
                                 ours["seconds"] <= dml["seconds"] * 1.02))
    return {"raw": raw, "block_mb": block_mb, "rows": rows_out}


def many_small_blocks(quick):
    """1,000 persisted blocks of 200 x 20: overhead per block over a plain loop."""
    from sklearn.linear_model import SGDClassifier

    n_blocks = 1000
    X, y = _sgd_data(200 * n_blocks, 20, n_blocks)
    repeats = 3 if quick else 7
    with dask.config.set(scheduler="threads"):
        X, y = dask.persist(X, y)
        blocks = [dask.compute(X.blocks[k], y.blocks[k]) for k in range(n_blocks)]

        def loop():
            est = SGDClassifier(random_state=0)
            for xk, yk in blocks:
                est.partial_fit(xk, yk, classes=[0, 1])

        ours, dml = _sgd_contenders(X, y)

        times = alternate({"dask_variants": ours, "dask_ml": dml, "loop": loop}, repeats)
    med = {k: median(v) for k, v in times.items()}
    per = {k: (med[k] - med["loop"]) / n_blocks * 1e6 for k in ("dask_variants", "dask_ml")}
    label = "SGDClassifier, 1,000 persisted blocks of 200 x 20, threads"
    return {"times": times, "rows": [
        _row(label, "wall time (s)", med["dask_variants"], med["dask_ml"], med["loop"]),
        _row(label, "added per block over the loop (us)", per["dask_variants"],
             per["dask_ml"], 0.0, "<= 115", per["dask_variants"] <= 115),
    ]}


def _spread(values):
    """(lowest, highest) of per-round figures: the noise of a shared machine."""
    return [float(min(values)), float(max(values))]


def many_small_blocks_predict(quick):
    """1,000 persisted blocks of 200 x 20: ``predict`` time added per block over a loop.

    ``iid.SGDClassifier.predict(X).compute()`` (the lazy result keeps the 1,000 chunks)
    against scikit-learn's ``predict`` on each of the same blocks as numpy arrays,
    concatenated, alternating round by round; the figure is the median over rounds of
    ``(ours - loop) / 1,000``.
    """
    from sklearn.linear_model import SGDClassifier

    from dask_variants import iid

    n_blocks = 1000
    X, y = _sgd_data(200 * n_blocks, 20, n_blocks)
    repeats = 5 if quick else 15
    with dask.config.set(scheduler="threads"):
        X, y = dask.persist(X, y)
        blocks = [X.blocks[k].compute() for k in range(n_blocks)]
        Xn, yn = np.concatenate(blocks), y.compute()
        sk = SGDClassifier(random_state=0).fit(Xn, yn)
        ours_est = iid.linear_model.SGDClassifier(random_state=0).fit(Xn, yn)
        assert ours_est.predict(X).chunks == (X.chunks[0],)
        assert (ours_est.predict(X).compute() == sk.predict(Xn)).all()

        def ours():
            ours_est.predict(X).compute()

        def loop():
            np.concatenate([sk.predict(b) for b in blocks])

        times = alternate({"dask_variants": ours, "loop": loop}, repeats)
    rounds = [(o - lp) / n_blocks * 1e6 for o, lp in zip(times["dask_variants"], times["loop"])]
    per = median(rounds)
    label = "iid SGDClassifier.predict, 1,000 persisted blocks of 200 x 20, threads"
    return {"times": times, "us_per_block_rounds": rounds, "spread": _spread(rounds),
            "rows": [
                _row(label, "wall time (s)", median(times["dask_variants"]), None,
                     median(times["loop"])),
                _row(label, "added per block over the loop (us)", per, None, 0.0,
                     "<= 60", per <= 60),
            ]}


def many_small_partitions(quick):
    """A parquet dataset of many small files, read as a frame: per-block cost over a loop.

    The parquet row counts give the partitions' sizes without reading them, so small
    partitions are loaded in batches of up to 4 MB per scheduler call, as an array's
    small blocks are; the same rows as a persisted dask array show the rest of the gap. The loop fits the same partitions as
    pandas frames already in memory, so the frame's own cost in scikit-learn (checking a
    pandas block) is in the loop too.
    """
    import shutil
    import tempfile

    import dask.dataframe as dd
    import pandas as pd
    from sklearn.linear_model import SGDClassifier

    from dask_variants import incremental

    n_parts, rows, cols = (200, 200, 20) if quick else (1000, 200, 20)
    repeats = 3 if quick else 5
    rng = np.random.RandomState(0)
    features = [f"f{i}" for i in range(cols)]
    where = tempfile.mkdtemp(prefix="dask_variants-bench-")
    try:
        for k in range(n_parts):  # one file per partition, as many small parquet files
            part = pd.DataFrame(rng.normal(size=(rows, cols)), columns=features)
            part["y"] = (part["f0"] + 0.5 * part["f1"] > 0).astype(np.int64)
            part.to_parquet(f"{where}/part-{k:05d}.parquet", index=False)
        ddf = dd.read_parquet(where)
        X, y = ddf[features], ddf["y"]
        with dask.config.set(scheduler="threads"):
            parts = [p for p in dask.compute(*ddf.to_delayed())]
            Xa = da.from_array(np.concatenate([p[features].to_numpy() for p in parts]),
                               chunks=(rows, cols))
            ya = da.from_array(np.concatenate([p["y"].to_numpy() for p in parts]),
                               chunks=rows)
            Xa, ya = dask.persist(Xa, ya)

            def frame():
                incremental.SGDClassifier(random_state=0, shuffle_blocks=False).partial_fit(
                    X, y, classes=[0, 1])

            def array():
                incremental.SGDClassifier(random_state=0, shuffle_blocks=False).partial_fit(
                    Xa, ya, classes=[0, 1])

            def loop():
                est = SGDClassifier(random_state=0)
                for part in parts:
                    est.partial_fit(part[features], part["y"], classes=[0, 1])

            times = alternate({"frame": frame, "array": array, "loop": loop}, repeats)
    finally:
        shutil.rmtree(where, ignore_errors=True)
    med = {k: median(v) for k, v in times.items()}
    per = {k: (med[k] - med["loop"]) / n_parts * 1e6 for k in ("frame", "array")}
    ratios = [f / lp for f, lp in zip(times["frame"], times["loop"])]
    ratio = med["frame"] / med["loop"]
    label = f"SGDClassifier, read_parquet of {n_parts:,} files of {rows} x {cols}, threads"
    same = f"the same rows as a persisted array of {n_parts:,} blocks, threads"
    return {"times": times, "ratio_rounds": ratios, "spread": _spread(ratios), "rows": [
        _row(label, "wall time (s)", med["frame"], None, med["loop"]),
        _row(label, "ratio to the in-memory loop (medians)", ratio, None, 1.0, "<= 1.3",
             ratio <= 1.3),
        _row(label, "added per block over the loop (us), reading included", per["frame"],
             None, 0.0),
        _row(same, "wall time (s)", med["array"], None, med["loop"]),
    ]}


def cluster_model_to_data(quick):
    """Data persisted on a 2-worker cluster: bytes moved and wall time."""
    from distributed import wait
    from sklearn.linear_model import SGDClassifier

    n_blocks, rows = (10, 20_000) if quick else (20, 50_000)
    X, y = _sgd_data(rows * n_blocks, 96, n_blocks)
    repeats = 2 if quick else 3
    cluster, client = local_cluster()
    try:
        X, y = client.persist([X, y])
        wait([X, y])

        def incoming(dask_worker):
            return sum(t["total"] for t in dask_worker.transfer_incoming_log)

        moved = {}

        def measured(name, fn):
            def run():
                before = sum(client.run(incoming).values())
                fn()
                moved.setdefault(name, []).append(sum(client.run(incoming).values()) - before)
            return run

        ours, dml = _sgd_contenders(X, y)

        gathered = []

        def loop():
            est = SGDClassifier(random_state=0)
            total = 0
            for k in range(n_blocks):
                xk, yk = client.compute([X.blocks[k], y.blocks[k]], sync=True)
                total += xk.nbytes + yk.nbytes
                est.partial_fit(xk, yk, classes=[0, 1])
            gathered.append(total)

        times = alternate({"dask_variants": measured("dask_variants", ours),
                           "dask_ml": measured("dask_ml", dml), "loop": loop}, repeats)
        model = len(__import__("pickle").dumps(SGDClassifier().partial_fit(
            np.zeros((2, 96)), [0, 1], classes=[0, 1])))
    finally:
        client.close()
        cluster.close()
    med = {k: median(v) for k, v in times.items()}
    mb = {k: median(v) / 2**20 for k, v in moved.items()}
    label = f"SGDClassifier, {n_blocks} persisted blocks of {rows:,} x 96, 2-worker cluster"
    return {"times": times, "moved": moved, "model_bytes": model, "rows": [
        _row(label, "wall time (s)", med["dask_variants"], med["dask_ml"], med["loop"],
             "<= dask-ml", med["dask_variants"] <= med["dask_ml"] * 1.02),
        _row(label, "MB moved between workers (loop: to the client)", mb["dask_variants"],
             mb["dask_ml"], median(gathered) / 2**20,
             f"about the model ({model / 2**20:.3f} MB) per block",
             mb["dask_variants"] <= n_blocks * 4 * model / 2**20),
    ]}


def parallel_merge(quick):
    """Exact merge vs the sequential pass, StandardScaler and GaussianNB, fit-heavy blocks.

    Blocks are wide and already in memory, so the time goes into ``partial_fit`` itself:
    the sequential pass fits one block after the other, the merge two at a time.
    """
    n_blocks, rows = (8, 12_000) if quick else (16, 40_000)
    cols = 200
    X = da.random.RandomState(2).normal(size=(rows * n_blocks, cols), chunks=(rows, cols))
    y = (X[:, 0] > 0.3).astype(np.int64) + (X[:, 1] > 0.5).astype(np.int64)
    repeats = 2 if quick else 5
    rows_out, raw = [], {}
    with dask.config.set(scheduler="threads"):
        Xt, yt = dask.persist(X, y)
    _merge_rounds(Xt, yt, "threads", repeats, rows_out, raw, n_blocks, rows, cols)
    cluster, client = local_cluster()
    try:
        Xc, yc = client.persist([X, y])
        _merge_rounds(Xc, yc, "2-worker cluster", repeats, rows_out, raw, n_blocks, rows,
                      cols)
    finally:
        client.close()
        cluster.close()
    return {"raw": raw, "rows": rows_out}


def _merge_rounds(X, y, where, repeats, rows_out, raw, n_blocks, rows, cols):
    from sklearn.base import clone

    from dask_variants.engine import _fit, _source
    from dask_variants import incremental

    for name in ("StandardScaler", "GaussianNB"):
        Variant = getattr(incremental, name)
        target = None if name == "StandardScaler" else y
        static = {} if name == "StandardScaler" else {"classes": np.array([0, 1, 2])}
        args = (X,) if target is None else (X, target)

        def merged():
            return Variant(shuffle_blocks=False).partial_fit(*args, **static)

        def sequential():
            work = clone(Variant(shuffle_blocks=False))
            _fit.stream(work, X, target, {}, dict(static), passes=1, shuffle=False,
                           random_state=None, method="partial_fit")
            return work

        scheduler = {"scheduler": "threads"} if where == "threads" else {}
        with dask.config.set(**scheduler):
            times = alternate({"merge": merged, "sequential": sequential}, repeats)
            a, b = merged(), sequential()
        same = all(np.allclose(getattr(a, attr), getattr(b, attr), rtol=1e-9)
                   for attr in ("var_", "n_samples_seen_" if target is None else "theta_"))
        med = {k: median(v) for k, v in times.items()}
        speedup = med["sequential"] / med["merge"]
        raw[f"{name}-{where}"] = {"times": times, "speedup": speedup,
                                  "same_attributes": same}
        rows_out.append(_row(f"{name}, {n_blocks} in-memory blocks of {rows:,} x {cols}, "
                             f"{where}", "speed-up of the merge over the sequential pass",
                             speedup, None, None, ">= 1.7, same attributes",
                             speedup >= 1.7 and same))


ALL = {
    "streaming_fit": streaming_fit,
    "many_small_blocks": many_small_blocks,
    "many_small_partitions": many_small_partitions,
    "many_small_blocks_predict": many_small_blocks_predict,
    "parallel_merge": parallel_merge,
    "cluster_model_to_data": cluster_model_to_data,
    "slow_fit_memory": slow_fit_memory,
}
