"""``SimpleImputer`` and ``MissingIndicator`` on every row, median exact included.

Each block is validated by scikit-learn's own ``_validate_input`` (so the dtype, the
missing-value mask and every input error are scikit-learn's), then reduced per column
to what the strategy needs, merged in the tree:

* every strategy: which columns hold a missing value (the indicator), how many
  non-missing values each column has, one non-missing value of each ("witness");
* ``'mean'``: the sum of the non-missing values (float64);
* ``'most_frequent'``: the count of every distinct non-missing value (the state of
  scikit-learn's own count: one entry per distinct value of a column);
* ``'median'``: the exact order statistics, by further passes (:func:`_median_passes`):
  pass 1 gives every column's count and range, each next pass counts the values of a
  range in 1,024 bins of their order-preserving 64-bit keys and narrows the range to
  the bin holding the middle rank, until the range holds few enough values to be
  collected and sorted (at most 2**20 values for all columns together) or is a single
  key. A 64-bit key narrows by 10 bits a pass, so there are at most 8 passes, 2 to 3
  on most data. Nothing is approximated: the value
  selected is the one of that rank in the sorted column.

The finish hands scikit-learn a 2-row surrogate with the same answer: per column the
merged value twice (the mean, the most frequent value, or the two middle values of the
median, which numpy averages as it does on the whole column), the missing value where
the column has no value, in the validated dtype, sparse where X was. So
``statistics_`` (dtype included), ``keep_empty_features``, ``fill_value`` and the
dtype checks are scikit-learn's own; the indicator is fitted, as scikit-learn fits
it, on the mask of the columns with a missing value anywhere.

Tolerance: ``'mean'`` to float64 rounding of a sum (rtol 1e-12; 1e-6 for float32
data, which scikit-learn averages in float32); every other strategy exactly.
"""
import functools

import numpy as np

from ._base import Rule

__all__ = []

#: the medians' ranges are collected and sorted once they hold at most this many values
#: together (8 MB of keys): each of the pass's targets gets its share
_COLLECT = 1 << 20
#: bins per histogram pass of a median's range
_BITS = 10


def _sklearn(template):
    """A plain scikit-learn estimator with ``template``'s parameters."""
    from ...blocks import _blocks

    cls = _blocks.in_memory_class(template)
    return cls(**{k: getattr(template, k) for k in cls._get_param_names()})


def _columns(x, missing_values):
    """``(mask of any missing per column, [(values, n_zeros) per column])``.

    ``values`` are the non-missing stored values of a column; ``n_zeros`` the
    implicit zeros of a sparse column (values too: scikit-learn counts them).
    """
    import scipy.sparse

    from ..._sklearn_compat import _get_mask

    if scipy.sparse.issparse(x):
        x = x.tocsc()
        mask = _get_mask(x, missing_values)
        any_missing = np.zeros(x.shape[1], bool)
        cols = []
        for j in range(x.shape[1]):
            lo, hi = x.indptr[j], x.indptr[j + 1]
            m = mask.data[lo:hi]
            any_missing[j] = bool(m.any())
            cols.append((x.data[lo:hi][~m], x.shape[0] - (hi - lo)))
        return any_missing, cols
    mask = _get_mask(x, missing_values)
    return mask.any(axis=0), [(x[~mask[:, j], j], 0) for j in range(x.shape[1])]


def _witness(values, n_zeros, dtype):
    if len(values):
        return values[0]
    return dtype.type(0) if n_zeros else None


class _Stat:
    """What one set of rows tells the imputer (see the module docstring)."""

    def __init__(self, dtype, sparse, any_missing, count, witness, extra):
        self.dtype, self.sparse = dtype, sparse
        self.any_missing, self.count, self.witness, self.extra = (
            any_missing, count, witness, extra)


def _validated(template, x):
    """Block ``x`` as scikit-learn's fit validates it (dtype, sparse format, errors)."""
    return _sklearn(template)._validate_input(x, in_fit=True)


def _leaf(strategy, template, k, x, y, params):
    import scipy.sparse

    x = _validated(template, x)
    any_missing, cols = _columns(x, template.missing_values)
    count = np.array([len(v) + z for v, z in cols], dtype=np.int64)
    witness = [_witness(v, z, x.dtype) for v, z in cols]
    if strategy == "mean":
        extra = np.array([np.sum(v, dtype=np.float64) for v, _ in cols])
    elif strategy == "most_frequent":
        extra = [_value_counts(v, z, x.dtype) for v, z in cols]
    elif strategy == "median":  # the range of each column's keys, for pass 2
        extra = [_key_range(v, z) for v, z in cols]
    else:
        extra = None
    return _Stat(x.dtype, scipy.sparse.issparse(x), any_missing, count, witness, extra)


