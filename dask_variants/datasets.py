"""Synthetic datasets generated blockwise, following scikit-learn's recipes.

Each generator draws the small *problem definition* once from ``random_state`` (cluster
centroids and covariance transforms, ground-truth coefficients, blob centers, feature
shift/scale and permutation) exactly as scikit-learn's generator of the same name does.
Rows are then generated block by block: block ``i`` draws from a
:class:`numpy.random.SeedSequence` made of a root seed (taken from ``random_state``) and
``i``, so the result is reproducible and does not depend on the scheduler, and no block
needs another. Nothing is computed when the arrays are built.

Rows are never shuffled across blocks. With ``shuffle=True`` the number of rows of each
cluster in each block is drawn from a multivariate hypergeometric law (the block counts
of a uniformly shuffled dataset), so totals per cluster are exactly scikit-learn's, and
rows are shuffled within their block. With ``shuffle=False`` rows are ordered by cluster
across the whole array, as in scikit-learn.
"""
import numbers

import dask.array as da
import numpy as np
from sklearn import datasets as _sk
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.random import sample_without_replacement

__all__ = ["make_classification", "make_regression", "make_blobs", "make_counts",
           "make_classification_df"]


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _row_chunks(chunks, n_samples, n_features):
    """Return the row-block sizes that ``chunks`` asks for.

    Accepted, as in dask-ml: ``None`` or ``"auto"``; an int (rows per block); dask's
    ``(rows, cols)`` block shape, where ``rows`` may be an int, ``"auto"``, ``-1`` or
    ``None``; dask's explicit per-axis form ``((r0, r1, ...), (n_features,))``. Also a
    flat tuple of row-block sizes summing to ``n_samples`` (any length but 2, which is
    dask's block shape). The column chunk must cover every feature.
    """
    shape = (n_samples, n_features)
    if chunks is None or (isinstance(chunks, str) and chunks == "auto"):
        return da.core.normalize_chunks(("auto", n_features), shape, dtype=np.float64)[0]
    if _is_int(chunks):
        if chunks < 1:
            raise ValueError(f"chunks={chunks!r} must be a positive number of rows per block.")
        return da.core.normalize_chunks((int(chunks), n_features), shape)[0]
    if isinstance(chunks, (tuple, list)) and len(chunks) != 2 and chunks and all(
            _is_int(c) and c >= 0 for c in chunks):
        if sum(chunks) != n_samples:
            raise ValueError(
                f"chunks={tuple(chunks)!r} sums to {sum(chunks)}, not n_samples={n_samples}. "
                "Give row-block sizes that add up to n_samples, an int block size, or "
                "dask's (rows, n_features) block shape."
            )
        return tuple(int(c) for c in chunks)
    if isinstance(chunks, (tuple, list)) and len(chunks) == 2:
        rows, cols = chunks
        if _is_int(rows) and rows == 0:
            raise ValueError(f"chunks={tuple(chunks)!r}: rows per block must be positive.")
        try:
            rows, cols = da.core.normalize_chunks(tuple(chunks), shape, dtype=np.float64)
        except (ValueError, TypeError) as err:
            raise ValueError(
                f"chunks={tuple(chunks)!r} is not a chunking of shape {shape!r}: {err} "
                "Use an int (rows per block), (rows, n_features), or "
                "((row sizes...), (n_features,))."
            ) from err
        if len(cols) != 1:
            raise ValueError(
                f"chunks={tuple(chunks)!r} splits the {n_features} features into column "
                f"blocks {cols!r}. Can only generate arrays partitioned along the first "
                f"axis: give the second axis one chunk of n_features={n_features}, e.g. "
                f"chunks=({chunks[0]!r}, {n_features})."
            )
        return tuple(int(r) for r in rows)
    raise TypeError(
        f"chunks={chunks!r} is not understood. Use an int (rows per block), dask's "
        "(rows, n_features) block shape or ((row sizes...), (n_features,)) form, a "
        "tuple of row-block sizes summing to n_samples, or None for dask's automatic size."
    )


def _check_n_samples(n_samples):
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool):
        raise TypeError(f"n_samples={n_samples!r} must be an int. Pass a number of rows.")
    if n_samples < 1:
        raise ValueError(f"n_samples={n_samples!r} must be at least 1. Pass a number of rows.")


