"""Post-fit methods that hold the GIL, run in worker processes under the threaded scheduler.

The threaded scheduler runs one task per core, but a method that holds the GIL (trees'
and gradient boosting's Python loops, neighbours) keeps about one core busy however many
threads call it. For such a method, each task hands its block to one of a few worker
processes (one per core, started once and kept) and waits, so the cores work in
parallel; the fitted model is sent to a process once per lazy result, not once per
block. The output is the same method's on the same rows.

Whether a method holds the GIL is measured, on the first block of each lazy result
large enough to tell (:func:`_holds_gil`): its two halves run in two threads, and the
CPU time they use together over the wall time says how many cores they kept busy.

:func:`runner` decides when the lazy result is built: only on the threaded scheduler
(on ``distributed`` the user chose the workers; the sync and process schedulers have
their own), only with ``dask_variants.blockwise-processes`` true, only with more than one
core. A task that finds itself on a ``distributed`` worker anyway runs the method in
place.

Rows still to be computed can go to a worker process as their :class:`Recipe` (the
self-contained sub-graph that makes them: a seed, a file name) instead of as data: the
worker process computes them with the synchronous scheduler and, for a method, sends
back only the output. So generating or reading a block, which holds the GIL as well,
leaves this process too (:func:`recipes` tells when a collection's blocks have such
recipes), and the block is never pickled. The streaming fit loads small blocks this way
(:func:`compute`), while this process fits.

The worker processes start without running the user's ``__main__`` again (as
:mod:`multiprocessing`'s spawn would, for functions and classes defined there): a script
needs no ``if __name__ == "__main__":`` guard, and its top-level work is not redone in
every process. What the model or a recipe takes from ``__main__`` travels by value
(cloudpickle), as dask's process scheduler sends it.
"""
import atexit
import contextlib
import logging
import pickle
import queue
import sys
import threading
import time
import uuid
import weakref

import dask

logger = logging.getLogger(__name__)

__all__ = []

#: a probe shorter than this (seconds) tells nothing, and blocks that quick gain nothing
#: from a process: the lazy result's blocks run in place
_PROBE_SECONDS = 0.05
#: the cores two threads must keep busy to count as not holding the GIL
_PARALLEL = 1.5

#: est -> {method: True (holds the GIL) / False}, decided once per fitted object
_DECIDED = weakref.WeakKeyDictionary()
_DECIDING = threading.Lock()

_WORKERS = None  # queue.Queue of idle _Worker, started on first use
_STARTING = threading.Lock()


def runner(est, method):
    """A :class:`Runner` for ``est.method`` when worker processes may run it, else None."""
    from dask.base import get_scheduler

    return Runner(est, method) if allowed(get_scheduler()) else None


def allowed(schedule):
    """Whether work for ``schedule`` may go to worker processes.

    Only on the threaded scheduler (on ``distributed`` the user chose the workers; the
    sync and process schedulers have their own), with ``dask_variants.blockwise-processes``
    true and more than one core.
    """
    import dask.threaded
    from dask.system import CPU_COUNT

    return (bool(dask.config.get("dask_variants.blockwise-processes"))
            and schedule is dask.threaded.get
            and (dask.config.get("num_workers", None) or CPU_COUNT) >= 2)


