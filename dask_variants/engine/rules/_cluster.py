"""``KMeans`` on every row: scikit-learn's seeding and Lloyd iterations, a pass each.

scikit-learn's ``KMeans.fit`` (``sklearn/cluster/_kmeans.py``) is replayed on the
client, with every step that reads rows made a pass of the reduction engine:

* **a first pass** validates the blocks and reads what ``fit`` reads before it starts:
  the rows and the sum of the weights of every block, the mean of ``X`` (``fit``
  centres ``X`` on it: every later pass centres its block by it, and an ``init`` array
  and the final centres are shifted as ``fit`` shifts them) and its per-feature
  variance (the tolerance ``tol * mean(var(X))`` of scikit-learn's ``_tolerance``);
* **k-means++** draws what scikit-learn draws, in its order, from the same
  ``RandomState``: the first centre is the row at which the cumulative weights
  (the blocks' sums, then a ``searchsorted`` inside the one block that holds it) cross
  ``random_sample() * sum(weights)``, as ``random_state.choice(n, p=w / w.sum())``
  picks it; each later centre's ``n_local_trials`` candidates are the rows at which
  the cumulative potential (each block's potential, summed into offsets, then a
  ``searchsorted`` inside the blocks that hold them) crosses ``uniform() *
  potential``, and the candidate kept is the one whose summed potential is least.
  Finding rows is a pass over the blocks that hold them only; scoring candidates is a
  full pass. A block's distance to the centres chosen so far is recomputed in each
  pass (no state is kept between passes), so seeding costs ``O(k^2)`` distance rows;
* ``init='random'`` replays ``random_state.choice(n, size=k, replace=False,
  p=w / w.sum())`` the same way (rounds of draws, rows already drawn weighted zero);
  an ``init`` array is used as given; a callable ``init`` is refused (it takes the
  whole of ``X`` in memory);
* **a Lloyd iteration** is one pass: every block's labels (scikit-learn's own E-step,
  ``_labels_inertia``, on the centred block), its weighted sums and weights per
  cluster, and a 128-bit digest of its labels. The client then does the M-step as
  scikit-learn's ``lloyd_iter_chunked_dense`` does: empty clusters relocated to the
  farthest rows (an extra pass, only in an iteration that has empty clusters, finds
  them), the centres averaged (an empty cluster left where scikit-learn leaves it),
  the centre shift; strict convergence is "every block's labels unchanged" (its
  digests equal the last pass's), else the shift against the tolerance;
* **a last pass** is the final E-step at the final centres (scikit-learn re-runs it
  unless the labels converged strictly; here it always runs, and also gathers the
  labels): ``labels_`` and ``inertia_``. ``n_init`` runs follow in turn from the one
  ``RandomState``, the best kept by scikit-learn's rule (a lower inertia and a
  different clustering, ``_is_same_clustering`` on the two runs' labels).

So a fit makes one first pass, then per run: ``2 * n_clusters`` seeding passes with
k-means++ (``n_clusters`` of them over the few blocks that hold the drawn rows; one or
a few such passes with ``init='random'``, none with an ``init`` array), ``n_iter_``
Lloyd passes (plus one per iteration that has empty clusters) and the last one. Each
pass reads each block once; a persisted input is read from memory, any other (an
out-of-core input) is read again each pass.

``algorithm='elkan'`` runs as Lloyd: Elkan's bounds only skip distance computations,
and scikit-learn's answer is Lloyd's (its own tests compare the two). ``verbose`` is
ignored. A callable ``init`` and sparse input are refused before any block is read.

``labels_`` is a NumPy array, as scikit-learn's (4 bytes a row on the client, gathered
by the last pass); ``predict`` / ``transform`` / ``score`` / ``fit_predict`` on a dask
input are blockwise and lazy (``fit_predict`` is ``predict`` at the fitted centres:
the same labels as ``labels_``).

Tolerance: the same iterates as scikit-learn's on the concatenated rows, to rounding
(sums of blocks are added in another order, and ``X``'s mean is one rounding away):
``cluster_centers_`` and ``inertia_`` to rtol ~1e-10, ``labels_`` and ``n_iter_``
equal, and k-means++ picks the same rows, unless a draw or a label falls within
rounding of a tie. When two or more clusters are empty at once, scikit-learn gives
them the farthest rows in ``np.argpartition``'s order: farthest first (the order that
``argpartition`` gives whenever there are no ties); among rows at the same distance,
which one it takes is unspecified, and here it is the later row. Ties are what
duplicated rows make: with more clusters than distinct rows, which duplicate is
"farthest" from a centre, or which identical centre is nearest, can be decided by
rounding noise, and then that noise (ours or scikit-learn's) decides the labels.
"""
import functools
import hashlib
import warnings

