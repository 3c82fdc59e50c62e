"""Exact vocabularies: what an encoder learns as a set of values comes from every block.

Sampling row blocks is fine for a model's weights and wrong for a vocabulary: a category
that only a later partition holds would be unknown at ``transform``. So, on dask input,
in both namespaces, the estimators whose fitted state is a set of values seen in the
data learn that set from every block, in parallel, by a cheap reduction (the unique
values of each block, then their union), and the rest of their state follows the
namespace's rule:

- scikit-learn's encoders with ``categories="auto"`` (``OneHotEncoder``,
  ``OrdinalEncoder``, ``TargetEncoder`` and their subclasses), on their own or inside a
  ``ColumnTransformer``, ``Pipeline`` or ``FeatureUnion``: the work copy is fitted with
  ``categories=`` the computed values, then the parameter is set back to ``"auto"``, so
  ``get_params`` is unchanged and ``categories_`` is what scikit-learn learns from all
  rows. An encoder behind other pipeline steps (``SimpleImputer`` then
  ``OneHotEncoder``) sees every block through copies of those steps fitted on the
  sample, as the fit fits them (``iid``; the streaming fit finds the encoders that see
  its input directly).
- ``LabelEncoder`` and ``LabelBinarizer``: fitted on the union of the values, which
  gives the ``classes_`` (and ``y_type_``) of a fit on all rows.

A column of a known ``category`` dtype gives its values from the dtype, without reading
them: the declared categories, sorted as scikit-learn sorts what it finds (so a declared
category that no row holds is kept). Only whether the column has missing values is read,
from its integer codes, in the same reduction. Each block's values are found by the
encoder's own input conversion (``_check_X``) and scikit-learn's ``_unique``, so their
types, order and missing-value handling are scikit-learn's. Empty blocks are skipped.
"""
import contextlib

import dask
import numpy as np

from . import _apply, _blocks, _kinds

__all__ = []


def _auto(value):
    return isinstance(value, str) and value == "auto"


# --------------------------------------------------------------------------- where


def _columns(X, columns, sample=None):
    """Columns ``columns`` (a ColumnTransformer selection) of dask ``X`` and of ``sample``."""
    from .._sklearn_compat import _get_column_indices, _safe_indexing

    frame = _blocks.container(X) == "frame"
    meta = X._meta if frame else np.empty((0, X.shape[1]))
    if callable(columns):
        columns = columns(meta)
    idx = _get_column_indices(meta, columns)
    lazy = X[[X.columns[i] for i in idx]] if frame else X[:, idx]
    part = None if sample is None else _safe_indexing(sample, idx, axis=1)
    return lazy, part, idx


def _sites(est, X, path, sample=None):
    """Yield ``(path, encoder, X, part)``: every encoder in ``est`` learning ``categories``.

    ``path`` is the ``set_params`` prefix of ``est``; ``X`` the lazy input it sees and
    ``part`` what it sees of the in-memory sample (None without a sample).
    ``sample`` is the in-memory ``(X, y)`` the fit will train on, or None: with it, an
    encoder behind other steps of a ``Pipeline`` (``SimpleImputer`` then
    ``OneHotEncoder``) is found too, and sees every block through copies of those
    steps fitted on the sample, as the fit will fit them.
    """
    if not _kinds.is_step(est):
        return
    if _kinds.is_encoder(est):
        if _auto(est.get_params(deep=False).get("categories")):
            yield path, est, X, None if sample is None else sample[0]
    elif _kinds.is_column_transformer(est):
        used = set()
        entries = list(est.transformers)
        if _kinds.is_step(est.remainder):
            entries.append(("remainder", est.remainder, None))
        for name, trans, columns in entries:
            if columns is None:  # the remainder: every column no transformer took
                width = len(X.columns) if _blocks.container(X) == "frame" else X.shape[1]
                columns = [i for i in range(width) if i not in used]
                if not columns:
                    continue
            Xc, Sc, idx = _columns(X, columns, None if sample is None else sample[0])
            used.update(idx)
            sub = None if sample is None else (Sc, sample[1])
            yield from _sites(trans, Xc, f"{path}{name}__", sub)
    elif _kinds.is_pipeline(est):
        steps = [(name, step) for name, step in est.steps if _kinds.is_step(step)]
        for i, (name, step) in enumerate(steps):
            yield from _sites(step, X, f"{path}{name}__", sample)
            later = [s for _, s in steps[i + 1:]]
            if sample is None or not any(_has_sites(s) for s in later):
                break
            # the next steps see this one's output: fit a copy as the fit will, on the
            # sample, and run it on every block
            from sklearn.base import clone

            fitted = clone(step)
            if sample[1] is None:
                St = fitted.fit_transform(sample[0])
            else:
                St = fitted.fit_transform(sample[0], sample[1])
            X, sample = _apply.apply(fitted, "transform", X), (St, sample[1])
    elif _kinds.is_feature_union(est):
        for name, trans in est.transformer_list:
            yield from _sites(trans, X, f"{path}{name}__", sample)