class Runner:
    """Runs ``est.method`` on blocks, in worker processes when it holds the GIL.

    The model is pickled once, on first need, and sent to each worker process once.
    Pickled (a task shipped to a ``distributed`` worker), it becomes :class:`InPlace`.
    """

    def __init__(self, est, method):
        self.token = uuid.uuid4().hex
        self.method = method
        self._payload = None
        self._lock = threading.Lock()
        self._in_place = False  # set when a probe was too quick to tell: small blocks

    def __reduce__(self):
        return (InPlace, (self.method,))

    def __call__(self, est, X, params, finish=None):
        """``est.method(X, **params)``; with ``finish``, ``finish(X, est)`` instead (a
        picklable function calling the method and shaping its output, run where the
        rows are: a frame's partition goes back with its index)."""
        from ._blocks import in_memory

        if finish is None:
            fn = in_memory(est, self.method)
        else:
            def fn(rows, **_):
                return finish(rows, est)
        if self._in_place or _on_distributed_worker():
            return fn(_rows(X), **params)
        gil = _DECIDED.get(est, {}).get(self.method)
        if gil is None:
            with _DECIDING:  # one probe at a time; the other tasks wait for its answer
                gil = _DECIDED.get(est, {}).get(self.method)
                if gil is None:
                    out, gil = _holds_gil(fn, _rows(X), params)
                    if gil is None:
                        self._in_place = True
                    else:
                        _DECIDED.setdefault(est, {})[self.method] = gil
                    return out
        if not gil:
            return fn(_rows(X), **params)
        with self._lock:
            if self._payload is None and not self._in_place:
                try:
                    self._payload = _dumps(est)
                except (pickle.PicklingError, AttributeError, TypeError) as err:
                    # a model holding what even cloudpickle cannot send (a lock, an open
                    # file) stays here: the method runs as with the processes turned off
                    logger.debug("%s.%s runs in threads: the model does not pickle (%s)",
                                 type(est).__name__, self.method, err)
                    self._in_place = True
        if self._in_place:
            return fn(_rows(X), **params)
        X = X.shipped() if isinstance(X, Recipe) else X
        with _idle_worker() as worker:
            return worker.run(self.token, self._payload, self.method, X, params, finish)


class InPlace:
    """The method run in the calling thread (what a pickled :class:`Runner` becomes)."""

    def __init__(self, method):
        self.method = method

    def __call__(self, est, X, params, finish=None):
        from ._blocks import in_memory

        if finish is not None:
            return finish(_rows(X), est)
        return in_memory(est, self.method)(_rows(X), **params)


# --------------------------------------------------------------------------- recipes


class Recipe:
    """Rows not computed yet: a self-contained sub-graph and the keys that give them.

    ``nbytes`` (the rows' size, where known) caps what is shipped: a recipe larger than
    its rows (arguments holding data) goes as the rows instead. The pickled recipe
    (cloudpickle, as dask's process scheduler pickles tasks) is made once.
    """

    def __init__(self, graph, keys, nbytes=None):
        self.graph, self.keys, self.nbytes = graph, keys, nbytes
        self._payload = None

    def compute(self):
        """The rows, computed here by the synchronous scheduler."""
        return dask.get(self.graph, self.keys)

    def payload(self):
        if self._payload is None:
            self._payload = _dumps((self.graph, self.keys))
        return self._payload

    def shipped(self):
        """What to send a worker process: the pickled recipe, or the rows when smaller."""
        payload = self.payload()
        if self.nbytes is not None and len(payload) >= self.nbytes:
            return self.compute()
        return _Pickled(payload)


class _Pickled:
    """A pickled recipe on its way to a worker process (unpickled there, not on the way)."""

    def __init__(self, payload):
        self.payload = payload


def _dumps(obj):
    """``obj`` pickled for a worker process: what ``__main__`` defines goes by value."""
    import cloudpickle

    return cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _rows(X):
    return X.compute() if isinstance(X, Recipe) else X


def recipes(dsk, groups, nbytes=None):
    """One :class:`Recipe` per group of keys (a list, or one key) of graph ``dsk``, or None.

    None when a group's rows are not cheaper to make elsewhere than to send: a node of
    its sub-graph holds data (persisted blocks, ``from_array``'s slices), is missing
    (held by a cluster) or is not a task object; or a task is in the sub-graphs of two
    groups (two processes would each compute it). ``nbytes``: the rows' size per group,
    where known.
    """
    from .._dask_compat import DataNode

    owner, out = {}, []
    for i, keys in enumerate(groups):
        graph, todo = {}, list(keys) if isinstance(keys, list) else [keys]
        while todo:
            key = todo.pop()
            if key in graph:
                continue
            node = dsk.get(key)
            deps = getattr(node, "dependencies", None)
            if deps is None or isinstance(node, DataNode) or owner.setdefault(key, i) != i:
                return None
            graph[key] = node
            todo.extend(deps)
        out.append(Recipe(graph, keys, None if nbytes is None else nbytes[i]))
    return out


def compute(recipe):
    """``recipe.compute()`` in a worker process: the values, pickled back."""
    with _idle_worker() as worker:
        return worker.pool.submit(_compute_in_worker, recipe.payload()).result()


