"""Input checks for dask inputs, raised before any block is loaded, and their messages."""
import numpy as np

from . import _blocks

__all__ = ["check_dask_X", "check_classes"]


def _tags(est):
    try:
        return est.__sklearn_tags__()
    except Exception:
        return None


def check_dask_X(est, X, method):
    """Validate a dask ``X`` for ``est.method``; return it with one column chunk.

    Raises
    ------
    TypeError
        ``X`` is a dask Bag, Delayed or another collection without row blocks.
    ValueError
        ``X`` is not 2-D (1-D is accepted where the estimator takes raw text), or has
        object columns that the estimator cannot take.
    """
    name = f"{type(est).__name__}.{method}"
    kind = _blocks.container(X)
    if kind is None:
        raise TypeError(
            f"{name} got {type(X).__module__}.{type(X).__name__} {X!r}, a dask collection "
            "without row blocks. Convert it first: bag.to_dataframe(), "
            "dask.array.from_delayed(...), or compute it."
        )
    tags = _tags(est)
    takes_text = bool(tags is not None and not tags.input_tags.two_d_array)
    takes_objects = bool(
        tags is not None and (tags.input_tags.string or tags.input_tags.categorical)
    )
    if kind == "array":
        if X.ndim != 2 and not (takes_text and X.ndim == 1):
            raise ValueError(
                f"{name} expects a 2-D array of shape (n_samples, n_features), got a "
                f"{X.ndim}-D dask array of shape {X.shape!r}. Reshape it, e.g. "
                "X.reshape(-1, 1) for a single feature."
            )
        if X.ndim == 2 and X.shape[1] == 0:
            raise _no_features(name, X.shape)
        if X.dtype == object and not takes_objects:
            raise ValueError(
                f"{name} got a dask array of dtype object {X!r}; {type(est).__name__} "
                "needs numbers. Convert with X.astype(float) or encode the columns first."
            )
        return _blocks.as_rows(X)
    if kind == "series" and not takes_text:
        raise ValueError(
            f"{name} expects a 2-D input, got a dask Series {X.name!r}. Use X.to_frame()."
        )
    if kind == "frame" and len(X.columns) == 0:
        raise _no_features(name, (np.nan, 0))
    if kind == "frame" and not takes_objects:
        dtypes = X.dtypes
        bad = [c for c, t in dtypes.items() if not _numeric_or_bool(t)]
        if bad:
            raise ValueError(
                f"{name} got a dask DataFrame with non-numeric columns {bad!r}; "
                f"{type(est).__name__} needs numbers. Encode or drop those columns first "
                "(e.g. with a OneHotEncoder variant in a Pipeline)."
            )
    return X


def _no_features(name, shape):
    return ValueError(
        f"{name}: found array with 0 feature(s) (shape={shape!r}) while a minimum of 1 "
        "is required. Select at least one column of X."
    )


def _numeric_or_bool(dtype):
    try:
        return np.dtype(dtype).kind in "biuf"
    except TypeError:  # pandas extension dtypes
        return getattr(dtype, "_is_numeric", False) or getattr(dtype, "kind", "O") in "biuf"


def check_classes(est, method, y, classes):
    """Raise when a classifier's ``partial_fit`` has neither ``classes`` nor ``y``."""
    if classes is None and y is None:
        raise ValueError(
            f"{type(est).__name__}.{method} needs the class labels: got classes=None and "
            "y=None. Pass y, or classes=[...] listing every label."
        )
