"""Peak memory does not grow with the data: a few GB streamed through a slow fit."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import json, resource, sys, time
    import dask, dask.array as da, numpy as np
    from sklearn.base import BaseEstimator
    from dask_variants import incremental

    class Slow(BaseEstimator):
        def partial_fit(self, X, y=None):
            time.sleep(0.02)
            self.total_ = getattr(self, "total_", 0.0) + float(X[::97, ::13].sum())
            return self
        def fit(self, X, y=None):
            return self.partial_fit(X)

    def make(block=None, block_info=None):
        k = block_info[None]["chunk-location"][0]
        rows, cols = block_info[None]["chunk-shape"]
        return np.full((rows, cols), float(k))

    rows, cols, n = 6250, 1000, int(sys.argv[1])   # 50 MB blocks, lazily generated
    X = da.map_blocks(make, chunks=((rows,) * n, (cols,)), dtype=float,
                      meta=np.empty((0, cols)))
    Variant = incremental.variant(Slow)
    with dask.config.set(scheduler="threads"):
        Variant(shuffle_blocks=False).fit(X[:100])   # warm up imports and pools
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        t0 = time.time()
        est = Variant(shuffle_blocks=False).fit(X)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"base": base, "peak": peak, "seconds": time.time() - t0,
                      "block": rows * cols * 8, "total": est.total_}))
""")


@pytest.mark.slow
def test_stream_memory_does_not_grow_with_blocks(tmp_path):
    script = tmp_path / "memory.py"
    script.write_text(SCRIPT)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    n = 60  # 3 GB in all
    out = subprocess.run([sys.executable, str(script), str(n)], capture_output=True,
                         text=True, env=env, timeout=120, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["total"] == pytest.approx(sum(k * 6250 * 1000 for k in range(n)) / (97 * 13),
                                         rel=0.05)
    growth = got["peak"] - got["base"]
    # at most prefetch (2) blocks ahead + the one being fitted + one being produced
    assert growth < (2 + 2) * got["block"], (growth / 2**20, got)