def _root_seed(generator):
    """Draw the 128-bit root of every block's seed sequence from ``generator``."""
    return [int(x) for x in generator.randint(0, 2**31 - 1, size=4)]


def _block_rng(root, block, stream):
    """Return the generator of ``stream`` in row block ``block``."""
    return np.random.default_rng(np.random.SeedSequence(root, spawn_key=(block, stream)))


def _allocate(counts, rows, root, shuffle):
    """Split per-group row ``counts`` over row blocks of sizes ``rows``.

    Returns an int array of shape (n_blocks, n_groups) whose columns sum to ``counts``
    and rows to ``rows``: contiguous runs when ``shuffle=False``, else the block counts
    of a uniform random permutation (sequential multivariate hypergeometric draws).
    """
    counts = np.asarray(counts, dtype=np.int64)
    out = np.zeros((len(rows), len(counts)), dtype=np.int64)
    if not shuffle:
        group_edges = np.concatenate([[0], np.cumsum(counts)])
        block_edges = np.concatenate([[0], np.cumsum(rows)])
        for b in range(len(rows)):
            lo, hi = block_edges[b], block_edges[b + 1]
            out[b] = np.clip(np.minimum(group_edges[1:], hi) - np.maximum(group_edges[:-1], lo), 0, None)
        return out
    rng = np.random.default_rng(np.random.SeedSequence(root))
    left = counts.copy()
    for b, size in enumerate(rows):
        out[b] = rng.multivariate_hypergeometric(left, size) if size else 0
        left -= out[b]
    return out


def _groups_block(counts_row, root, block, shuffle):
    """Per-row group (cluster or center) index of one block."""
    groups = np.repeat(np.arange(len(counts_row)), counts_row)
    if shuffle:
        _block_rng(root, block, 0).shuffle(groups)
    return groups


def _hypercube_vertices(n_vertices, dims, generator):
    """Return ``n_vertices`` distinct random vertices of the unit hypercube in ``dims``-D."""
    if dims > 30:  # random high bits, distinct low bits
        high = generator.randint(2, size=(n_vertices, dims - 30))
        return np.hstack([high, _hypercube_vertices(n_vertices, 30, generator)])
    codes = sample_without_replacement(2**dims, n_vertices, random_state=generator)
    return (codes[:, None] >> np.arange(dims)[::-1]) & 1


def _classification_X_block(block_id, *, d):
    """Generate the features of one row block of ``make_classification``."""
    b = block_id[0]
    g = _groups_block(d["alloc"][b], d["root"], b, d["shuffle"])
    rng = _block_rng(d["root"], b, 1)
    ni, nr, nrep = d["n_informative"], d["n_redundant"], len(d["repeat"])
    X = np.empty((len(g), d["n_features"]))
    informative = rng.standard_normal((len(g), ni))
    for k, (centroid, A) in enumerate(zip(d["centroids"], d["A"])):
        rows = g == k
        informative[rows] = informative[rows] @ A + centroid
    X[:, :ni] = informative
    if nr:
        X[:, ni:ni + nr] = informative @ d["B"]
    X[:, ni + nr:ni + nr + nrep] = X[:, d["repeat"]]
    X[:, ni + nr + nrep:] = rng.standard_normal((len(g), d["n_features"] - ni - nr - nrep))
    X += d["shift"]
    X *= d["scale"]
    return np.ascontiguousarray(X[:, d["feature_order"]])  # C order, as scikit-learn gives


def _classification_y_block(block_id, *, d):
    """Generate the labels of one row block of ``make_classification``."""
    b = block_id[0]
    y = _groups_block(d["alloc"][b], d["root"], b, d["shuffle"]) % d["n_classes"]
    rng = _block_rng(d["root"], b, 2)
    flip = rng.uniform(size=len(y)) < d["flip_y"]
    y[flip] = rng.integers(d["n_classes"], size=flip.sum())
    return y.astype(int)


