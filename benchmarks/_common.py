"""Shared benchmark helpers: alternating timings, memory sampling, results and plots."""
import json
import os
import statistics
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def alternate(runs, repeats, warmup=True):
    """Run every callable of ``runs`` in turn, ``repeats`` rounds; return their times.

    Alternating (a, b, c, a, b, c, ...) in one process spreads drift (caches, thermal,
    other load) evenly over the contenders, so their ratio is fair. One untimed warm-up
    round first pays the imports (here and in cluster workers) and pool start-ups.
    """
    if warmup:
        for fn in runs.values():
            fn()
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def median(values):
    return float(statistics.median(values))


class MemorySampler:
    """Sample the summed RSS of this process (and ``extra_pids()``) every ``interval`` s."""

    def __init__(self, extra_pids=None, interval=0.05):
        import psutil

        self._psutil = psutil
        self.extra_pids = extra_pids or (lambda: [])
        self.interval = interval
        self.samples = []

    def rss(self):
        total = self._psutil.Process().memory_info().rss
        for pid in self.extra_pids():
            try:
                total += self._psutil.Process(pid).memory_info().rss
            except self._psutil.Error:
                pass
        return total

    def __enter__(self):
        self.baseline = self.rss()
        self.t0 = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - self.t0, self.rss()))
            self._stop.wait(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter() - self.t0, self.rss()))
        return False

    @property
    def peak_growth(self):
        return max(r for _, r in self.samples) - self.baseline

    def series_mb(self):
        return [(t, (r - self.baseline) / 2**20) for t, r in self.samples]


def machine():
    """What the figures were measured on, including the load other processes put on it."""
    import platform

    return {"cpus": os.cpu_count(), "load_average_1_5_15": os.getloadavg(),
            "python": platform.python_version()}


def write_json(name, data):
    data = dict(data, machine=machine())
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"{name}.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=2, default=float)
    return path


def plot_memory(name, title, series, block_mb=None):
    """Plot ``{label: [(seconds, MB above baseline), ...]}`` to ``results/<name>.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for label, points in series.items():
        if points:
            t, mb = zip(*points)
            ax.plot(t, mb, label=label)
    if block_mb:
        ax.axhline(4 * block_mb, color="grey", ls=":", label="(prefetch + 2) blocks")
    ax.set_xlabel("seconds")
    ax.set_ylabel("MB above baseline")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"{name}.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def local_cluster():
    """The 2-worker loopback LocalCluster every cluster benchmark uses."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    return cluster, Client(cluster)


def worker_pids(client):
    pids = list(client.run(os.getpid).values())
    return lambda: pids