def _has_sites(est):
    """Whether ``est`` holds an encoder learning ``categories`` (no input needed)."""
    if not _kinds.is_step(est):
        return False
    if _kinds.is_encoder(est):
        return _auto(est.get_params(deep=False).get("categories"))
    if _kinds.is_column_transformer(est):
        return any(_has_sites(t) for _, t, _ in est.transformers) or _has_sites(est.remainder)
    if _kinds.is_pipeline(est):
        return any(_has_sites(s) for _, s in est.steps)
    if _kinds.is_feature_union(est):
        return any(_has_sites(t) for _, t in est.transformer_list)
    return False


def _fitted(work, path):
    """The fitted object at ``set_params`` prefix ``path``, or None where none is kept."""
    obj = work
    for name in path.split("__")[:-1]:
        fitted = getattr(obj, "named_transformers_", None)
        if fitted is not None:  # ColumnTransformer: fitted clones, not the templates
            obj = fitted.get(name) if name in fitted else None
        elif hasattr(obj, "named_steps"):
            obj = obj.named_steps.get(name)
        elif hasattr(obj, "transformer_list"):
            obj = dict(obj.transformer_list).get(name)
        else:
            obj = None
        if obj is None:
            return None
    return obj


# --------------------------------------------------------------------------- values


def _known_categorical(X):
    """Per column of dask ``X``: is it a ``category`` dtype whose categories are known?"""
    if _blocks.container(X) != "frame":
        return [False] * X.shape[1]
    return [getattr(t, "name", None) == "category" and X[c].cat.known
            for c, t in X.dtypes.items()]


def _unique_block(part, enc, known):
    """One block's values, per column: unique values, or for known categories, any NaN."""
    from .._sklearn_compat import _unique

    if part.shape[0] == 0:
        return None
    out = [None] * len(known)
    read = [j for j, k in enumerate(known) if not k]
    if read:
        sub = part.iloc[:, read] if hasattr(part, "iloc") else part[:, read]
        columns, _, _ = enc._check_X(sub, ensure_all_finite="allow-nan")
        for j, Xi in zip(read, columns):
            out[j] = _unique(Xi)
    for j, k in enumerate(known):
        if k:
            out[j] = bool(part.iloc[:, j].cat.codes.eq(-1).any())
    return out


def _combine(*parts):
    """Union of blocks' values, per column (for known categories: whether any has NaN)."""
    from .._sklearn_compat import _unique

    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return [any(p[j] for p in parts) if isinstance(parts[0][j], bool)
            else _unique(np.concatenate([p[j] for p in parts]))
            for j in range(len(parts[0]))]


def _finish(declared, values):
    """Per-column categories: the union found, or a known dtype's sorted categories."""
    from .._sklearn_compat import _unique

    if values is None:  # no rows at all
        return None
    out = []
    for categories, found in zip(declared, values):
        if categories is None:
            out.append(found)
            continue
        cats = np.asarray(categories)
        cats = _unique(cats if cats.dtype.kind in "biuf" else cats.astype(object))
        if found:  # missing values: scikit-learn's category NaN comes last
            kind = object if cats.dtype == object else float
            cats = np.concatenate([cats.astype(kind), np.array([np.nan], dtype=kind)])
        out.append(cats)
    return out


#: how many blocks' values one task of the reduction merges
_FAN_IN = 16


def _reduce(parts, combine):
    """Merge delayed ``parts`` with ``combine`` in a tree, ``_FAN_IN`` at a time."""
    fn = dask.delayed(combine, pure=True)
    while len(parts) > 1:
        parts = [fn(*parts[i:i + _FAN_IN]) for i in range(0, len(parts), _FAN_IN)]
    return parts[0] if parts else dask.delayed(None)


def _delayed_blocks(X):
    blocks = X.to_delayed()
    return blocks.ravel().tolist() if hasattr(blocks, "ravel") else list(blocks)