import numpy as np

from ._base import Rule, one_blas_thread, zero_weights_refused

__all__ = []


# ------------------------------------------------------------------------- blocks


class _Ctx:
    """What every block's task gets: the estimator's copy (named in scikit-learn's
    validation messages), the fit's static parameters and, after the first pass, the
    dtype and the mean of ``X``."""

    def __init__(self, template, static, dtype=None, mean=None):
        self.template, self.static, self.dtype, self.mean = template, static, dtype, mean


def _block(ctx, x, params):
    """Block ``x`` as ``fit`` sees it (validated, centred once the mean is known) and
    its weights (ones without ``sample_weight``), both of ``X``'s dtype."""
    from sklearn.utils import check_array

    from ..._sklearn_compat import _check_sample_weight

    first = ctx.mean is None  # the first pass checks every value; later ones re-read them
    x = check_array(x, dtype=[np.float64, np.float32], order="C", estimator=ctx.template,
                    **({} if first else {"ensure_all_finite": False}))
    if ctx.dtype is not None and x.dtype != ctx.dtype:
        x = x.astype(ctx.dtype)
    sw = params.get("sample_weight", ctx.static.get("sample_weight"))
    # a block may weigh nothing (scikit-learn >= 1.7 refuses all-zero weights: the fit
    # checks the whole input's instead)
    sw = _check_sample_weight(np.asarray(sw) if np.ndim(sw) else sw, x, dtype=x.dtype,
                              **({"allow_all_zero_weights": True}
                                 if zero_weights_refused() else {}))
    if not first:
        x = x - ctx.mean  # fit's X -= X_mean
    return x, sw


def _labels(x, sw, centres, inertia=False):
    """scikit-learn's E-step on a block: labels (and the block's inertia)."""
    from ..._sklearn_compat import _labels_inertia

    with one_blas_thread():
        return _labels_inertia(x, sw, centres, n_threads=1, return_inertia=inertia)


def _distances(rows, x, xsq):
    """Squared distances of ``rows`` to the block's rows, as k-means++ computes them."""
    from ..._sklearn_compat import _euclidean_distances

    with one_blas_thread():
        return _euclidean_distances(rows, x, Y_norm_squared=xsq, squared=True)


def _merge_dicts(a, b):
    return {**a, **b}


# ------------------------------------------------------------------ the first pass


class _Stats:
    """The weight sum of every non-empty block; the rows, mean and sum of squared
    deviations of every feature (merged as Chan et al.); X's dtype; how many weights are
    positive and whether one is negative."""

    def __init__(self, wsum, positive, negative, n, mean, m2, dtype):
        self.wsum, self.positive, self.negative = wsum, positive, negative
        self.n, self.mean, self.m2, self.dtype = n, mean, m2, dtype


def _stats_leaf(ctx, k, x, y, params):
    x, sw = _block(ctx, x, params)
    mean = x.mean(axis=0, dtype=np.float64)
    m2 = np.square(x - mean).sum(axis=0)
    return _Stats({k: float(sw.sum(dtype=np.float64))},
                  int(np.count_nonzero(sw > 0)), bool((sw < 0).any()), x.shape[0], mean,
                  m2, x.dtype)


def _stats_merge(a, b):
    n = a.n + b.n
    delta = b.mean - a.mean
    return _Stats({**a.wsum, **b.wsum}, a.positive + b.positive,
                  a.negative or b.negative, n, a.mean + delta * (b.n / n),
                  a.m2 + b.m2 + delta ** 2 * (a.n * b.n / n), a.dtype)


# ------------------------------------------------------------- finding rows by mass


def _find_leaf(ctx, chosen, queries, k, x, y, params):
    """The rows of block ``k`` at which its cumulative mass, after ``offset``, reaches
    each target: ``{k: [(row index, row, weight), ...]}``.

    The mass is the weight (``chosen`` None; rows listed in ``zero`` weigh nothing) or
    the weight times the squared distance to the nearest of ``chosen`` (k-means++).
    """
    offset, targets, side, zero = queries[k]
    x, sw = _block(ctx, x, params)
    mass = sw.astype(np.float64)
    if chosen is not None:
        mass *= _distances(chosen, x, _row_norms(x)).min(axis=0)
    if zero:
        mass[list(zero)] = 0
    cum = np.cumsum(mass) + offset
    found = np.minimum(np.searchsorted(cum, targets, side=side), len(x) - 1)
    return {k: [(int(i), x[i].copy(), float(sw[i])) for i in found]}


