"""The many-model streaming engine behind the incremental hyper-parameter searches.

A search trains many models on the same row blocks, in *rounds*: every model still
training gets some more ``partial_fit`` calls, then all are scored on the validation
data, then a decision rule (``dask_variants.model_selection._adaptive``) says who goes
on. The ``j``-th call of every model is made on the same block, ``order[j]`` (a
reproducible random sequence of the training blocks), so in a round each needed position
is loaded **once** and fed to every model that needs it, in parallel: block loads grow
with rounds, not with models x rounds.

:func:`run` is the round loop; :mod:`._search_drivers` holds the local and the
distributed driver it uses. A model's result depends only on its parameters and the
blocks it was fed, in order, so the search gives the same results on every scheduler.
"""
import contextlib
import logging
import time

from . import _progress, _stream
from ._search_drivers import ClusterDriver, LocalDriver, Validation
from .utils import _blocks

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = ["Arm", "BlockOrder", "Validation", "run"]


class Arm:
    """One group of models sharing a decision rule: a whole search, or one Hyperband
    bracket.

    Parameters
    ----------
    models : dict
        ``{model_id: unfitted estimator}``, in model order.
    params : dict
        ``{model_id: parameters}``, recorded in the history.
    rule : callable
        ``rule(history) -> instructions`` (see :mod:`.model_selection._adaptive`).
    """

    def __init__(self, name, models, params, rule):
        self.name, self.models, self.params, self.rule = name, models, params, rule
        self.history = {m: [] for m in models}  # what the rule sees: live models only
        self.records = []                       # every record, in the order made
        self.alive = list(models)
        self.best = None
        self.done = False


class BlockOrder:
    """``order[j]``: the training block of every model's ``j``-th call.

    Successive random permutations of the blocks, drawn from ``random_state``.
    """

    def __init__(self, n, random_state):
        self.n, self.rng, self.order = n, _blocks.check_random_state(random_state), []

    def __getitem__(self, j):
        while j >= len(self.order):
            perm = list(range(self.n))
            self.rng.shuffle(perm)
            self.order.extend(perm)
        return self.order[j]


def run(arms, source, validation, *, static, owner, order, scorer, prefix="", log=None,
        total=None):
    """Train and score every arm's models round by round until every rule stops.

    Parameters
    ----------
    arms : list of Arm
    source : _stream.Source
        The training blocks.
    validation : Validation
    static : dict
        Passed to every ``partial_fit`` call (``classes`` ...).
    owner : estimator
        The search, named in messages.
    order : BlockOrder
    scorer : callable or None
        ``scorer(model, X, y)`` for in-memory validation; ``None`` means ``model.score``.
    prefix : str
        Shown in the per-round DEBUG lines.
    log : list, default=None
        Every record is appended to it as it is made (all arms, in order).
    total : int, default=None
        The ``partial_fit`` calls planned, for the progress bar.

    Returns
    -------
    models : dict
        ``{(arm index, model_id): fitted model}`` for each arm's best model.
    """
    name = type(owner).__name__
    client = _stream.client_of(source.schedule)
    n_models = sum(len(a.models) for a in arms)
    with contextlib.ExitStack() as stack:
        bar = stack.enter_context(_progress.bar(total, f"{name}.fit"))
        if client is not None:
            driver = ClusterDriver(client, source, static, owner, order, validation, scorer)
        else:
            driver = LocalDriver(source, static, owner, order, validation, scorer, stack)
        driver.start({(i, m): est for i, arm in enumerate(arms)
                      for m, est in arm.models.items()})
        pending = {(i, m): 1 for i, arm in enumerate(arms) for m in arm.models}
        calls = dict.fromkeys(pending, 0)
        start = time.perf_counter()
        for rnd in range(10**9):
            work = {key: (calls[key], k) for key, k in pending.items() if k > 0}
            if not work:
                break
            t0 = time.perf_counter()
            loads = driver.train(work, bar)
            results = driver.score(list(work))
            elapsed = time.perf_counter() - start
            for (i, m), (score, score_time, fit_time) in results.items():
                calls[i, m] += work[i, m][1]
                record = {"model_id": m, "params": arms[i].params[m],
                          "partial_fit_calls": calls[i, m], "partial_fit_time": fit_time,
                          "score": score, "score_time": score_time,
                          "elapsed_wall_time": elapsed}
                arms[i].history[m].append(record)
                arms[i].records.append(record)
                if log is not None:
                    log.append(record)
            pending = {}
            for i, arm in enumerate(arms):
                if arm.done:
                    continue
                instructions = arm.rule(arm.history)
                fired = set(arm.alive) - set(instructions)
                arm.alive = [m for m in arm.alive if m in instructions]
                for m in fired:
                    del arm.history[m]
                    driver.drop((i, m))
                if not any(instructions.values()):
                    arm.done = True
                    arm.best = max(arm.alive, key=lambda m: arm.history[m][-1]["score"])
                    for m in arm.alive:
                        if m != arm.best:
                            driver.drop((i, m))
                    continue
                pending.update({(i, m): k for m, k in instructions.items()})
            bar.set_postfix_str(f"round {rnd + 1}")
            if logger.isEnabledFor(logging.DEBUG):
                best = max(results.values(), key=lambda r: r[0])[0]
                logger.debug(
                    "[%s%s] round %d: %d models, %d partial_fit calls, %d block loads, "
                    "best score %.4f, %.3fs; %d of %d models left", name, prefix, rnd,
                    len(work), sum(k for _, k in work.values()), loads, best,
                    time.perf_counter() - t0, len(pending), n_models,
                )
        return driver.collect([(i, arm.best) for i, arm in enumerate(arms)])