def _classification_defaults(n_features, n_informative, n_redundant, n_repeated,
                             n_classes, n_clusters_per_class):
    """``n_redundant`` and ``n_clusters_per_class``: scikit-learn's default 2 where it fits.

    Only a parameter left at ``None`` gives way, and only where scikit-learn's default
    would be refused: a call scikit-learn accepts keeps its meaning, a dask-ml call
    (whose generator has neither parameter) is accepted. Values that are not whole
    numbers are left for scikit-learn's own validation to refuse.
    """
    whole = all(isinstance(v, numbers.Integral) for v in (n_features, n_informative, n_repeated))
    if n_redundant is None:
        room = n_features - n_informative - n_repeated if whole else 2
        n_redundant = max(0, min(2, room))
    if n_clusters_per_class is None:
        fits = (not whole or not isinstance(n_classes, numbers.Integral)
                or n_informative < 1 or n_classes * 2 <= 2 ** n_informative)
        n_clusters_per_class = 2 if fits else 1
    return n_redundant, n_clusters_per_class


def make_classification(n_samples=100, n_features=20, *, n_informative=2, n_redundant=None,
                        n_repeated=0, n_classes=2, n_clusters_per_class=None, weights=None,
                        flip_y=0.01, class_sep=1.0, hypercube=True, shift=0.0, scale=1.0,
                        shuffle=True, random_state=None, return_X_y=True, chunks=None):
    """Generate a random n-class classification problem as dask arrays, blockwise.

    Parameters are those of :func:`sklearn.datasets.make_classification`, with two
    defaults that give way to dask-ml's calls, plus ``chunks``:

    Parameters
    ----------
    n_redundant : int or None, default=None
        As scikit-learn's (default 2), except that when it is not given and 2 redundant
        features do not fit beside ``n_informative`` and ``n_repeated`` in
        ``n_features``, it is as many as fit (0 or 1). dask-ml's generator has no
        redundant features, so its calls (``make_classification(10, 2, chunks=10)``)
        are accepted; every call scikit-learn accepts means the same here.
    n_clusters_per_class : int or None, default=None
        As scikit-learn's (default 2), except that when it is not given and
        ``n_classes * 2`` clusters do not fit on the ``2 ** n_informative`` vertices,
        it is 1 (dask-ml's ``n_informative=1`` calls).
    chunks : int, tuple or None, default=None
        How to cut the rows into blocks, in any of dask-ml's (and dask's) forms: rows
        per block (``1000``); a block shape (``(1000, n_features)``); explicit sizes
        per axis (``((1000, 1000, 500), (n_features,))``). The second axis must be one
        chunk of all the features. A flat tuple of row-block sizes summing to
        ``n_samples`` (of any length but 2) is accepted too. None lets dask pick a
        block size (about 128 MiB of ``X`` per block).

    Returns
    -------
    X : dask array of shape (n_samples, n_features), float64
        Chunked along rows only.
    y : dask array of shape (n_samples,), int
        The class of each row, with the row chunks of ``X``.
    data : :class:`~sklearn.utils.Bunch`
        Instead of ``(X, y)`` when ``return_X_y=False``: ``X``, ``y``,
        ``feature_info``, ``parameters``, ``DESCR``, as in scikit-learn.

    Notes
    -----
    Same recipe as scikit-learn: the centroids, the per-cluster covariance
    transforms, the redundant and repeated features, ``shift``, ``scale`` and the
    feature permutation are drawn once from ``random_state``; each cluster has exactly
    scikit-learn's number of rows (so ``weights`` are honoured exactly before label
    noise ``flip_y``). The values differ from scikit-learn's for the same seed, but
    the problem has the same difficulty. See the module docstring for how rows are
    seeded and spread over blocks.

    Examples
    --------
    >>> from dask_variants.datasets import make_classification
    >>> X, y = make_classification(1000, 4, chunks=250, random_state=0)
    >>> X.chunks
    ((250, 250, 250, 250), (4,))
    >>> int(y.sum().compute()) in range(400, 600)
    True
    """
    n_redundant, n_clusters_per_class = _classification_defaults(
        n_features, n_informative, n_redundant, n_repeated, n_classes, n_clusters_per_class)
    params = dict(n_features=n_features, n_informative=n_informative,
                  n_redundant=n_redundant, n_repeated=n_repeated, n_classes=n_classes,
                  n_clusters_per_class=n_clusters_per_class, weights=weights,
                  flip_y=flip_y, class_sep=class_sep, hypercube=hypercube, shift=shift,
                  scale=scale, shuffle=shuffle, random_state=0)
    _sk.make_classification(n_samples=1, **params)  # scikit-learn's own validation
    _check_n_samples(n_samples)
    rows = _row_chunks(chunks, n_samples, n_features)
    gen = check_random_state(random_state)
    n_clusters = n_classes * n_clusters_per_class
    if weights is None:
        w = np.full(n_classes, 1.0 / n_classes)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if len(w) == n_classes - 1:
            w = np.append(w, 1.0 - w.sum())
    counts = [int(n_samples * w[k % n_classes] / n_clusters_per_class)
              for k in range(n_clusters)]
    for i in range(n_samples - sum(counts)):
        counts[i % n_clusters] += 1
    ni = n_informative
    centroids = _hypercube_vertices(n_clusters, ni, gen).astype(float) * 2 * class_sep - class_sep
    if not hypercube:
        centroids *= gen.uniform(size=(n_clusters, 1))
        centroids *= gen.uniform(size=(1, ni))
    A = [2 * gen.uniform(size=(ni, ni)) - 1 for _ in range(n_clusters)]
    B = 2 * gen.uniform(size=(ni, n_redundant)) - 1 if n_redundant else None
    n = ni + n_redundant
    repeat = ((n - 1) * gen.uniform(size=n_repeated) + 0.5).astype(np.intp)
    if shift is None:
        shift = (2 * gen.uniform(size=n_features) - 1) * class_sep
    if scale is None:
        scale = 1 + 100 * gen.uniform(size=n_features)
    order = gen.permutation(n_features) if shuffle else np.arange(n_features)
    root = _root_seed(gen)
    d = dict(alloc=_allocate(counts, rows, root, shuffle), root=root, shuffle=shuffle,
             n_features=n_features, n_informative=ni, n_redundant=n_redundant,
             n_classes=n_classes, flip_y=flip_y, centroids=centroids, A=A, B=B,
             repeat=repeat, shift=np.asarray(shift, float), scale=np.asarray(scale, float),
             feature_order=order)
    X = da.map_blocks(_classification_X_block, chunks=(rows, (n_features,)),
                      dtype=np.float64, meta=np.empty((0, 0)), d=d)
    y = da.map_blocks(_classification_y_block, chunks=(rows,), dtype=int,
                      meta=np.empty((0,), dtype=int), d=d)
    if return_X_y:
        return X, y
    kinds = {**{i: "informative" for i in range(ni)},
             **{i: "redundant" for i in range(ni, n)},
             **{i: "repeated" for i in range(n, n + n_repeated)}}
    return Bunch(X=X, y=y, DESCR=make_classification.__doc__,
                 feature_info=[kinds.get(int(i), "random") for i in order],
                 parameters={**params, "n_samples": n_samples, "random_state": random_state,
                             "shift": shift, "scale": scale, "return_X_y": return_X_y,
                             "chunks": chunks})


