"""The decision rules of the adaptive searches: how many more ``partial_fit`` calls each
model gets after it is scored.

Pure functions of the scoring history, with dask-ml's semantics, so that the same
history gives the same decisions on every scheduler. A *history* here is
``{model_id: [record, ...]}``, one record per scoring, each with at least
``partial_fit_calls`` (calls so far) and ``score``. An *instruction* is
``{model_id: more_calls}``; a model left out of it is dropped from the search, and the
search ends when every instruction is 0.
"""
import itertools
import math
import numbers

import numpy as np

__all__ = []


# --------------------------------------------------------------------------- Hyperband


def hyperband_brackets(max_iter, aggressiveness):
    """Return ``{bracket: (n_models, n_initial_iter)}``, most adaptive bracket first.

    This is the plan of the Hyperband paper (Li et al. 2016, algorithm 1) with
    ``R = max_iter`` and ``eta = aggressiveness``, as dask-ml computes it: max_iter
    3 / 9 / 27 / 81 gives 5 / 17 / 49 / 143 models.
    """
    s_max = math.floor(math.log(max_iter, aggressiveness))
    budget = (s_max + 1) * max_iter
    out = {}
    for s in reversed(range(int(s_max + 1))):
        n = int(math.ceil(budget / max_iter * aggressiveness**s / (s + 1)))
        out[s] = (n, int(max_iter * aggressiveness**-s))
    return out


def hyperband_plan(max_iter, aggressiveness):
    """The calls the paper's algorithm makes: a list of bracket dicts (bracket 0 first).

    Each has ``bracket``, ``n_models``, ``partial_fit_calls`` and ``decisions`` (the
    sorted call counts at which models are compared).
    """
    plan = []
    for s, (n, r) in hyperband_brackets(max_iter, aggressiveness).items():
        calls = dict.fromkeys(range(n), 0)
        alive = list(range(n))
        decisions = set()
        for i in range(s + 1):
            n_i = math.floor(n * aggressiveness**-i)
            r_i = int(np.round(r * aggressiveness**i))
            calls.update(dict.fromkeys(alive, r_i))
            decisions.add(r_i)
            alive = alive[:math.floor(n_i / aggressiveness)]
        plan.append({"bracket": s, "n_models": n, "partial_fit_calls": sum(calls.values()),
                     "decisions": sorted(decisions)})
    return sorted(plan, key=lambda b: b["bracket"])