def _categories(enc, X, part=None, loaded=()):
    """A delayed list of ``enc``'s per-column categories over every block of ``X``.

    The blocks ``loaded`` are not read again: their rows are in ``part``, in memory.
    """
    X = _blocks.as_rows(X)
    known = _known_categorical(X)
    declared = ([np.asarray(X[c].cat.categories) if k else None
                 for c, k in zip(X.columns, known)] if any(known) else [None] * len(known))
    fn = dask.delayed(_unique_block, pure=True)
    # only the encoder's input conversion runs in the tasks; nothing is fitted
    parts = [fn(b, enc, known) for k, b in enumerate(_delayed_blocks(X)) if k not in loaded]
    if part is not None:
        parts.append(_unique_block(part, enc, known))
    found = _reduce(parts, _combine)
    return dask.delayed(_finish, pure=True)(declared, found)


def _unique_labels(block):
    from .._sklearn_compat import _unique

    values = np.asarray(block)
    return _unique(values) if values.shape[0] else None


def _union_labels(*parts):
    from .._sklearn_compat import _unique

    parts = [p for p in parts if p is not None]
    return _unique(np.concatenate(parts)) if parts else None


def _labels(X, part=None, loaded=()):
    """A delayed array of the unique values of every block of 1-D dask ``X``; the
    blocks ``loaded`` are not read again, their values are ``part``'s (in memory)."""
    fn = dask.delayed(_unique_labels, pure=True)
    parts = [fn(b) for k, b in enumerate(_delayed_blocks(X)) if k not in loaded]
    if part is not None:
        parts.append(_unique_labels(part))
    return _reduce(parts, _union_labels)


# --------------------------------------------------------------------------- plan


class Vocabulary:
    """The vocabularies an estimator learns on a dask ``X``, and how to hand them over.

    ``labels=False`` leaves label transformers alone (a fit that is not one call on the
    values cannot take them). ``sample``, the in-memory ``(X, y)`` a one-call fit trains
    on, lets encoders behind other pipeline steps be found (see ``_sites``); ``loaded``
    lists the row blocks of ``X`` that sample holds (read already, empty ones too):
    they are not read again, their values come from the sample, so every block is
    read once. ``lazy`` is a delayed object, None when ``est`` learns no
    vocabulary; :meth:`compute` runs the reduction, and :meth:`fitting` (one fit call)
    or :meth:`hand` and :meth:`restore` (a streaming fit) hand its result to the work
    copy.
    """

    def __init__(self, est, X, *, labels=True, sample=None, loaded=()):
        loaded = frozenset(loaded) if sample is not None else frozenset()
        self.labels = labels and _kinds.is_label_transformer(est) and getattr(X, "ndim", 2) == 1
        if self.labels:
            part = None if sample is None else sample[0]
            self.sites, self.lazy = [], _labels(X, part, loaded)
            return
        found = _blocks.container(X) is not None and _has_sites(est)
        self.sites = list(_sites(est, X, "", sample)) if found else []
        self.lazy = [_categories(enc, Xs, part, loaded)
                     for _, enc, Xs, part in self.sites] or None

    def compute(self):
        """Run the reduction over every block (nothing when there is no vocabulary)."""
        return None if self.lazy is None else dask.compute(self.lazy)[0]

    @contextlib.contextmanager
    def fitting(self, work, values, X):
        """Hand ``values`` (what :meth:`compute` gave) to ``work`` while it fits on ``X``.

        Yields the ``X`` to fit on: the values themselves for a label transformer, else
        ``X``. Parameters set for the fit are set back to ``"auto"`` afterwards, even
        when the fit fails.
        """
        if self.labels:
            yield X if values is None else values
            return
        names = self.hand(work, values)
        try:
            yield X
        finally:
            self.restore(work, names)

    def hand(self, work, values):
        """Set ``categories=`` the computed values on ``work``'s encoders; return the names.

        For a fit that is not one call (the streaming fit); a label transformer, which
        is fitted on the values themselves, is not handled here.
        """
        if self.labels:
            return []
        params = {f"{path}categories": v for (path, *_), v in zip(self.sites, values or ())
                  if v is not None}
        work.set_params(**params)
        return list(params)

    @staticmethod
    def restore(work, names):
        """Set the parameters ``names`` back to ``"auto"``, on the templates and on the
        fitted copies a ``ColumnTransformer`` keeps, so ``get_params`` is the user's."""
        if not names:
            return
        work.set_params(**{name: "auto" for name in names})
        for name in names:
            fitted = _fitted(work, name)
            if fitted is not None and "categories" in fitted.get_params(deep=False):
                fitted.set_params(categories="auto")