def _regression_X_block(block_id, *, d):
    """Generate the features of one row block of ``make_regression``."""
    rng = _block_rng(d["root"], block_id[0], 0)
    n_rows = d["rows"][block_id[0]]
    if d["V"] is None:
        return rng.standard_normal((n_rows, d["n_features"]))
    # Rows of U ~ N(0, I / n_samples): U has nearly orthonormal columns, as the Q of
    # scikit-learn's QR, so X = U diag(s) V^T has (about) the same singular values.
    U = rng.standard_normal((n_rows, len(d["s"]))) / np.sqrt(d["n_samples"])
    return (U * d["s"]) @ d["V"].T


def _regression_y_block(X, block_id, *, d):
    """Compute the targets of one row block of ``make_regression`` from its features."""
    y = X @ d["coef"] + d["bias"]
    if d["noise"] > 0.0:
        y += _block_rng(d["root"], block_id[0], 1).normal(scale=d["noise"], size=y.shape)
    return y[:, 0] if d["coef"].shape[1] == 1 else y


def make_regression(n_samples=100, n_features=100, *, n_informative=10, n_targets=1,
                    bias=0.0, effective_rank=None, tail_strength=0.5, noise=0.0,
                    shuffle=True, coef=False, random_state=None, chunks=None):
    """Generate a random linear regression problem as dask arrays, blockwise.

    Parameters are those of :func:`sklearn.datasets.make_regression`, plus ``chunks``
    (see :func:`make_classification`).

    Returns
    -------
    X : dask array of shape (n_samples, n_features), float64
    y : dask array of shape (n_samples,) or (n_samples, n_targets), float64
        Computed from ``X`` block by block (same row chunks).
    coef : ndarray of shape (n_features,) or (n_features, n_targets)
        The ground-truth coefficients (NumPy), only if ``coef=True``.

    Notes
    -----
    The coefficients (``100 * uniform`` on ``n_informative`` features, then the feature
    permutation when ``shuffle=True``) are drawn once from ``random_state``. With
    ``effective_rank`` set, the right singular vectors and singular-value profile are
    scikit-learn's and the left factor is drawn per block with rows
    ``N(0, I / n_samples)`` instead of an exact QR, so the singular values match
    scikit-learn's up to sampling noise of order ``sqrt(rank / n_samples)``.

    Examples
    --------
    >>> from dask_variants.datasets import make_regression
    >>> X, y, w = make_regression(100, 3, n_informative=3, chunks=50, coef=True, random_state=0)
    >>> import numpy as np
    >>> bool(np.allclose((X @ w).compute(), y.compute()))
    True
    """
    _sk.make_regression(n_samples=1, n_features=n_features, n_informative=n_informative,
                        n_targets=n_targets, bias=bias, effective_rank=effective_rank,
                        tail_strength=tail_strength, noise=noise, shuffle=shuffle,
                        coef=coef, random_state=0)  # scikit-learn's own validation
    _check_n_samples(n_samples)
    rows = _row_chunks(chunks, n_samples, n_features)
    gen = check_random_state(random_state)
    n_informative = min(n_features, n_informative)
    V = s = None
    if effective_rank is not None:
        rank = min(n_samples, n_features)
        V, _ = np.linalg.qr(gen.standard_normal(size=(n_features, rank)), mode="reduced")
        i = np.arange(rank)
        s = ((1 - tail_strength) * np.exp(-1.0 * (i / effective_rank) ** 2)
             + tail_strength * np.exp(-0.1 * i / effective_rank))
    truth = np.zeros((n_features, n_targets))
    truth[:n_informative] = 100 * gen.uniform(size=(n_informative, n_targets))
    if shuffle:
        truth = truth[gen.permutation(n_features)]
    d = dict(root=_root_seed(gen), rows=rows, n_samples=n_samples, n_features=n_features,
             V=V, s=s, coef=truth, bias=bias, noise=noise)
    X = da.map_blocks(_regression_X_block, chunks=(rows, (n_features,)), dtype=np.float64,
                      meta=np.empty((0, 0)), d=d)
    if n_targets == 1:
        y = X.map_blocks(_regression_y_block, drop_axis=1, dtype=np.float64,
                         meta=np.empty((0,)), d=d)
    else:
        y = X.map_blocks(_regression_y_block, chunks=(rows, (n_targets,)),
                         dtype=np.float64, meta=np.empty((0, 0)), d=d)
    if coef:
        return X, y, np.squeeze(truth)
    return X, y


