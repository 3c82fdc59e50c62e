"""Exact parallel merge: fit blocks independently, then merge their states in a tree.

For estimators whose ``partial_fit`` state is a set of sufficient statistics (counts,
sums, means and variances, minima and maxima), the state after a sequential pass equals a
merge of the states of the blocks fitted separately. Every block is fitted on a fresh
copy of the estimator, as one task on the active scheduler, in parallel; pairs of states
are merged in a balanced tree; the derived attributes (``scale_``, log probabilities...)
are recomputed once at the end, as ``partial_fit`` computes them.

Supported (the scikit-learn class, exactly; subclasses may change ``partial_fit``):
``StandardScaler``, ``MinMaxScaler``, ``MaxAbsScaler``, ``GaussianNB``,
``MultinomialNB``, ``BernoulliNB``, ``ComplementNB``, ``CategoricalNB``.

Rules where the sequential pass depends on the order (the merge reproduces them by
putting the pass's last block rightmost in the tree):

* ``GaussianNB.epsilon_``: scikit-learn recomputes it on every ``partial_fit`` call as
  ``var_smoothing * max(var(X_block))``, so after a pass it is that of the **last block
  fitted**; the merge uses the same block. On every call scikit-learn also subtracts the
  *new* epsilon from ``var_`` before updating it (not the one it added), which leaves
  ``var_`` off the pooled variance by a drift of order ``var_smoothing``. The merge
  records every block's epsilon and class counts and replays that drift in the pass
  order, so ``var_`` = pooled per-class variance + drift + ``epsilon_``, as sequential.
* ``CategoricalNB.n_categories_``: scikit-learn sets it from the last block fitted (its
  largest category + 1, or ``min_categories``); ``category_count_`` is padded to the
  widest block and summed.

Everything else (counts, sums, means, variances, minima, maxima) merges exactly, equal
to the sequential pass up to floating-point rounding. With several passes the pass's
state is merged with itself ``passes`` times, as repeating the data would.

A block whose ``sample_weight`` is all zero: scikit-learn (1.7 and later) refuses it in
``partial_fit``, but accepts it within the whole input. For the classes whose state is
weighted sums alone (``StandardScaler`` and the discrete naive Bayes but
``CategoricalNB``), such rows add nothing: the block is checked as scikit-learn checks
it (a fit of a copy without the weights) and holds no state; all-zero weights of the
whole input get scikit-learn's error. In this merge (``incremental``'s ``partial_fit``
and streaming fits) ``GaussianNB`` (``epsilon_`` reads every row of the block) and
``CategoricalNB`` (``n_categories_`` too) still refuse such a block; the ``exact``
rules (``rules/_naive_bayes.py``) take it.
"""
import copy
import functools

import numpy as np

from ..blocks import _blocks
from ..blocks._rules import match_class
from ..blocks._state import adopt
from . import _reduce, _source

__all__ = []


#: the mergeable classes, exactly (a subclass may change ``partial_fit``)
_RULES = {
    "sklearn.preprocessing:StandardScaler": ("_merge_standard", "_finish_standard"),
    "sklearn.preprocessing:MinMaxScaler": ("_merge_minmax", "_finish_minmax"),
    "sklearn.preprocessing:MaxAbsScaler": ("_merge_maxabs", "_finish_maxabs"),
    "sklearn.naive_bayes:GaussianNB": ("_merge_gaussian", "_finish_gaussian"),
    "sklearn.naive_bayes:MultinomialNB": ("_merge_discrete", "_finish_discrete"),
    "sklearn.naive_bayes:BernoulliNB": ("_merge_discrete", "_finish_discrete"),
    "sklearn.naive_bayes:ComplementNB": ("_merge_complement", "_finish_discrete"),
    "sklearn.naive_bayes:CategoricalNB": ("_merge_categorical", "_finish_discrete"),
}


