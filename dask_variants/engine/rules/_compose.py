"""Composites of exact steps: ``Pipeline``, ``FeatureUnion`` and ``ColumnTransformer``.

A composite has no statistic of its own: every step is made exact
(``ExactMixin._exact_steps``) and fitted on every row of what it sees, lazily: one pass
over the blocks per fitted step (a step's input is recomputed from the blocks for its
pass).

``Pipeline`` and ``FeatureUnion`` run scikit-learn's own ``fit`` on the dask input;
routing of fit parameters (``step__param``), ``passthrough`` and ``memory`` are
scikit-learn's. ``ColumnTransformer``'s ``fit`` cannot select columns of a dask
collection, so :class:`ColumnTransformerRule` runs its steps itself, with
scikit-learn's own bookkeeping methods on the frame's meta (an empty frame with its
columns and dtypes): the column selection (names, indices, masks, callables such as
``make_column_selector``), the remainder, ``transformers_``, ``output_indices_`` and
the input feature names. Each transformer is then fitted exactly on its columns of
every row. What only the transformed data tell, the output widths no fitted attribute
gives and the density of a sparse output (``sparse_output_``, decided by
``sparse_threshold``), is counted in one more pass, only when it is needed.
"""
import numpy as np

from ._base import Rule

__all__ = []


class CompositeRule(Rule):
    """Steps listed in ``est.<steps>`` as ``(name, estimator)`` pairs."""

    composite = True
    sets_features = False  # scikit-learn's composites delegate them to their steps
    #: the parameter holding the ``(name, estimator)`` list
    steps = "steps"
    #: parameters holding one more step each (``ColumnTransformer``'s ``remainder``)
    singles = ()

    def check(self, est, static, per_row):
        pass  # each step's rule checks its own parameters when it is fitted

    def fit_composite(self, work, method, X, y, params):
        """Fit ``work`` (its steps made exact already) on dask ``X``: scikit-learn's fit.

        ``y`` is the caller's (None when not given).
        """
        work._call_base(method, X, y, params)
        return work


class PipelineRule(CompositeRule):
    steps = "steps"

    def fit_composite(self, work, method, X, y, params):
        work._call_base(method, X, y, params)
        _forget_frame_names(work.steps)
        return work


class FeatureUnionRule(CompositeRule):
    steps = "transformer_list"


class ColumnTransformerRule(CompositeRule):
    """Each transformer fitted exactly on its columns; the bookkeeping scikit-learn's."""

    #: ``(name, transformer)`` pairs; scikit-learn's setter keeps each one's columns
    steps = "_transformers"
    singles = ("remainder",)

    def fit_composite(self, work, method, X, y, params):
        from sklearn.base import clone

        from ..._sklearn_compat import _check_feature_names, _check_n_features
        from ...blocks._checks import check_dask_X

        owner = f"{type(work).__name__}.{method}"
        if params:
            raise TypeError(
                f"{owner} on a dask input takes no fit parameters, got "
                f"{sorted(params)!r} (scikit-learn routes them to the transformers only "
                "with metadata routing enabled). Drop them, or fit on computed data."
            )
        X = check_dask_X(work, X, method)  # columns a transformer cannot take, by name
        meta = _meta(X)
        # scikit-learn's fit_transform, step by step, on the meta: what it records
        # about the input and the column selections needs no row
        _check_feature_names(work, meta, reset=True)
        _check_n_features(work, meta, reset=True)
        work._validate_transformers()
        work._validate_column_callables(meta)
        work._validate_remainder(meta)
        jobs = list(work._iter(fitted=False, column_as_labels=False, skip_drop=True,
                               skip_empty_columns=True))
        fitted, parts = [], [_select(X, columns, meta) for _, _, columns, _ in jobs]
        for (name, trans, columns, _), part in zip(jobs, parts):
            if isinstance(trans, str) and trans == "passthrough":
                # scikit-learn's stand-in; stateless, its fit records the columns only
                trans = _passthrough(work).fit(_part_meta(meta, columns))
            else:
                trans = clone(trans)
                if y is None:
                    trans.fit(part)
                else:
                    trans.fit(part, y)
            fitted.append(trans)
        if not fitted:  # every transformer dropped or given no column
            work._update_fitted_transformers([])
            return work
        outputs = [_output(name, t, part)
                   for (name, *_), t, part in zip(jobs, fitted, parts)]
        widths = [w for w, _ in outputs]
        sparse = [s for _, s in outputs]
        measure = [i for i, (w, s) in enumerate(outputs)
                   if np.isnan(w) or (s is not False and work.sparse_threshold > 0)]
        nnz, n = {}, None
        if measure:  # one pass: what only the transformed rows tell
            stat = _measure(work, X, [(jobs[i][2], fitted[i]) for i in measure],
                            method=method)
            n = stat[0]
            for i, (width, is_sparse, count) in zip(measure, stat[1]):
                widths[i], sparse[i], nnz[i] = width, is_sparse, count
        work.sparse_output_ = _sparse_decision(work.sparse_threshold, widths, sparse, nnz, n)
        work._update_fitted_transformers(fitted)
        work._record_output_indices([np.empty((0, int(w))) for w in widths])
        return work