def _blobs_X_block(block_id, *, d):
    """Generate the features of one row block of ``make_blobs``."""
    b = block_id[0]
    g = _groups_block(d["alloc"][b], d["root"], b, d["shuffle"])
    noise = _block_rng(d["root"], b, 1).standard_normal((len(g), d["centers"].shape[1]))
    return d["centers"][g] + noise * d["std"][g, None]


def _blobs_y_block(block_id, *, d):
    """Generate the center index of each row of one block of ``make_blobs``."""
    b = block_id[0]
    return _groups_block(d["alloc"][b], d["root"], b, d["shuffle"]).astype(int)


def make_blobs(n_samples=100, n_features=2, *, centers=None, cluster_std=1.0,
               center_box=(-10.0, 10.0), shuffle=True, random_state=None,
               return_centers=False, chunks=None):
    """Generate isotropic Gaussian blobs as dask arrays, blockwise.

    Parameters are those of :func:`sklearn.datasets.make_blobs`, plus ``chunks``
    (see :func:`make_classification`).

    Returns
    -------
    X : dask array of shape (n_samples, n_features), float64
    y : dask array of shape (n_samples,), int
        The blob of each row; exactly scikit-learn's number of rows per blob.
    centers : ndarray of shape (n_centers, n_features)
        Only if ``return_centers=True`` (NumPy).

    Examples
    --------
    >>> from dask_variants.datasets import make_blobs
    >>> X, y = make_blobs(90, 2, centers=3, chunks=30, random_state=0)
    >>> int((y == 0).sum().compute())
    30
    """
    stand_in = 1 if isinstance(n_samples, numbers.Integral) else [1] * len(n_samples)
    _sk.make_blobs(n_samples=stand_in, n_features=n_features, centers=centers,
                   cluster_std=cluster_std, center_box=center_box, shuffle=shuffle,
                   random_state=0)  # scikit-learn's own validation
    gen = check_random_state(random_state)
    if isinstance(n_samples, numbers.Integral):
        centers = 3 if centers is None else centers
    else:
        centers = len(n_samples) if centers is None else centers
    if isinstance(centers, numbers.Integral):
        centers = gen.uniform(center_box[0], center_box[1], size=(centers, n_features))
    centers = np.asarray(centers, dtype=np.float64)
    k = len(centers)
    if isinstance(n_samples, numbers.Integral):
        counts = [n_samples // k + (i < n_samples % k) for i in range(k)]
    else:
        counts = [int(c) for c in n_samples]
    std = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (k,))
    total = sum(counts)
    rows = _row_chunks(chunks, total, centers.shape[1])
    root = _root_seed(gen)
    d = dict(alloc=_allocate(counts, rows, root, shuffle), root=root, shuffle=shuffle,
             centers=centers, std=std)
    X = da.map_blocks(_blobs_X_block, chunks=(rows, (centers.shape[1],)),
                      dtype=np.float64, meta=np.empty((0, 0)), d=d)
    y = da.map_blocks(_blobs_y_block, chunks=(rows,), dtype=int,
                      meta=np.empty((0,), dtype=int), d=d)
    return (X, y, centers) if return_centers else (X, y)