def _row_norms(x):
    from sklearn.utils.extmath import row_norms

    return row_norms(x, squared=True)


def _find(reduce, ctx, chosen, mass, targets, side, zero=None):
    """``[(k, i, row, weight)]``: for each target, the row where the cumulative mass of
    every row reaches it (``searchsorted(cumsum(mass), target, side)``, clipped to the
    last row, as scikit-learn clips), by a pass over the blocks that hold them.

    ``mass`` is every non-empty block's total.
    """
    ks = sorted(mass)
    ends = np.cumsum([mass[k] for k in ks])
    starts = ends - [mass[k] for k in ks]
    where = []
    for t in targets:
        hit = np.nonzero(ends > t if side == "right" else ends >= t)[0]
        where.append(ks[hit[0]] if len(hit) else ks[-1])
    queries = {}
    for k in dict.fromkeys(where):
        i = ks.index(k)
        queries[k] = (starts[i], np.asarray([t for t, b in zip(targets, where) if b == k]),
                      side, sorted((zero or {}).get(k, ())))
    rows = reduce(functools.partial(_find_leaf, ctx, chosen, queries), _merge_dicts,
                  blocks=list(queries))
    taken = {k: iter(rows[k]) for k in queries}
    return [(k, *next(taken[k])) for k in where]


# -------------------------------------------------------------------- k-means++


def _potential_leaf(ctx, chosen, candidates, k, x, y, params):
    """Block ``k``'s potential with each candidate added to ``chosen``:
    ``sum(w * min(d(chosen), d(candidate)))``."""
    x, sw = _block(ctx, x, params)
    xsq = _row_norms(x)
    d = _distances(candidates, x, xsq)
    if len(chosen):
        np.minimum(d, _distances(chosen, x, xsq).min(axis=0), out=d)
    return {k: (d @ sw).astype(np.float64)}


def _plusplus(reduce, ctx, stats, random_state, n_clusters):
    """scikit-learn's ``_kmeans_plusplus`` over the blocks: the centres (centred)."""
    _check_probabilities(stats)
    n_trials = 2 + int(np.log(n_clusters))
    # random_state.choice(n_samples, p=sample_weight / sample_weight.sum())
    u = random_state.random_sample()
    total = sum(stats.wsum.values())
    (_, _, row, _), = _find(reduce, ctx, None, stats.wsum, [u * total], "right")
    chosen = row[None, :]
    if n_clusters == 1:
        return chosen
    pots = reduce(functools.partial(_potential_leaf, ctx, chosen[:0], chosen), _merge_dicts)
    mass = {k: p[0] for k, p in pots.items()}
    current = sum(mass[k] for k in sorted(mass))
    for _ in range(1, n_clusters):
        targets = random_state.uniform(size=n_trials) * current
        found = _find(reduce, ctx, chosen, mass, targets, "left")
        candidates = np.array([r for _, _, r, _ in found])
        pots = reduce(functools.partial(_potential_leaf, ctx, chosen, candidates),
                      _merge_dicts)
        totals = np.sum([pots[k] for k in sorted(pots)], axis=0)  # in block order
        best = int(np.argmin(totals))
        current = totals[best]
        mass = {k: p[best] for k, p in pots.items()}
        chosen = np.vstack([chosen, candidates[best]])
    return chosen


def _check_probabilities(stats):
    """NumPy's errors of ``choice(p=w / w.sum())`` (before it draws)."""
    if stats.negative:
        raise ValueError("probabilities are not non-negative")
    if not sum(stats.wsum.values()) > 0:
        raise ValueError("probabilities contain NaN")


def _random(reduce, ctx, stats, random_state, n_clusters):
    """``random_state.choice(n, size=k, replace=False, p=w / w.sum())`` over the blocks,
    as NumPy's ``RandomState`` draws it: the rows of ``X[seeds]`` (centred)."""
    _check_probabilities(stats)
    if stats.positive < n_clusters:
        raise ValueError("Fewer non-zero entries in p than size")
    found, zero, mass = [], {}, dict(stats.wsum)
    while len(found) < n_clusters:
        x = random_state.rand(n_clusters - len(found))
        rows = _find(reduce, ctx, None, mass, x * sum(mass.values()), "right", zero)
        for k, i, row, w in rows:  # the first draw of each row, in draw order
            if i not in zero.setdefault(k, set()):
                zero[k].add(i)
                mass[k] -= w
                found.append(row)
    return np.array(found)


# ------------------------------------------------------------------------- Lloyd


class _Step:
    """A Lloyd pass's statistic: weighted sums and weights of every cluster's rows, and
    each block's digest of its labels."""

    def __init__(self, sums, weights, digests):
        self.sums, self.weights, self.digests = sums, weights, digests