# --------------------------------------------------------------------------- helpers


def _forget_frame_names(steps):
    """Drop the input names a step learned only because its input was a dask frame.

    A step after the first saw the previous step's lazy output, a frame with column
    names (row-wise outputs of a dask frame are frames), where scikit-learn's saw what
    that step returns on pandas: an array unless it outputs pandas. Its
    ``feature_names_in_`` are dropped then, as scikit-learn's step never has them (and
    would warn on every block that its input has none).
    """
    from ...blocks import _kinds

    prev = None
    for _, step in steps:
        if not _kinds.is_step(step):  # "passthrough": the input goes on unchanged
            continue
        if prev is not None and not _outputs_pandas(prev):
            _forget_names(step)
        prev = step


def _outputs_pandas(est):
    """True when ``est.transform`` of a pandas frame returns a pandas frame."""
    from ...blocks import _kinds
    from ...blocks._frame_dtypes import _pandas_out

    if _kinds.is_pipeline(est):
        real = [s for _, s in est.steps if _kinds.is_step(s)]
        return _outputs_pandas(real[-1]) if real else True
    return _pandas_out(est)


def _forget_names(est):
    """``est`` (fitted on an array in scikit-learn's pipeline) without input names."""
    from ...blocks import _kinds

    if _kinds.is_pipeline(est):  # its first step is what sees the input
        real = [s for _, s in est.steps if _kinds.is_step(s)]
        if real:
            _forget_names(real[0])
    elif _kinds.is_feature_union(est):
        for _, trans in est.transformer_list:
            if _kinds.is_step(trans):
                _forget_names(trans)
    elif not _kinds.is_column_transformer(est):  # which selects its columns by them
        vars(est).pop("feature_names_in_", None)


def _meta(X):
    """An empty in-memory X: a frame's meta, or a 0-row array of the dask array's dtype."""
    from ...blocks import _blocks

    import scipy.sparse

    if _blocks.container(X) == "frame":
        return X._meta
    shape = (0, int(X.shape[1]))
    if scipy.sparse.issparse(X._meta):  # a dask array of sparse blocks
        return scipy.sparse.csr_matrix(shape, dtype=X.dtype)
    return np.empty(shape, dtype=X.dtype)


def _part_meta(meta, columns):
    from ..._sklearn_compat import _safe_indexing

    return _safe_indexing(meta, columns, axis=1)


def _select(X, columns, meta):
    """Columns ``columns`` of dask ``X``, lazily, as scikit-learn's ``_safe_indexing``
    selects them from a frame: a scalar key gives a Series (1-D), others a frame."""
    from ..._sklearn_compat import _get_column_indices
    from ...blocks import _blocks

    idx = _get_column_indices(meta, columns)
    one = np.isscalar(columns)
    if _blocks.container(X) == "frame":
        names = [meta.columns[i] for i in idx]
        return X[names[0]] if one else X[names]
    return X[:, idx[0]] if one else X[:, idx]