def _counts_block(block_id, *, d):
    """Generate the features and Poisson counts of one row block of ``make_counts``."""
    rng = _block_rng(d["root"], block_id[0], 0)
    X = rng.standard_normal((d["rows"][block_id[0]], d["n_features"]))
    rate = np.exp(X[:, d["informative"]] @ d["beta"])
    return X, _block_rng(d["root"], block_id[0], 1).poisson(rate)


def _counts_X_block(block_id, *, d):
    return _counts_block(block_id, d=d)[0]


def _counts_y_block(block_id, *, d):
    return _counts_block(block_id, d=d)[1]


def make_counts(n_samples=1000, n_features=100, n_informative=2, scale=1.0, chunks=100,
                random_state=None):
    """Generate a problem for modelling count data (Poisson regression), blockwise.

    dask-ml's generator of the same name and parameters: ``X`` is standard normal,
    ``y`` a Poisson count whose log-rate is linear in ``n_informative`` features.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of rows.
    n_features : int, default=100
        Number of columns of ``X``.
    n_informative : int, default=2
        Number of features the rate depends on (at most ``n_features``).
    scale : float, default=1.0
        Scale of the true coefficients, drawn uniformly in ``[-scale, 0)``.
    chunks : int, tuple or None, default=100
        Row blocks, in any form :func:`make_classification` takes.
    random_state : int, RandomState instance or None, default=None
        Seeds the coefficients and every block.

    Returns
    -------
    X : dask array of shape (n_samples, n_features), float64
    y : dask array of shape (n_samples,), int64
        Non-negative counts, with the row chunks of ``X``.

    Notes
    -----
    The informative features are drawn without replacement (dask-ml draws them
    with replacement, so it may use fewer distinct ones). ``X`` and ``y`` of a block
    come from one seeded generator of that block, so ``y`` needs no other block.

    Examples
    --------
    >>> from dask_variants.datasets import make_counts
    >>> X, y = make_counts(n_samples=200, n_features=5, chunks=50, random_state=0)
    >>> X.chunks, bool((y >= 0).all().compute())
    (((50, 50, 50, 50), (5,)), True)
    """
    _check_n_samples(n_samples)
    for name, value in (("n_features", n_features), ("n_informative", n_informative)):
        if not _is_int(value) or value < 1:
            raise ValueError(f"{name}={value!r} must be a positive int.")
    if n_informative > n_features:
        raise ValueError(
            f"n_informative={n_informative!r} must be at most n_features={n_features!r}."
        )
    rows = _row_chunks(chunks, n_samples, n_features)
    gen = check_random_state(random_state)
    informative = np.sort(gen.choice(n_features, n_informative, replace=False))
    beta = (gen.uniform(size=n_informative) - 1) * scale
    d = dict(root=_root_seed(gen), rows=rows, n_features=n_features,
             informative=informative, beta=beta)
    X = da.map_blocks(_counts_X_block, chunks=(rows, (n_features,)), dtype=np.float64,
                      meta=np.empty((0, 0)), d=d)
    y = da.map_blocks(_counts_y_block, chunks=(rows,), dtype=np.int64,
                      meta=np.empty((0,), dtype=np.int64), d=d)
    return X, y