#: the classes, exactly, whose state rows of zero weight add nothing to
_WEIGHTED_SUMS = {
    "sklearn.preprocessing:StandardScaler": True,
    "sklearn.naive_bayes:MultinomialNB": True,
    "sklearn.naive_bayes:BernoulliNB": True,
    "sklearn.naive_bayes:ComplementNB": True,
}

#: a leaf's state when its block weighs nothing (see the module doc); a string, so that
#: it is itself again after crossing to another process (:func:`is_weightless`)
WEIGHS_NOTHING = "dask_variants-weighs-nothing"


def is_weightless(state):
    """Whether ``state`` is :data:`WEIGHS_NOTHING` (equal, not only the same object)."""
    return isinstance(state, str) and state == WEIGHS_NOTHING


def rule(est):
    """``(merge, finish)`` functions for ``est``'s class, or ``None`` when not mergeable.

    The class must be one of ``_RULES``' exactly (its variant's scikit-learn base is);
    their modules are looked up among those imported, never imported to answer no.
    """
    names = match_class(_blocks.in_memory_class(est), _RULES, exact=True)
    return None if names is None else (globals()[names[0]], globals()[names[1]])


# --------------------------------------------------------------------------- tasks


def _fit_block_leaf(template, static, k, x, y, params, check_y=None):
    """A fresh copy of ``template`` fitted on block ``k``: that block's state.

    ``check_y`` (the classifier's target check) runs on the block's own ``y`` first, so
    no block is loaded for it alone; its error is scikit-learn's, unchanged.
    """
    if check_y is not None and _blocks.n_rows(x):
        try:
            check_y(y)
        except Exception as err:  # any refusal of the target is the answer, as it is
            raise _source.BlockFailure(k, "target", err) from err
    est = fit_block_copy(template, x, y, params, static)
    if is_weightless(est):
        return est
    if hasattr(est, "epsilon_"):  # GaussianNB: what the drift replay needs
        est._dask_variants_trace = {k: (est.epsilon_, est.class_count_.copy())}
    return est


def fit_block_copy(template, x, y, params, static):
    """A copy of ``template`` fitted on the block by ``partial_fit``, or
    :data:`WEIGHS_NOTHING` for a block of zero weights that adds nothing to its state
    (see the module doc): checked by a fit without the weights, then dropped."""
    from .rules._base import all_zero_weights

    est = copy.deepcopy(template)
    step = _blocks.in_memory(est, "partial_fit")
    if (all_zero_weights(params.get("sample_weight"))
            and match_class(_blocks.in_memory_class(est), _WEIGHTED_SUMS, exact=True)):
        unweighted = {name: v for name, v in params.items() if name != "sample_weight"}
        _source.fit_block(step, x, y, unweighted, static)
        return WEIGHS_NOTHING
    _source.fit_block(step, x, y, params, static)
    return est


def check_weighed(state):
    """scikit-learn's error when every block of the pass weighed nothing."""
    if is_weightless(state):
        from .rules._base import check_total_weight

        check_total_weight(0)


def skipping_weightless(merge):
    """``merge``, passing over the states of blocks that weigh nothing."""
    def merged(a, b):
        if is_weightless(a) or is_weightless(b):
            return a if is_weightless(b) else b
        return merge(a, b)
    return merged