def _value_counts(values, n_zeros, dtype):
    if values.dtype == object:
        counts = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
    else:
        uniq, n = np.unique(values, return_counts=True)
        counts = dict(zip(uniq.tolist(), n.tolist()))
    if n_zeros:
        zero = dtype.type(0).item()
        counts[zero] = counts.get(zero, 0) + n_zeros
    return counts


def _merge(strategy, a, b):
    extra = None
    if strategy == "mean":
        extra = a.extra + b.extra
    elif strategy == "most_frequent":
        extra = []
        for ca, cb in zip(a.extra, b.extra):
            merged = dict(ca)
            for v, n in cb.items():
                merged[v] = merged.get(v, 0) + n
            extra.append(merged)
    elif strategy == "median":
        extra = [_join_ranges(ra, rb) for ra, rb in zip(a.extra, b.extra)]
    witness = [wa if wa is not None else wb for wa, wb in zip(a.witness, b.witness)]
    return _Stat(a.dtype, a.sparse or b.sparse, a.any_missing | b.any_missing,
                 a.count + b.count, witness, extra)


# --------------------------------------------------------------------------- median


def _keys(values, n_zeros=0):
    """Order-preserving uint64 keys of float values (-0.0 counted as 0.0)."""
    v = np.asarray(values, dtype=np.float64) + 0.0
    if n_zeros:
        v = np.concatenate([v, np.zeros(n_zeros)])
    u = np.ascontiguousarray(v).view(np.uint64)
    neg = (u >> np.uint64(63)).astype(bool)
    return np.where(neg, ~u, u | np.uint64(1 << 63))


_ZERO = 1 << 63  # the key of 0.0


def _value(key):
    key = np.uint64(key)
    u = key & np.uint64((1 << 63) - 1) if key >> np.uint64(63) else ~key
    return np.array([u], dtype=np.uint64).view(np.float64)[0]


def _key_range(values, n_zeros):
    keys = _keys(values, min(n_zeros, 1))
    return (int(keys.min()), int(keys.max())) if len(keys) else None


def _join_ranges(a, b):
    if a is None or b is None:
        return b if a is None else a
    return (min(a[0], b[0]), max(a[1], b[1]))


class _Target:
    """One order statistic of one column being narrowed: rank ``r`` among the ``c``
    values whose keys lie in ``[lo, hi]``."""

    def __init__(self, j, lo, hi, r, c, budget):
        self.j, self.lo, self.hi, self.r, self.c = j, lo, hi, r, c
        self.budget = budget
        self.value = _value(lo) if lo == hi else None

    def shift(self):
        return max(0, (self.hi - self.lo).bit_length() - _BITS)

    def collect(self):
        return self.c <= self.budget


def _median_leaf(template, targets, k, x, y, params):
    x = _validated(template, x)
    _, cols = _columns(x, template.missing_values)
    out = []
    for t in targets:
        values, n_zeros = cols[t.j]
        keys = _keys(values)
        keys = keys[(keys >= np.uint64(t.lo)) & (keys <= np.uint64(t.hi))]
        zeros = n_zeros if t.lo <= _ZERO <= t.hi else 0  # a sparse column's implicit
        if t.collect():
            out.append(np.concatenate([keys, np.full(zeros, _ZERO, np.uint64)]))
        else:
            bins = (keys - np.uint64(t.lo)) >> np.uint64(t.shift())
            hist = np.bincount(bins.astype(np.int64),
                               minlength=((t.hi - t.lo) >> t.shift()) + 1)
            if zeros:
                hist[(_ZERO - t.lo) >> t.shift()] += zeros
            out.append(hist)
    return out


def _median_merge(targets, a, b):
    return [np.concatenate([u, v]) if t.collect() else u + v
            for t, u, v in zip(targets, a, b)]