def _passthrough(work):
    """What scikit-learn's ``ColumnTransformer.fit`` fits in place of ``"passthrough"``."""
    from sklearn.preprocessing import FunctionTransformer

    from ..._sklearn_compat import _get_output_config

    return FunctionTransformer(
        accept_sparse=True, check_inverse=False, feature_names_out="one-to-one",
    ).set_output(transform=_get_output_config("transform", work)["dense"])


def _output(name, trans, part):
    """``(width, sparse)`` of ``trans.transform`` from its fitted attributes.

    ``width`` is nan where no attribute tells it; ``sparse`` is None where it is not
    known without transforming rows (see :func:`_sparse_out`).
    """
    from ...blocks._meta import output_spec

    spec = output_spec(trans, "transform", part)
    if isinstance(spec, list) or spec.tail == ():
        raise ValueError(  # scikit-learn's message, before any block is transformed
            f"The output of the '{name}' transformer should be 2D (numpy array, scipy "
            "sparse array, dataframe)."
        )
    width = spec.tail[0]
    return (float(width) if np.isnan(width) else int(width)), _sparse_out(trans, _is_sparse(part))


def _is_sparse(X):
    import scipy.sparse

    return scipy.sparse.issparse(getattr(X, "_meta", None))


def _sparse_out(est, sparse_in):
    """Whether ``est.transform`` gives a sparse matrix: True, False, or None (unknown).

    Declared by its parameters (``sparse_output``, the vectorizers...); through a
    ``Pipeline``, ``FeatureUnion`` or ``ColumnTransformer`` by their steps. Dense input
    gives dense output unless declared; sparse input, or a ``FunctionTransformer`` with
    a function, is not known without running it.
    """
    from ...blocks import _kinds
    from ...blocks._meta import _sparse_transform

    if not _kinds.is_step(est):
        return sparse_in  # "passthrough"
    if _kinds.is_pipeline(est):
        for _, step in est.steps:
            if sparse_in is None:
                return None
            sparse_in = _sparse_out(step, sparse_in)
        return sparse_in
    if _kinds.is_feature_union(est):
        outs = [_sparse_out(t, sparse_in) for _, t in est.transformer_list
                if not (isinstance(t, str) and t == "drop")]
        return None if None in outs else any(outs)
    if _kinds.is_column_transformer(est):
        return bool(est.sparse_output_)
    if _sparse_transform(est):
        return True
    if sparse_in or (_kinds.is_function_transformer(est) and est.func is not None):
        return None
    return False


def _measure(work, X, jobs, *, method):
    """One pass: rows, and per job ``(width, sparse, nnz)`` of its transform of them."""
    import functools

    from .. import _exact

    leaf = functools.partial(_measure_block, jobs)
    return _exact.one_pass(work, X, leaf, _merge_measures, method=method,
                           label="column-transformer-output")


def _measure_block(jobs, k, x, y, params):
    import scipy.sparse

    from ..._sklearn_compat import _safe_indexing

    out = []
    for columns, trans in jobs:
        got = trans.transform(_safe_indexing(x, columns, axis=1))
        is_sparse = scipy.sparse.issparse(got)
        out.append((got.shape[1], is_sparse, got.nnz if is_sparse else None))
    return x.shape[0], out


def _merge_measures(a, b):
    merged = []
    for (wa, sa, na), (wb, sb, nb) in zip(a[1], b[1]):
        if wa != wb or sa != sb:
            raise ValueError(
                f"a transformer's output changes between row blocks: {wa} columns "
                f"({'sparse' if sa else 'dense'}) in one, {wb} ({'sparse' if sb else 'dense'}) "
                "in another. ColumnTransformer needs one output layout for every row; "
                "fix the transformer, or fit on computed data."
            )
        merged.append((wa, sa, None if na is None else na + nb))
    return a[0] + b[0], merged


def _sparse_decision(threshold, widths, sparse, nnz, n):
    """``sparse_output_`` as scikit-learn's ``fit_transform`` decides it."""
    if not any(sparse):
        return False
    if n is None:  # sparse_threshold == 0: density < 0 never holds
        return False
    total = sum(n * int(w) for w in widths)
    count = sum(nnz[i] if sparse[i] else n * int(w) for i, w in enumerate(widths))
    return count / total < threshold