def fit(est, X, y, per_row, static, *, passes, shuffle, random_state, method,
        check_y=None):
    """Fit ``est`` (fresh, or fitted already for ``partial_fit``) by a parallel merge.

    Modifies ``est`` in place and returns it. Fitting block ``k`` fails with an error
    naming block ``k`` (its cause chained), ``est`` untouched.
    """
    merge, finish = rule(est)
    source = _source.Source(X, y, per_row)
    orders = list(_source.pass_orders(source.n, passes, shuffle, random_state))
    if not orders or not orders[-1]:
        return est
    last = orders[-1][-1]
    leaves = [k for k in range(source.n) if k != last] + [last]
    fitted = hasattr(est, "n_features_in_")
    template = _unfitted(est) if fitted else est
    leaf = functools.partial(_fit_block_leaf, template, static, check_y=check_y)
    one_pass = _reduce.run(source, leaf, skipping_weightless(merge), est=est,
                           method=method, order=leaves, label="merge")
    if one_pass is None:
        raise _source.no_rows_error(est, method, source.n)
    check_weighed(one_pass)
    trace = one_pass.__dict__.pop("_dask_variants_trace", None)
    state = one_pass
    for _ in range(passes - 1):
        state = merge(state, one_pass)
    if fitted:
        state = merge(est, state)
    state.__dict__.pop("_dask_variants_trace", None)
    if trace is not None:
        _replay_epsilon_drift(state, trace, [k for order in orders for k in order],
                              est if fitted else None)
    finish(state)
    adopt(est, state)
    return est


def _unfitted(est):
    """A copy of ``est`` with its learned attributes removed."""
    from sklearn.base import clone

    return clone(est)


# --------------------------------------------------------------------------- rules


def _copy(est):
    return copy.deepcopy(est)


def _pooled(na, ma, va, nb, mb, vb):
    """Count, mean and variance of two groups from theirs (Chan et al.'s update)."""
    n = na + nb
    safe = np.where(n == 0, 1, n)
    # a group with no values of a feature (a block whose column is all NaN) has a NaN
    # mean for it, which must weigh nothing: scikit-learn ignores NaN the same way
    ma0, mb0 = np.where(na == 0, 0.0, ma), np.where(nb == 0, 0.0, mb)
    mean = np.where(n == 0, ma, (na * ma0 + nb * mb0) / safe)
    if va is None:
        return n, mean, None
    va0, vb0 = np.where(na == 0, 0.0, va), np.where(nb == 0, 0.0, vb)
    m2 = va0 * na + vb0 * nb + (na * nb / safe) * (ma0 - mb0) ** 2
    return n, mean, np.where(n == 0, va, m2 / safe)


def _merge_standard(a, b):
    out = _copy(a)
    na = np.asarray(a.n_samples_seen_, dtype=np.float64)
    nb = np.asarray(b.n_samples_seen_, dtype=np.float64)
    if a.mean_ is None:
        n = na + nb
    else:
        n, out.mean_, out.var_ = _pooled(na, a.mean_, a.var_, nb, b.mean_, b.var_)
    kinds = (np.asarray(a.n_samples_seen_).dtype, np.asarray(b.n_samples_seen_).dtype)
    if np.ndim(n) and np.max(n) == np.min(n):
        n = n[0]  # one count for every feature, as scikit-learn reduces it
    if all(np.issubdtype(kind, np.integer) for kind in kinds):
        n = np.asarray(n).astype(np.int64)
    out.n_samples_seen_ = n[()] if np.ndim(n) == 0 else n
    return out


def _finish_standard(est):
    from .._sklearn_compat import _handle_zeros_in_scale, _is_constant_feature

    if est.with_std and est.var_ is not None:
        mask = _is_constant_feature(est.var_, est.mean_, est.n_samples_seen_)
        est.scale_ = _handle_zeros_in_scale(np.sqrt(est.var_), copy=False, constant_mask=mask)
    else:
        est.scale_ = None


def _merge_minmax(a, b):
    out = _copy(a)
    out.data_min_ = np.minimum(a.data_min_, b.data_min_)
    out.data_max_ = np.maximum(a.data_max_, b.data_max_)
    out.n_samples_seen_ = a.n_samples_seen_ + b.n_samples_seen_
    return out


def _finish_minmax(est):
    from .._sklearn_compat import _handle_zeros_in_scale

    lo, hi = est.feature_range
    dtype = est.data_min_.dtype
    lo, hi = np.asarray(lo, dtype=dtype), np.asarray(hi, dtype=dtype)
    est.data_range_ = est.data_max_ - est.data_min_
    est.scale_ = (hi - lo) / _handle_zeros_in_scale(est.data_range_, copy=True)
    est.min_ = lo - est.data_min_ * est.scale_


