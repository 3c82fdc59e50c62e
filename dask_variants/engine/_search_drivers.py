"""The two drivers of the many-model search engine (:mod:`._search`).

A driver holds the models, feeds one position's block to the models that need it, and
scores them:

* :class:`LocalDriver` (any local scheduler, or none): blocks are loaded on the active
  scheduler by ``dask_variants.prefetch`` loader threads while the previous block is fed
  to the models, which are fitted in a thread pool (in this thread with the synchronous
  scheduler).
* :class:`ClusterDriver` (a ``distributed.Client`` is active): each block is loaded where
  the scheduler puts it, and every ``partial_fit`` is a task whose inputs are the model
  and the block, so it runs next to the block: the models move, the data does not. At
  most ``prefetch`` positions are in flight ahead of the one being fitted. Each task
  copies its model first, so a retried task cannot apply a block twice.

Both make every ``j``-th call from one load of block ``order[j]``, and load the next
positions ahead while the current one is fitted.
"""
import collections
import copy
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import dask

from ..blocks import _blocks
from . import _local, _source

__all__ = []


# --------------------------------------------------------------------------- validation


class Validation:
    """The held-out rows, scored after every round.

    Materialised once by the driver (``Xv``, ``yv``) when their estimated size fits
    ``dask_variants.search-validation-bytes``; otherwise every round scores all the
    models on the lazy ``X``, ``y`` with ``lazy_scores(models) -> [(score, seconds)]``,
    one pass over the validation blocks for all of them.
    """

    def __init__(self, X, y, lazy_scores):
        budget = int(dask.config.get("dask_variants.search-validation-bytes"))
        if budget < 0:
            raise ValueError(
                f"dask_variants.search-validation-bytes must be >= 0, got {budget!r}. Set "
                "it with dask.config.set({'dask_variants.search-validation-bytes': 2**28})."
            )
        self.X, self.y, self.lazy_scores = X, y, lazy_scores
        self.in_memory = _estimate(X) + (0 if y is None else _estimate(y)) <= budget
        self.Xv = self.yv = None


def _estimate(X):
    """Bytes of a dask collection; frames (unknown sizes) count as fitting."""
    import math

    if hasattr(X, "chunks") and _blocks.known(X.chunks[0]):
        return int(math.prod(X.shape)) * X.dtype.itemsize
    return 0


def _concat(parts):
    """The validation blocks in one (``None`` for a missing ``y``), empty ones left out."""
    if not parts or parts[0] is None:
        return None
    return _blocks.concat([p for p in parts if p.shape[0]] or parts[:1])


def _score_task(state, Xv, yv, scorer):
    model, fit_time = state
    t0 = time.perf_counter()
    score = model.score(Xv, yv) if scorer is None else scorer(model, Xv, yv)
    return float(score), time.perf_counter() - t0, fit_time


# --------------------------------------------------------------------------- local


def _fit_one(model, x, y, params, static):
    if x.shape[0]:
        _source.fit_block(_blocks.in_memory(model, "partial_fit"), x, y, params, static)