def _compute_in_worker(payload):
    graph, keys = pickle.loads(payload)
    return dask.get(graph, keys)


def _holds_gil(fn, X, params):
    """``fn(X, **params)`` and whether it held the GIL (None: too quick to tell).

    The call runs twice at once, here and in a helper thread (the probe's cost: one
    block computed twice, once per fitted estimator and method): a method that releases
    the GIL keeps two cores busy (process CPU time about twice the wall time), one that
    holds it about one.
    """
    helper = threading.Thread(target=fn, args=(X,), kwargs=params,
                              name="dask_variants-gil-probe")
    cpu, wall = time.process_time(), time.perf_counter()
    helper.start()
    out = fn(X, **params)
    helper.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if wall < _PROBE_SECONDS:
        return out, None
    return out, cpu / wall < _PARALLEL


def _on_distributed_worker():
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return False
    try:
        distributed.get_worker()
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- workers


class _Worker:
    """One worker process and the models it holds (by token)."""

    def __init__(self, context):
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(1, mp_context=context)
        self.pool.submit(int)  # starts the process now (see _without_main)
        self.tokens = []  # the models it holds, newest last

    def run(self, token, payload, method, X, params, finish=None):
        send = None if token in self.tokens else payload
        out = self.pool.submit(_run_in_worker, token, send, method, X, params,
                               finish).result()
        if send is not None:
            self.tokens = (self.tokens + [token])[-_KEPT:]
        return out


#: models a worker process keeps (lazy results computed together each need theirs)
_KEPT = 4
_MODELS = {}  # in a worker process: token -> fitted estimator


def _run_in_worker(token, payload, method, X, params, finish=None):
    from ._blocks import in_memory

    if payload is not None:
        _MODELS[token] = pickle.loads(payload)
        while len(_MODELS) > _KEPT:
            del _MODELS[next(iter(_MODELS))]
    if isinstance(X, _Pickled):
        X = _compute_in_worker(X.payload)
    if finish is not None:
        return finish(X, _MODELS[token])
    return in_memory(_MODELS[token], method)(X, **params)


def _workers():
    """The queue of idle worker processes, one per core, started on first use."""
    global _WORKERS
    if _WORKERS is None:
        with _STARTING:
            if _WORKERS is None:
                from dask.multiprocessing import get_context
                from dask.system import CPU_COUNT

                context = get_context()
                idle = queue.Queue()
                with _without_main():
                    for _ in range(dask.config.get("num_workers", None) or CPU_COUNT):
                        idle.put(_Worker(context))
                atexit.register(_shutdown, idle)
                _WORKERS = idle
    return _WORKERS


_LAUNCHING = threading.local()  # .bare: processes started by this thread skip __main__


@contextlib.contextmanager
def _without_main():
    """Processes this thread starts inside the block do not run ``__main__`` first.

    A spawned (or forkserver) process runs the parent's main script again, as
    ``__mp_main__``, before anything else, so that what it defines can be unpickled;
    without a ``__main__`` guard the script would start our processes again there
    (which ``multiprocessing`` refuses: the pool breaks) and redo its work. Ours need
    nothing from it (:func:`_dumps`): :mod:`multiprocessing` has no option for this,
    so its preparation data loses the main script's entries, for this thread's
    processes only, while the block runs.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def get_preparation_data(name):
        data = original(name)
        if getattr(_LAUNCHING, "bare", False):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    spawn.get_preparation_data = get_preparation_data
    _LAUNCHING.bare = True
    try:
        yield
    finally:
        _LAUNCHING.bare = False
        spawn.get_preparation_data = original


@contextlib.contextmanager
def _idle_worker():
    """An idle worker process, waited for if all are busy, given back afterwards."""
    workers = _workers()
    worker = workers.get()
    try:
        yield worker
    finally:
        workers.put(worker)


def _shutdown(idle):
    while True:
        try:
            idle.get_nowait().pool.shutdown(wait=False, cancel_futures=True)
        except queue.Empty:
            return


def model_sends():
    """How many times each token's model was sent to a worker process (for tests)."""
    if _WORKERS is None:
        return {}
    counts = {}
    for worker in list(_WORKERS.queue):
        for token in worker.tokens:
            counts[token] = counts.get(token, 0) + 1
    return counts

