"""What a transform gives: its width, and its dtypes on a frame of strings or categories.

A frame with string or category columns goes to estimators that take them (encoders,
ColumnTransformer, FunctionTransformer, SimpleImputer...). What comes out is numbers
(an encoder's dtype), or, where columns are passed on, the columns' own dtypes:
``column_dtypes`` tells them from the fitted composites and the input's meta.
"""
import numpy as np

from . import _kinds

__all__ = []


def encoded_dtype(est):
    """The ``dtype`` parameter of an encoder (OneHotEncoder, OrdinalEncoder), or None."""
    if _kinds.is_encoder(est):
        dtype = est.get_params(deep=False).get("dtype")
        return None if dtype is None else np.dtype(dtype)
    return None


def transform_width(est):
    """``(tail, columns)`` of ``est.transform``: from its output names, else its components."""
    try:
        names = est.get_feature_names_out()
    except (AttributeError, ValueError):
        # it has no such method (or available_if says so), or cannot name its outputs
        # without input names it never saw (NotFittedError is both): count them instead
        names = None
    if names is not None:
        return (len(names),), list(names)
    for attr in ("n_components_", "n_components"):
        value = getattr(est, attr, None)
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return (int(value),), None
    components = getattr(est, "components_", None)
    if components is not None:
        return (components.shape[0],), None
    if _kinds.is_function_transformer(est) and est.func is None:  # the input itself
        return (est.n_features_in_,), list(getattr(est, "feature_names_in_", [])) or None
    indices = getattr(est, "output_indices_", None)  # ColumnTransformer: its fit counted
    if _kinds.is_column_transformer(est) and indices is not None:
        return (max((s.stop for s in indices.values()), default=0),), None
    return (np.nan,), None


def _plain_dtype(est):
    """What ``est.transform`` gives on numbers: an encoder's dtype, else float64."""
    return encoded_dtype(est) or np.dtype(np.float64)


def _width(est):
    (width,), _ = transform_width(est)
    return width


def _empty_frame(dtypes):
    import pandas as pd

    return pd.DataFrame({i: pd.Series([], dtype=d) for i, d in enumerate(dtypes)})


def column_dtypes(est, meta):
    """Per-column dtypes of ``est.transform`` on a frame like ``meta``; None if unknown.

    Parameters
    ----------
    est : fitted transformer, ``"passthrough"`` or ``"drop"``
    meta : pandas.DataFrame
        An empty frame with the input's dtypes.
    """
    if isinstance(est, str):
        return list(meta.dtypes) if est == "passthrough" else []
    if _kinds.is_function_transformer(est):
        if est.func is None and not est.validate:  # the frame itself
            return list(meta.dtypes)
        return None
    if _kinds.is_simple_imputer(est):
        if _kinds.keeps_strings(est) and not all(_kinds.numeric(t) for t in meta.dtypes):
            return [np.dtype(object)] * _width(est)
        return None
    if _kinds.is_column_transformer(est):
        return _column_transformer_dtypes(est, meta)
    if _kinds.is_pipeline(est):
        current = meta
        for _, step in est.steps:
            if not _kinds.is_step(step):
                continue
            dtypes = column_dtypes(step, current)
            if dtypes is None:
                width = _width(step)
                if np.isnan(width):
                    return None
                dtypes = [_plain_dtype(step)] * int(width)
            current = _empty_frame(dtypes)
        return list(current.dtypes)
    if _kinds.is_encoder(est):
        width = _width(est)
        return None if np.isnan(width) else [_plain_dtype(est)] * int(width)
    return None


def _column_transformer_dtypes(est, meta):
    from .._sklearn_compat import _get_column_indices

    if getattr(est, "sparse_output_", False):
        return None
    dtypes = []
    for name, trans, columns in est.transformers_:
        where = est.output_indices_[name]
        width = where.stop - where.start
        if width == 0:
            continue
        if callable(columns):
            columns = columns(meta)
        sub = meta.iloc[:, _get_column_indices(meta, columns)]
        part = column_dtypes(trans, sub)
        if part is None or len(part) != width:
            part = [_plain_dtype(trans)] * width
        dtypes += part
    return dtypes


def _pandas_out(est):
    """True when ``est.transform`` of a pandas frame returns a pandas frame."""
    from .._sklearn_compat import _get_output_config

    # raises scikit-learn's ValueError for an output scikit-learn does not support, as
    # its transform would
    if _get_output_config("transform", est)["dense"] == "pandas":
        return True
    return _kinds.is_function_transformer(est) and est.func is None and not est.validate


def with_frame_dtypes(est, spec, X):
    """``spec`` with the dtypes a transform of string/category frame columns gives."""
    meta = getattr(X, "_meta", None)
    if not hasattr(meta, "dtypes") or meta.ndim != 2:  # arrays have one dtype
        return spec
    if spec.sparse or not spec.tail or np.isnan(spec.tail[0]):
        return spec
    if all(_kinds.numeric(t) for t in meta.dtypes):
        return spec
    dtypes = column_dtypes(est, meta)
    if dtypes is None or len(dtypes) != spec.tail[0]:
        return spec
    if not all(_kinds.numeric(t) for t in dtypes):
        dtype = np.dtype(object)  # an array holding strings
    else:
        try:
            dtype = np.result_type(*dtypes)
        except TypeError:  # pandas extension dtypes: leave the declared one
            dtype = spec.dtype
    return spec._replace(dtype=dtype, dtypes=dtypes if _pandas_out(est) else None)
