"""The naive Bayes family on every row: ``fit``'s answer, not a ``partial_fit`` pass's.

Each block is fitted on a fresh scikit-learn estimator by ``partial_fit`` with the
classes of that block's ``y`` (``fit`` learns its classes from every row, which no
block knows alone); two states are re-indexed onto the union of their classes (a class
a block has not seen has count 0) and merged by :mod:`dask_variants.engine._merge`'s
``partial_fit`` state merges, which pool counts, sums, means and variances exactly.
What ``fit`` computes differently from a pass of ``partial_fit`` is then set as
``fit`` does on the concatenated data:

* ``GaussianNB.epsilon_`` is ``var_smoothing`` times the largest variance of X's
  columns over every row (the columns' counts, means and variances are merged too),
  and ``var_`` is the pooled per-class variance plus that ``epsilon_``, with no
  per-call drift;
* ``CategoricalNB.n_categories_`` is the largest category of every row + 1 (or
  ``min_categories``): the element-wise maximum of the blocks'.

The blocks are fitted without ``priors`` / ``class_prior`` (a block's classes may be
fewer than their length); the finish applies them, with scikit-learn's own checks
(``_update_class_log_prior`` for the discrete models).

Tolerance: rtol 1e-9 (GaussianNB's pooled means and variances, float64 rounding of a
pairwise update); the discrete models' counts are sums of the same products, rtol 1e-12.
"""
import functools

import numpy as np

from .. import _merge
from ._base import Rule, all_zero_weights, check_total_weight

__all__ = []


def _sklearn(template, **overrides):
    from ...blocks import _blocks

    cls = _blocks.in_memory_class(template)
    params = {k: getattr(template, k) for k in cls._get_param_names()}
    return cls(**{**params, **overrides})


def _weigh_nothing(state):
    """``state`` (fitted unweighted on a block) as zero weights leave it: no counts."""
    for name in ("class_count_", "feature_count_", "feature_all_", "theta_"):
        if getattr(state, name, None) is not None:
            setattr(state, name, np.zeros_like(getattr(state, name)))
    if hasattr(state, "category_count_"):
        state.category_count_ = [np.zeros_like(c) for c in state.category_count_]
    if hasattr(state, "epsilon_"):  # GaussianNB: no class moved from its start
        state.var_ = np.full_like(state.var_, state.epsilon_)


#: class-indexed arrays of each model's state (first axis = classes)
_PER_CLASS = ("class_count_", "feature_count_", "theta_", "var_")


def _reindex(state, classes):
    """``state`` with its class-indexed arrays on ``classes`` (a superset of its own)."""
    if len(state.classes_) == len(classes) and np.all(state.classes_ == classes):
        return state
    out = _merge._copy(state)
    where = np.searchsorted(classes, state.classes_)
    for name in _PER_CLASS:
        value = getattr(state, name, None)
        if value is None:
            continue
        full = np.zeros((len(classes),) + value.shape[1:], dtype=value.dtype)
        if name == "var_":  # an unseen class: unsmoothed variance 0
            full[:] = state.epsilon_
        full[where] = value
        setattr(out, name, full)
    if hasattr(state, "category_count_"):
        counts = []
        for c in state.category_count_:
            full = np.zeros((len(classes), c.shape[1]), dtype=c.dtype)
            full[where] = c
            counts.append(full)
        out.category_count_ = counts
    out.classes_ = classes
    return out


class _NaiveBayes(Rule):
    per_row = ("sample_weight",)
    static = ("sample_weight",)
    #: the constructor parameter of the prior the blocks are fitted without
    prior = "class_prior"

    def leaf(self, template, static, k, x, y, params):
        est = _sklearn(template, **{self.prior: None})
        sw = params.get("sample_weight", static.get("sample_weight"))
        nothing = all_zero_weights(sw)
        # scikit-learn (1.7 and later) refuses weights all zero in one call but takes
        # them within the whole input: the block is fitted unweighted (its checks, and
        # what reads X alone: its classes, epsilon_'s column statistics, n_categories_),
        # then its weighted sums are made what zero weights give
        est.partial_fit(x, y, classes=np.unique(np.asarray(y)),
                        sample_weight=None if nothing else sw)
        if nothing:
            _weigh_nothing(est)
        return est

    def merge(self, a, b):
        classes = np.union1d(a.classes_, b.classes_)
        a, b = _reindex(a, classes), _reindex(b, classes)
        return self.state_merge(a, b)

    def state_merge(self, a, b):
        return _merge.rule(a)[0](a, b)

    def fit(self, est, template, reduce, static):
        state = reduce(functools.partial(self.leaf, template, static), self.merge)
        check_total_weight(state.class_count_.sum())  # no weight at all: a count of 0
        state.set_params(**{self.prior: getattr(est, self.prior)})
        self.finish(state)
        params = set(state._get_param_names())
        for name, value in vars(state).items():
            if name not in params and not name.startswith("_dv_"):
                setattr(est, name, value)
        for name in ("n_features_in_", "feature_names_in_"):
            est.__dict__.pop(name, None)  # from X's columns (engine._exact)

    def finish(self, state):
        _merge.rule(state)[1](state)


class DiscreteNBRule(_NaiveBayes):
    """``MultinomialNB``, ``BernoulliNB``, ``ComplementNB``: every ``alpha``,
    ``force_alpha``, ``fit_prior``, ``class_prior``, ``binarize``, ``norm``,
    ``sample_weight``; dense or sparse blocks. Counts are sums: rtol 1e-12."""


class CategoricalNBRule(_NaiveBayes):
    """``CategoricalNB``: every parameter (``min_categories`` included),
    ``sample_weight``; ``n_categories_`` from every row, as ``fit`` sets it."""

    def state_merge(self, a, b):
        out = _merge._merge_categorical(a, b)
        out.n_categories_ = np.maximum(a.n_categories_, b.n_categories_)
        return out


def _col_stats(x):
    x = np.asarray(x, dtype=np.float64)
    return (np.full(x.shape[1], float(len(x))), x.mean(axis=0), x.var(axis=0))


class GaussianNBRule(_NaiveBayes):
    """``GaussianNB``: ``priors``, ``var_smoothing``, ``sample_weight``. rtol 1e-9."""

    prior = "priors"

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if est.priors is not None:
            priors = np.asarray(est.priors)
            if not np.isclose(priors.sum(), 1.0):  # scikit-learn's own checks, early
                raise ValueError("The sum of the priors should be 1.")
            if (priors < 0).any():
                raise ValueError("Priors must be non-negative.")

    def leaf(self, template, static, k, x, y, params):
        est = super().leaf(template, static, k, x, y, params)
        from sklearn.utils import check_array

        est._dv_cols = _col_stats(check_array(x, dtype=np.float64))
        return est

    def state_merge(self, a, b):
        out = _merge._merge_gaussian(a, b)
        out._dv_cols = _merge._pooled(*a._dv_cols, *b._dv_cols)
        return out

    def finish(self, state):
        eps = state.var_smoothing * np.max(state._dv_cols[2])
        state.var_ = state.var_ - state.epsilon_ + eps
        state.epsilon_ = eps
        if state.priors is None:
            state.class_prior_ = state.class_count_ / state.class_count_.sum()
            return
        priors = np.asarray(state.priors)
        if len(priors) != len(state.classes_):
            raise ValueError("Number of priors must match number of classes.")
        state.class_prior_ = priors