class LocalDriver:
    """Models live in this process; blocks are loaded ahead on the active scheduler."""

    def __init__(self, source, static, owner, order, val, scorer, stack):
        import dask.local

        self.source, self.static, self.owner, self.order = source, static, owner, order
        self.val, self.scorer = val, scorer
        self.depth = _source.prefetch_depth()
        self.schedule, self.kwargs = _local.local_scheduler(source.schedule, stack)
        sync = self.schedule is dask.local.get_sync
        self.loader = None
        if self.depth > 0 and not sync:
            self.loader = ThreadPoolExecutor(self.depth, thread_name_prefix="dask_variants-load")
            stack.callback(self.loader.shutdown, wait=False, cancel_futures=True)
        self.fitter = None
        if not sync:
            from dask.system import CPU_COUNT

            workers = dask.config.get("num_workers", None) or CPU_COUNT
            self.fitter = ThreadPoolExecutor(workers, thread_name_prefix="dask_variants-fit")
            stack.callback(self.fitter.shutdown, wait=False, cancel_futures=True)
        self.ahead = {}  # position -> loading future
        self.loads = 0
        if val.in_memory:
            vsource = _source.Source(val.X, val.y, {})
            everything = list(range(vsource.n))
            try:
                blocks = vsource.load(everything, self.schedule, **self.kwargs)
            except Exception as err:
                k, single = _source.failing_block(vsource, everything, self.schedule,
                                                  **self.kwargs)
                cause = err if single is None else single
                raise self._error(k, "loading", cause) from cause
            val.Xv = _concat([b[0] for b in blocks])
            val.yv = _concat([b[1] for b in blocks])

    def start(self, models):
        self.models = dict(models)
        self.times = dict.fromkeys(self.models, 0.0)

    def drop(self, key):
        self.models.pop(key, None)

    def _load(self, k):
        return self.source.load([k], self.schedule, **self.kwargs)[0]

    def feed(self, j, keys, horizon):
        """Load position ``j``'s block once; ``partial_fit`` every model of ``keys``."""
        for p in [p for p in self.ahead if p < j]:  # loaded ahead for nothing
            self.ahead.pop(p).cancel()
        k = self.order[j]
        fut = self.ahead.pop(j, None)
        if self.loader is not None:
            for p in range(j + 1, min(j + self.depth, horizon) + 1):
                if p not in self.ahead:
                    self.ahead[p] = self.loader.submit(self._load, self.order[p])
        try:
            x, y, params = self._load(k) if fut is None else fut.result()
        except Exception as err:
            raise self._error(k, "loading", err) from err
        self.loads += 1

        def fit(key):
            t0 = time.perf_counter()
            try:
                _fit_one(self.models[key], x, y, params, self.static)
            except Exception as err:
                raise self._error(k, "fitting", err) from err
            return key, time.perf_counter() - t0

        done = map(fit, keys) if self.fitter is None else self.fitter.map(fit, keys)
        for key, seconds in done:
            self.times[key] += seconds

    def score(self, keys):
        """``[(score, score seconds, fit seconds since the last score), ...]``."""
        fit_times = [self.times[key] for key in keys]
        for key in keys:
            self.times[key] = 0.0
        models = [self.models[key] for key in keys]
        if self.val.in_memory:
            def one(model):
                return _score_task((model, 0.0), self.val.Xv, self.val.yv, self.scorer)[:2]

            scored = list(map(one, models) if self.fitter is None
                          else self.fitter.map(one, models))
        else:
            scored = self.val.lazy_scores(models)
        return [(s, t, f) for (s, t), f in zip(scored, fit_times)]

    def collect(self, keys):
        return {key: self.models[key] for key in keys}

    def _error(self, k, stage, err):
        return _source.block_error(self.owner, "fit", k, self.source.n, stage, err)


# --------------------------------------------------------------------------- distributed


def _fit_task(state, x, y, params, static, k, fresh):
    """A fitted copy of the model: one ``partial_fit`` on block ``k`` (pure, so retries
    stay exact). ``state`` is ``(model, seconds fitting since the last score)``."""
    model, seconds = state
    model = copy.deepcopy(model)
    t0 = time.perf_counter()
    try:
        _fit_one(model, x, y, params, static)
    except Exception as err:
        raise _source.BlockFailure(k, "fitting", err) from err
    return model, (0.0 if fresh else seconds) + time.perf_counter() - t0


def _first(state):
    return state[0]


#: how often a wait on the cluster checks that the workers fits were pinned to are there
_POLL_SECONDS = 1.0