def _cluster_sums(x, sw, labels, n_clusters):
    """The weighted sum of each cluster's rows, as a product with the weighted one-hot
    labels (a BLAS product: a few times faster than a sparse one), a slice of rows at a
    time so that the one-hot stays under 32 MB."""
    sums = np.zeros((n_clusters, x.shape[1]))
    step = max(256, (1 << 22) // n_clusters)
    with one_blas_thread():
        for start in range(0, len(x), step):
            rows = slice(start, start + step)
            lab = labels[rows]
            onehot = np.zeros((n_clusters, len(lab)))
            onehot[lab, np.arange(len(lab))] = sw[rows]
            sums += onehot @ x[rows]
    return sums


def _step_leaf(ctx, centres, k, x, y, params):
    x, sw = _block(ctx, x, params)
    labels = _labels(x, sw, centres)
    n_clusters = len(centres)
    weights = np.bincount(labels, weights=sw, minlength=n_clusters)
    sums = _cluster_sums(x, sw, labels, n_clusters)
    return _Step(sums, weights, {k: hashlib.blake2b(labels.tobytes(), digest_size=16)
                                 .digest()})


def _step_merge(a, b):
    return _Step(a.sums + b.sums, a.weights + b.weights, {**a.digests, **b.digests})


def _far_leaf(ctx, centres, m, k, x, y, params):
    """The ``m`` rows of block ``k`` farthest from their centre: ``[(distance, k, i,
    row, weight, label)]``, farthest first, a later row first among equals."""
    x, sw = _block(ctx, x, params)
    labels = _labels(x, sw, centres)
    d = np.square(x - centres[labels]).sum(axis=1)
    far = np.argsort(d, kind="stable")[::-1][:m]
    return [(float(d[i]), k, int(i), x[i].copy(), float(sw[i]), int(labels[i]))
            for i in far]


def _far_merge(m, a, b):
    return sorted(a + b, key=lambda r: r[:3], reverse=True)[:m]


def _relocate(reduce, ctx, centres, sums, weights):
    """scikit-learn's ``_relocate_empty_clusters_dense`` on the merged sums: each empty
    cluster takes one of the rows farthest from their centres, from its old cluster."""
    empty = np.flatnonzero(weights == 0)
    if not len(empty):
        return
    m = len(empty)
    far = reduce(functools.partial(_far_leaf, ctx, centres, m),
                 functools.partial(_far_merge, m))
    if far[0][0] == 0:  # fewer distinct rows than clusters: scikit-learn leaves them
        return
    for new, (_, _, _, row, w, old) in zip(empty, far):
        sums[old] -= row * w
        sums[new] = row * w
        weights[new] = w
        weights[old] -= w


def _average(sums, weights):
    """scikit-learn's ``_average_centers``: an empty cluster is put where the heaviest
    one is at that moment of the loop (its sum, if it comes later: as scikit-learn)."""
    heaviest = int(np.argmax(weights))
    for j in range(len(sums)):
        if weights[j] > 0:
            sums[j] *= 1.0 / weights[j]
        else:
            sums[j] = sums[heaviest]
    return sums


class _Final:
    def __init__(self, labels, inertia):
        self.labels, self.inertia = labels, inertia


def _final_leaf(ctx, centres, k, x, y, params):
    x, sw = _block(ctx, x, params)
    labels, inertia = _labels(x, sw, centres, inertia=True)
    return _Final({k: labels}, float(inertia))


def _final_merge(a, b):
    return _Final({**a.labels, **b.labels}, a.inertia + b.inertia)


def _lloyd(reduce, ctx, centres, max_iter, tol):
    """scikit-learn's ``_kmeans_single_lloyd``, a pass per iteration:
    ``(labels, inertia, centres, n_iter)``."""
    dtype = ctx.dtype
    centres = np.ascontiguousarray(centres, dtype=dtype)
    old = None
    for i in range(max_iter):
        step = reduce(functools.partial(_step_leaf, ctx, centres), _step_merge)
        sums, weights = step.sums, step.weights
        _relocate(reduce, ctx, centres, sums, weights)
        new = np.ascontiguousarray(_average(sums, weights), dtype=dtype)
        shift = np.square(new.astype(np.float64) - centres).sum()  # center_shift_tot
        centres = new
        if step.digests == old:  # strict convergence: no block's labels changed
            break
        if shift <= tol:
            break
        old = step.digests
    final = reduce(functools.partial(_final_leaf, ctx, centres), _final_merge)
    labels = np.concatenate([final.labels[k] for k in sorted(final.labels)])
    return labels, final.inertia, centres, i + 1


# -------------------------------------------------------------------------- rule


class KMeansRule(Rule):
    """``KMeans``: ``init`` 'k-means++', 'random' or an array, any ``n_init``,
    ``sample_weight``; ``algorithm='elkan'`` runs as Lloyd (the same answer).

    Refused before any block is read: a callable ``init`` and sparse input.
    """

    per_row = ("sample_weight",)
    static = ("sample_weight",)
    iterative = True

    def check(self, est, static, per_row):
        super().check(est, static, per_row)
        if callable(est.init):
            self.refuse(est, "init", est.init, ["k-means++", "random", "<array>"],
                        "a callable init is given the whole of X in memory")

    def check_X(self, est, X):
        import scipy.sparse

        if scipy.sparse.issparse(getattr(X, "_meta", None)):
            name = type(est).__name__
            raise TypeError(
                f"dask_variants.exact.{name} cannot fit sparse blocks "
                f"({type(X._meta).__name__}): its passes work on dense rows. Densify "
                f"the blocks (X.map_blocks(lambda b: b.toarray())), or use "
                f"dask_variants.iid.{name} to fit a sample of blocks.")

    def fit(self, est, template, reduce, static):
        from sklearn.utils import check_array, check_random_state

        from ..._sklearn_compat import (_is_arraylike_not_scalar, _is_same_clustering,
                                        _openmp_effective_n_threads)

        stats = reduce(functools.partial(_stats_leaf, _Ctx(template, static)),
                       _stats_merge)
        n, n_clusters, dtype = stats.n, est.n_clusters, stats.dtype
        if n < n_clusters:
            raise ValueError(f"n_samples={n} should be >= n_clusters={n_clusters}.")
        if zero_weights_refused() and not (stats.positive or stats.negative):
            raise ValueError("Sample weights must contain at least one non-zero number.")
        var = (stats.m2 / n).astype(dtype)
        tol = 0 if est.tol == 0 else np.mean(var) * est.tol  # _tolerance
        n_init, algorithm = _checked_n_init(est), _checked_algorithm(est)
        random_state = check_random_state(est.random_state)
        init = est.init
        given = _is_arraylike_not_scalar(init)
        mean = stats.mean.astype(dtype)
        if given:
            init = check_array(init, dtype=dtype, copy=True, order="C")
            # scikit-learn's own check and messages (it reads X.shape[1] only)
            est._validate_center_shape(np.empty((0, len(mean)), dtype), init)
            init -= mean
        ctx = _Ctx(template, static, dtype, mean)
        best = None
        for _ in range(n_init):
            if given:
                centres = init
            elif init == "k-means++":
                centres = _plusplus(reduce, ctx, stats, random_state, n_clusters)
            else:
                centres = _random(reduce, ctx, stats, random_state, n_clusters)
            run = _lloyd(reduce, ctx, centres, est.max_iter, tol)
            # a better inertia and another clustering (not the same one, relabelled)
            if best is None or (run[1] < best[1] and
                                not _is_same_clustering(run[0], best[0], n_clusters)):
                best = run
        labels, inertia, centres, n_iter = best
        centres = centres + mean
        distinct = len(np.unique(labels))
        if distinct < n_clusters:
            from sklearn.exceptions import ConvergenceWarning

            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning, stacklevel=2)
        est._tol, est._n_init, est._algorithm = tol, n_init, algorithm
        est._n_threads = _openmp_effective_n_threads()
        est.cluster_centers_ = centres
        est._n_features_out = centres.shape[0]
        est.labels_ = labels
        est.inertia_ = inertia
        est.n_iter_ = n_iter


def _checked_n_init(est):
    """``_n_init`` as scikit-learn's ``_check_params_vs_input`` sets it, warning alike."""
    from ..._sklearn_compat import _is_arraylike_not_scalar

    init, n_init = est.init, est.n_init
    if n_init == "auto":
        n_init = 10 if isinstance(init, str) and init == "random" else 1
    if _is_arraylike_not_scalar(init) and n_init != 1:
        warnings.warn(
            "Explicit initial center position passed: performing only one init in "
            f"{type(est).__name__} instead of n_init={n_init}.", RuntimeWarning,
            stacklevel=2)
        n_init = 1
    return n_init


def _checked_algorithm(est):
    if est.algorithm == "elkan" and est.n_clusters == 1:
        warnings.warn("algorithm='elkan' doesn't make sense for a single cluster. Using "
                      "'lloyd' instead.", RuntimeWarning)
        return "lloyd"
    return est.algorithm