def hyperband_patience(patience, max_iter, aggressiveness):
    """The patience each bracket uses: ``True`` means ``max(max_iter // aggressiveness, 1)``."""
    if isinstance(patience, bool):
        return max(max_iter // aggressiveness, 1) if patience else False
    return int(patience)


def simulate_halving(n, r, eta, max_iter=None):
    """Total calls and most calls to one model of successive halving: ``(total, most)``."""
    calls = dict.fromkeys(range(n), 0)
    for k in itertools.count():
        n_i = int(math.floor(n * eta**-k))
        r_i = int(np.round(r * eta**k))
        calls.update(dict.fromkeys(range(n_i), r_i))
        if n_i <= 1 or (max_iter and r_i >= max_iter):
            break
    return sum(calls.values()), max(calls.values())


# --------------------------------------------------------------------------- rules


def top(k, history):
    """The ``k`` best models by last score; equal scores keep model order."""
    ranked = sorted(history, key=lambda m: history[m][-1]["score"], reverse=True)
    return ranked[:max(int(k), 0)]


class Rule:
    """Decide the next calls of every model from the history: dask-ml's
    ``_additional_calls``, with ``patience`` and ``tol`` stopping models on a plateau.

    Subclasses define :meth:`adapt`, the rule without early stopping.
    """

    def __init__(self, *, max_iter, patience, tol):
        self.max_iter, self.patience, self.tol = max_iter, patience, tol

    def adapt(self, history):
        raise NotImplementedError

    def __call__(self, history):
        calls = {m: h[-1]["partial_fit_calls"] for m, h in history.items()}
        if self.patience and max(calls.values()) > 1:
            # still working towards the target the rule set: in steps of <= patience
            target = {m: [r["partial_fit_calls"] + r["_adapt"] for r in h if "_adapt" in r][-1]
                      for m, h in history.items()}
            left = {m: target[m] - calls[m] for m in calls}
            if sum(left.values()) > 0:
                out = self.stop_on_plateau(left, history)
                return {m: min(v, int(self.patience)) for m, v in out.items()}
        instructions = self.adapt(history)
        if self.patience:
            for m, more in instructions.items():
                history[m][-1]["_adapt"] = more
        out = self.stop_on_plateau(instructions, history)
        if self.patience:
            return {m: min(v, int(self.patience)) for m, v in out.items()}
        return out

    def stop_on_plateau(self, instructions, history):
        out = {}
        for m, more in instructions.items():
            records = history[m]
            now = records[-1]["partial_fit_calls"]
            if self.max_iter and now >= self.max_iter:
                out[m] = 0
            elif self.patience and now >= self.patience:
                recent = [r["score"] for r in records
                          if now - r["partial_fit_calls"] <= self.patience]
                gains = np.array(recent[1:]) - recent[0]
                plateau = (self.tol is not None and gains.size > 0
                           and gains.max() <= self.tol)
                out[m] = 0 if plateau else more
            else:
                out[m] = more
        return out


class FixedRule(Rule):
    """IncrementalSearchCV: every model gets ``fits_per_score`` more calls, up to
    ``max_iter`` (or until it plateaus)."""

    def __init__(self, *, fits_per_score, **kwargs):
        super().__init__(**kwargs)
        self.fits_per_score = fits_per_score

    def adapt(self, history):
        return dict.fromkeys(history, self.fits_per_score)


class InverseDecayRule(FixedRule):
    """InverseDecaySearchCV: after ``t`` calls keep the best ``n / (1 + t) ** decay_rate``."""

    def __init__(self, *, n_models, decay_rate, **kwargs):
        super().__init__(**kwargs)
        self.n_models, self.decay_rate = n_models, decay_rate

    def adapt(self, history):
        def keep(t):
            return int(self.n_models / (1 + t) ** self.decay_rate)

        now = next(iter(history.values()))[-1]["partial_fit_calls"] + 1
        nxt = now if keep(now) != 0 else 1
        while keep(now) == keep(nxt) and (
            (self.decay_rate and not self.patience) or nxt - now < self.fits_per_score
        ):
            nxt += 1
        best = top(max(1, keep(nxt)), history)
        if len(best) == 1:
            return {best[0]: 0}
        return dict.fromkeys(best, nxt - now)


class HalvingRule(Rule):
    """SuccessiveHalvingSearchCV: train ``n_models`` for ``n_initial_iter`` calls, keep
    the best ``1 / aggressiveness``, train them ``aggressiveness`` times longer, and so
    on until too few remain. ``max_iter`` caps the calls of any model."""

    def __init__(self, *, n_models, n_initial_iter, aggressiveness, **kwargs):
        super().__init__(**kwargs)
        self.n, self.r, self.eta = n_models, n_initial_iter, aggressiveness
        self.steps = 0

    def _step(self):
        n_i = int(math.floor(self.n * self.eta**-self.steps))
        r_i = int(np.round(self.r * self.eta**self.steps))
        return n_i, r_i

    def adapt(self, history):
        if all(h[-1]["partial_fit_calls"] == 1 for h in history.values()):
            self.steps = 0
        n_i, r_i = self._step()
        if r_i == 1:
            # the first call every model gets counts as this step (dask-ml's rule)
            self.steps = 1
            n_i, r_i = self._step()
            while r_i <= 1:  # aggressiveness near 1 (dask-ml recursed forever here)
                self.steps += 1
                n_i, r_i = self._step()
        best = top(n_i, history)
        self.steps += 1
        if not best:
            return dict.fromkeys(history, 0)
        return {m: r_i - history[m][-1]["partial_fit_calls"] for m in best}


def check_patience(owner, patience):
    """dask-ml's rule: an int >= 2, or False / 0 for no early stopping."""
    if not isinstance(patience, numbers.Integral):
        raise ValueError(
            f"{owner}: patience must be a whole number (or False), got {patience!r} of "
            f"type {type(patience).__name__}. Set patience=False, or e.g. patience=5 to "
            "stop a model after 5 calls without improvement."
        )
    if patience and patience <= 1:
        raise ValueError(
            f"{owner}: patience={patience!r} <= 1 would always detect a plateau. Set "
            "patience >= 2, or patience=False for no early stopping."
        )