class ClusterDriver:
    """Models live on the workers, as futures; each call runs on its block's worker."""

    def __init__(self, client, source, static, owner, order, val, scorer):
        self.client, self.source, self.static, self.owner = client, source, static, owner
        self.order, self.val, self.scorer = order, val, scorer
        self.depth = _source.prefetch_depth()
        self.token = uuid.uuid4().hex[:12]
        self.step = 0
        self.loads = 0
        self.ahead = {}                      # position -> block futures, loading
        self.window = collections.deque()    # positions fed, fits not yet settled
        self.pinned = set()                  # workers any fit was pinned to
        if val.in_memory:
            vsource = _source.Source(val.X, val.y, {})
            blocks = vsource.load(list(range(vsource.n)), client.get, sync=False)
            self.Xv = client.submit(_concat, [b[0] for b in blocks], pure=False)
            self.yv = client.submit(_concat, [b[1] for b in blocks], pure=False)
            from distributed import wait

            wait([self.Xv, self.yv])
            for k, block in enumerate(blocks):
                for part in block[:2]:
                    if getattr(part, "status", None) == "error":
                        cause = part.exception()
                        raise self._error(k, "loading", cause) from cause
            del blocks

    def start(self, models):
        self.state = {key: (est, 0.0) for key, est in models.items()}
        self.fresh = set(models)

    def drop(self, key):
        self.state.pop(key, None)

    def _load(self, j):
        x, y, params = self.source.load([self.order[j]], self.client.get, sync=False)[0]
        return [x, y, params]

    def feed(self, j, keys, horizon):
        """Submit ``partial_fit`` of every model of ``keys`` on position ``j``'s block, on
        the worker that holds it. At most ``prefetch + 1`` positions are loaded or being
        fitted at once."""
        from distributed import wait

        for p in [p for p in self.ahead if p < j]:
            self.client.cancel([f for f in self.ahead.pop(p)[:2] if f is not None])
        block = self.ahead.pop(j, None)
        while self.window and len(self.window) + len(self.ahead) + 1 > self.depth + 1:
            self._settle(self.window.popleft())
        if block is None:
            block = self._load(j)
        for p in range(j + 1, min(j + self.depth, horizon) + 1):
            if p not in self.ahead and len(self.window) + len(self.ahead) + 1 <= self.depth:
                self.ahead[p] = self._load(p)
        k = self.order[j]
        x, y, params = block
        wait([x])
        if x.status == "error":
            cause = x.exception()
            raise self._error(k, "loading", cause) from cause
        self.loads += 1
        # pinned to the block's worker: the model moves, the block never does. Loose
        # restrictions would let work stealing move blocks (measured: 4x the bytes).
        # The price: if that worker leaves, these fits could never run; _wait says so.
        workers = list(self.client.who_has([x]).get(x.key, ())) or None
        self.pinned.update(workers or ())
        futures = []
        for key in keys:
            self.step += 1
            self.state[key] = self.client.submit(
                _fit_task, self.state[key], x, y, params, self.static, k,
                key in self.fresh, workers=workers, allow_other_workers=False,
                key=f"dask_variants-search-{self.token}-{self.step}",
            )
            self.fresh.discard(key)
            futures.append(self.state[key])
        self.window.append((k, futures, [x, y, *params.values()]))

    def _wait(self, futures):
        """``wait(futures)``; raise when a worker that fits were pinned to has left.

        A fit pinned to a worker that died, restarted (under a new address) or retired can
        never run, and neither can any model state computed through it: waiting would not
        end. The cluster's workers are checked every ``_POLL_SECONDS`` of waiting.
        """
        from distributed import wait

        while True:
            try:
                wait(futures, timeout=_POLL_SECONDS)
                return
            except TimeoutError:
                gone = sorted(self.pinned - set(self.client.nthreads()))
                if gone:
                    raise RuntimeError(
                        f"{type(self.owner).__name__}.fit lost the worker(s) {gone!r}: "
                        "every model's partial_fit runs on the worker holding its block, "
                        "so the models fitted there are gone and the search cannot go "
                        "on. Fit again once the cluster's workers are up (a worker that "
                        "restarts comes back under a new address)."
                    ) from None

    def _settle(self, item):
        k, futures, block = item
        self._wait(futures)
        for f in futures:
            if f.status == "error":
                error, cause = _source.task_failure(self._error, f.exception(), [(k, block)])
                raise error from cause

    def score(self, keys):
        """``[(score, score seconds, fit seconds since the last score), ...]``."""
        while self.window:  # a failure surfaces here, naming its block
            self._settle(self.window.popleft())
        states = [self.state[key] for key in keys]
        self.fresh.update(keys)
        if self.val.in_memory:
            futures = [self.client.submit(_score_task, s, self.Xv, self.yv, self.scorer,
                                          pure=False) for s in states]
            self._wait(futures)
            return self.client.gather(futures)
        self._wait(states)
        gathered = self.client.gather(states)
        scored = self.val.lazy_scores([m for m, _ in gathered])
        return [(s, t, fit) for (s, t), (_, fit) in zip(scored, gathered)]

    def collect(self, keys):
        while self.window:
            self._settle(self.window.popleft())
        futures = [self.client.submit(_first, self.state[key], pure=False) for key in keys]
        self._wait(futures)
        return dict(zip(keys, self.client.gather(futures)))

    def _error(self, k, stage, err):
        return _source.block_error(self.owner, "fit", k, self.source.n, stage, err)
