"""The many-model streaming engine behind the incremental hyper-parameter searches.

A search trains many models on the same row blocks; a decision rule
(``dask_variants.model_selection._adaptive``) scores them now and then and says who goes
on, for how many more ``partial_fit`` calls. The ``j``-th call of every model is made on
the same block, ``order[j]`` (a reproducible random sequence of the training blocks), so
the engine goes position by position: block ``order[j]`` is loaded **once** and fed, in
parallel, to every model (of every Hyperband bracket) whose next call is its ``j``-th.
A search that never sends a model back loads each position once: ``max_iter`` training
loads, however many models and brackets.

:func:`run` is that loop; :mod:`._search_drivers` holds the local and the distributed
driver it uses. A model's result depends only on its parameters and the blocks it was
fed, in order, so the search gives the same results on every scheduler.
"""
import contextlib
import logging
import time

from ..blocks import _blocks
from . import _progress, _source
from ._search_drivers import ClusterDriver, LocalDriver, Validation

logger = logging.getLogger(__name__)  # a child of "dask_variants": its handlers see it

__all__ = []


class Arm:
    """One group of models sharing a decision rule: a whole search, or one Hyperband
    bracket.

    Parameters
    ----------
    name : int or str
        The bracket (``""`` for a search of one arm), shown in the DEBUG lines.
    models : dict
        ``{model_id: unfitted estimator}``, in model order.
    params : dict
        ``{model_id: parameters}``, recorded in the history.
    rule : callable
        ``rule(history) -> instructions``: ``{model_id: more calls}``; a model left out
        is dropped.
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
    """Train and score every arm's models until every rule stops.

    Position by position: the lowest position ``j`` any model still needs is loaded
    once and fed to every model whose next call is its ``j``-th, in parallel. When all
    the models an arm's rule sent on have made their calls, they are scored and the
    rule decides again. Arms (Hyperband's brackets) in different phases share the
    positions they have in common, so a search that never sends a model back needs each
    position loaded once: ``max_iter`` training loads in all.

    Parameters
    ----------
    arms : list of Arm
    source : _source.Source
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
    client = _source.client_of(source.schedule)
    with contextlib.ExitStack() as stack:
        bar = stack.enter_context(_progress.bar(total, f"{name}.fit"))
        if client is not None:
            driver = ClusterDriver(client, source, static, owner, order, validation, scorer)
        else:
            driver = LocalDriver(source, static, owner, order, validation, scorer, stack)
        driver.start({(i, m): est for i, arm in enumerate(arms)
                      for m, est in arm.models.items()})
        state = _State(arms)
        start = time.perf_counter()
        while state.target:
            j = min(state.calls[key] for key in state.target)
            keys = [key for key in state.target if state.calls[key] == j]
            driver.feed(j, keys, state.horizon())
            bar.update(len(keys))
            bar.set_postfix_str(f"position {j}")
            for key in keys:
                state.calls[key] += 1
                if state.calls[key] == state.target[key]:
                    del state.target[key]
            for i in state.finished_rounds(keys):
                arm = arms[i]
                keys_i = state.round_keys.pop(i)
                results = driver.score(keys_i)
                elapsed = time.perf_counter() - start
                for (_, m), (score, score_time, fit_time) in zip(keys_i, results):
                    record = {"model_id": m, "params": arm.params[m],
                              "partial_fit_calls": state.calls[i, m],
                              "partial_fit_time": fit_time, "score": score,
                              "score_time": score_time, "elapsed_wall_time": elapsed}
                    arm.history[m].append(record)
                    arm.records.append(record)
                    if log is not None:
                        log.append(record)
                instructions = arm.rule(arm.history)
                fired = set(arm.alive) - set(instructions)
                arm.alive = [m for m in arm.alive if m in instructions]
                for m in fired:
                    del arm.history[m]
                    driver.drop((i, m))
                if any(instructions.values()):
                    state.send(i, instructions)
                else:
                    arm.done = True
                    arm.best = max(arm.alive, key=lambda m: arm.history[m][-1]["score"])
                    for m in arm.alive:
                        if m != arm.best:
                            driver.drop((i, m))
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug(
                        "[%s%s] %sround %d: %d models scored at position %d, best %.4f; "
                        "%d go on (%d more calls); %d block loads so far, %.3fs", name,
                        prefix, f"bracket={arm.name} " if arm.name != "" else "",
                        state.rounds[i], len(keys_i), j + 1,
                        max(r[0] for r in results), len(state.round_keys.get(i, ())),
                        sum(instructions.values()), driver.loads,
                        time.perf_counter() - start,
                    )
                state.rounds[i] += 1
        return driver.collect([(i, arm.best) for i, arm in enumerate(arms)])


class _State:
    """Who still needs which positions: calls made, targets, the models of each round."""

    def __init__(self, arms):
        self.calls, self.target, self.round_keys = {}, {}, {}
        self.rounds = dict.fromkeys(range(len(arms)), 0)
        for i, arm in enumerate(arms):
            self.calls.update(dict.fromkeys(((i, m) for m in arm.models), 0))
            self.send(i, dict.fromkeys(arm.models, 1))  # every model's first call

    def send(self, i, instructions):
        """Arm ``i``'s rule sent these models on for this many more calls."""
        keys = [(i, m) for m, k in instructions.items() if k > 0]
        self.round_keys[i] = keys
        for key in keys:
            self.target[key] = self.calls[key] + instructions[key[1]]

    def finished_rounds(self, keys):
        """Arms (in order) whose round just ended: none of its models needs a call."""
        arms = sorted({i for i, _ in keys})
        busy = {i for i, _ in self.target}
        return [i for i in arms if i in self.round_keys and i not in busy]

    def horizon(self):
        """The last position any model is sent on to, for loading ahead."""
        return max(self.target.values()) - 1