def _dates_block(block_id, *, d):
    """Uniform random days in ``[start, end)`` for one row block."""
    rng = _block_rng(d["root"], block_id[0], 2)
    days = rng.integers(0, d["span"], size=d["rows"][block_id[0]])
    return (d["start"] + days.astype("timedelta64[D]")).astype("datetime64[s]")


def make_classification_df(n_samples=10000, response_rate=0.5, predictability=0.1,
                           random_state=None, chunks=None, dates=None, **kwargs):
    """Generate a binary classification problem as a dask DataFrame and Series.

    dask-ml's generator of the same name and parameters, built on
    :func:`make_classification`.

    Parameters
    ----------
    n_samples : int, default=10000
        Number of rows.
    response_rate : float in [0, 1], default=0.5
        Share of rows of class 1 (before label noise): ``weights=[1 - response_rate,
        response_rate]``.
    predictability : float in [0, 1], default=0.1
        How easy the target is to predict: ``flip_y = 1 - predictability``.
    random_state : int, RandomState instance or None, default=None
    chunks : int, tuple or None, default=None
        Rows per partition, in any form :func:`make_classification` takes.
    dates : tuple of two dates or None, default=None
        ``(start, end)``: adds a ``"date"`` column of days drawn uniformly in
        ``[start, end)``, as ``datetime64``.
    **kwargs
        Passed to :func:`make_classification` (``n_features`` etc.).

    Returns
    -------
    X : dask DataFrame
        Columns ``var0``, ``var1``, ... (and ``date``), one partition per row block,
        with known divisions.
    y : dask Series named ``"target"``, with ``X``'s index.

    Examples
    --------
    >>> from dask_variants.datasets import make_classification_df
    >>> X, y = make_classification_df(n_samples=100, n_features=5, chunks=50, random_state=0)
    >>> list(X.columns), y.name, X.npartitions
    (['var0', 'var1', 'var2', 'var3', 'var4'], 'target', 2)
    """
    import dask.dataframe as dd

    X, y = make_classification(
        n_samples=n_samples, flip_y=1 - predictability, random_state=random_state,
        weights=[1 - response_rate, response_rate], chunks=chunks, **kwargs)
    columns = [f"var{i}" for i in range(X.shape[1])]
    X_df = dd.from_dask_array(X, columns=columns)
    y_series = dd.from_dask_array(y, columns="target", index=X_df.index)
    if dates:
        start, end = (np.datetime64(v, "D") for v in dates)
        span = int((end - start).astype(int))
        if span < 1:
            raise ValueError(f"dates={dates!r} must be (start, end) with start < end.")
        gen = check_random_state(random_state)
        d = dict(root=_root_seed(gen), rows=X.chunks[0], start=start, span=span)
        days = da.map_blocks(_dates_block, chunks=(X.chunks[0],), dtype="datetime64[s]",
                             meta=np.empty((0,), dtype="datetime64[s]"), d=d)
        X_df = X_df.assign(date=dd.from_dask_array(days, columns="date", index=X_df.index))
    return X_df, y_series


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