def _median_passes(template, reduce, stat):
    """The two middle values of every column with a value, exactly, by further passes."""
    ranks = [(j, r) for j, n in enumerate(stat.count) if n
             for r in sorted({(n - 1) // 2, n // 2})]
    budget = max(1, _COLLECT // max(1, len(ranks)))
    targets = [_Target(j, *stat.extra[j], r, int(stat.count[j]), budget) for j, r in ranks]
    while True:
        todo = [t for t in targets if t.value is None]
        if not todo:
            break
        out = reduce(functools.partial(_median_leaf, template, todo),
                     functools.partial(_median_merge, todo))
        for t, got in zip(todo, out):
            if t.collect():
                t.value = _value(np.sort(got)[t.r])
                continue
            cum = np.cumsum(got)
            b = int(np.searchsorted(cum, t.r, side="right"))
            below = int(cum[b - 1]) if b else 0
            s = t.shift()
            lo = t.lo + (b << s)
            hi = min(t.hi, lo + (1 << s) - 1)
            t.__init__(t.j, lo, hi, t.r - below, int(got[b]), t.budget)
    middle = {}
    for t in targets:
        middle.setdefault(t.j, []).append(t.value)
    return middle


# --------------------------------------------------------------------------- finish


def _surrogate(stat, rows, missing_values):
    """The 2-row array scikit-learn is fitted on: ``rows[j]`` (two values) per column
    with a value, the missing value in the others, in X's validated dtype."""
    import scipy.sparse

    p = len(stat.count)
    out = np.empty((2, p), dtype=stat.dtype)
    for j in range(p):
        two = rows.get(j)
        if two is None:
            out[:, j] = missing_values
        else:
            out[0, j], out[1, j] = two
    return scipy.sparse.csc_matrix(out) if stat.sparse else out


def _mask(stat):
    import scipy.sparse

    mask = stat.any_missing[None, :]
    return scipy.sparse.csc_matrix(mask) if stat.sparse else mask


def _adopt(est, sk):
    """Every attribute scikit-learn's fit set on ``sk`` (private ones too), on ``est``."""
    params = set(sk._get_param_names())
    for name, value in vars(sk).items():
        if name not in params:
            setattr(est, name, value)
    for name in ("n_features_in_", "feature_names_in_"):
        est.__dict__.pop(name, None)  # from X's columns (engine._exact)


class SimpleImputerRule(Rule):
    """``SimpleImputer``: strategies 'mean', 'median' (exact), 'most_frequent',
    'constant'; every ``missing_values``, ``fill_value``, ``keep_empty_features``,
    ``add_indicator``; dense, sparse or frame blocks (string columns for
    'most_frequent' / 'constant'). A callable strategy is refused (it needs a column
    whole). Tolerance: see the module docstring.
    """

    _STRATEGIES = ("mean", "median", "most_frequent", "constant")

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if not isinstance(est.strategy, str):
            self.refuse(est, "strategy", est.strategy, self._STRATEGIES,
                        "a callable needs each column whole, in memory")

    def fit(self, est, template, reduce, static):
        strategy = est.strategy
        stat = reduce(functools.partial(_leaf, strategy, template),
                      functools.partial(_merge, strategy))
        rows = {}
        for j, n in enumerate(stat.count):
            if not n:
                continue
            if strategy == "mean":
                v = stat.extra[j] / n
                rows[j] = (v, v)
            elif strategy == "most_frequent":
                v = _mode(stat.extra[j], stat.dtype)
                rows[j] = (v, v)
            elif strategy == "constant":
                rows[j] = (stat.witness[j], stat.witness[j])
        if strategy == "median":
            for j, vals in _median_passes(template, reduce, stat).items():
                rows[j] = (vals[0], vals[-1])
        sk = _sklearn(est).set_params(add_indicator=False)
        sk.fit(_surrogate(stat, rows, est.missing_values))
        sk.add_indicator = est.add_indicator
        sk._fit_indicator(_mask(stat))
        _adopt(est, sk)


def _mode(counts, dtype):
    """The most frequent value, ties broken by scikit-learn's own ``_most_frequent``."""
    from ..._sklearn_compat import _most_frequent

    top = max(counts.values())
    ties = np.array([v for v, n in counts.items() if n == top],
                    dtype=object if dtype == object else dtype)
    return _most_frequent(ties, np.nan, 0)


class MissingIndicatorRule(Rule):
    """``MissingIndicator``: every ``missing_values``, ``features``, ``sparse``,
    ``error_on_new``; dense, sparse or frame blocks. Exact (a mask).

    The finish fits scikit-learn's class on a 2-row surrogate: a non-missing value of
    each column seen in the data, then the missing value in every column that has one.
    """

    def fit(self, est, template, reduce, static):
        stat = reduce(functools.partial(_leaf, None, template),
                      functools.partial(_merge, None))
        rows = {}
        for j, w in enumerate(stat.witness):
            if w is None:
                continue  # only missing values: both rows missing
            rows[j] = (w, est.missing_values if stat.any_missing[j] else w)
        sk = _sklearn(est)
        sk.fit(_surrogate(stat, rows, est.missing_values))
        _adopt(est, sk)