def _merge_maxabs(a, b):
    out = _copy(a)
    out.max_abs_ = np.maximum(a.max_abs_, b.max_abs_)
    out.n_samples_seen_ = a.n_samples_seen_ + b.n_samples_seen_
    return out


def _finish_maxabs(est):
    from .._sklearn_compat import _handle_zeros_in_scale

    est.scale_ = _handle_zeros_in_scale(est.max_abs_, copy=True)


def _merge_gaussian(a, b):
    out = _copy(a)
    trace_a = getattr(a, "_dask_variants_trace", None)
    trace_b = getattr(b, "_dask_variants_trace", None)
    if trace_a is not None and trace_b is not None:
        out._dask_variants_trace = {**trace_a, **trace_b}
    n, theta, var = _pooled(
        a.class_count_[:, None], a.theta_, a.var_ - a.epsilon_,
        b.class_count_[:, None], b.theta_, b.var_ - b.epsilon_,
    )
    out.class_count_ = n[:, 0]
    out.theta_ = theta
    out.epsilon_ = b.epsilon_  # the rightmost block is the pass's last: see module doc
    out.var_ = var + out.epsilon_
    return out


def _replay_epsilon_drift(state, trace, sequence, prior):
    """Add to ``state.var_`` the drift scikit-learn's per-call epsilon swap leaves.

    Each call after the first subtracts the new ``epsilon_`` (instead of the previous
    one) from the running ``var_``: a shift ``d = eps_prev - eps_new`` of the unsmoothed
    variance, which the update then weighs like the variance it was added to.
    """
    sequence = [k for k in sequence if k in trace]  # empty blocks were not fitted
    # the last block fitted sets epsilon_; the tree's rightmost leaf is not it when the
    # pass's last block was empty
    last_eps = trace[sequence[-1]][0]
    state.var_ = state.var_ + (last_eps - state.epsilon_)
    state.epsilon_ = last_eps
    n = np.zeros(len(state.class_count_)) if prior is None else prior.class_count_.copy()
    drift = np.zeros_like(n)
    eps_prev = None if prior is None else prior.epsilon_
    for k in sequence:
        eps, counts = trace[k]
        if eps_prev is not None:
            d = eps_prev - eps
            total = n + counts
            seen = (counts > 0) & (total > 0)
            drift = np.where(seen, n * (drift + d) / np.where(total > 0, total, 1), drift + d)
        n = n + counts
        eps_prev = eps
    state.var_ = state.var_ + drift[:, None]


def _finish_gaussian(est):
    if est.priors is None:
        est.class_prior_ = est.class_count_ / est.class_count_.sum()


def _merge_discrete(a, b):
    out = _copy(a)
    out.class_count_ = a.class_count_ + b.class_count_
    out.feature_count_ = a.feature_count_ + b.feature_count_
    return out


def _merge_complement(a, b):
    out = _merge_discrete(a, b)
    out.feature_all_ = out.feature_count_.sum(axis=0)
    return out


def _merge_categorical(a, b):
    out = _copy(a)
    out.class_count_ = a.class_count_ + b.class_count_
    counts = []
    for ca, cb in zip(a.category_count_, b.category_count_):
        width = max(ca.shape[1], cb.shape[1])
        ca = np.pad(ca, [(0, 0), (0, width - ca.shape[1])])
        cb = np.pad(cb, [(0, 0), (0, width - cb.shape[1])])
        counts.append(ca + cb)
    out.category_count_ = counts
    out.n_categories_ = b.n_categories_  # the pass's last block: see module doc
    return out


def _finish_discrete(est):
    est._update_feature_log_prob(est._check_alpha())
    est._update_class_log_prior(class_prior=est.class_prior)
