"""Names of frame outputs, and the name of the target a dask fit saw.

A row-wise output of a dask frame is a Series or DataFrame whose names are strings, so
it writes to parquet as it is: :func:`frame_labels` gives them, from the output's
:class:`._meta.Spec` and the name of the ``y`` the fit saw, which :func:`record_target`
keeps on the fitted estimator.
"""
import numpy as np

__all__ = []


#: fitted-state attribute (private) holding the name(s) of the ``y`` a dask fit saw
TARGET = "_dask_variants_target"


def target_name(y):
    """What to record of a dask ``y``'s name: a Series' name, a frame's columns, or None."""
    if not hasattr(y, "index"):  # arrays have no names
        return None
    if y.ndim == 2:
        return [str(c) for c in y.columns]
    name = getattr(y, "name", None)
    return None if name is None else str(name)


def record_target(est, y):
    """Remember on ``est`` the name(s) of the dask ``y`` it was fitted on (or forget)."""
    name = None if y is None else target_name(y)
    if name is None:
        est.__dict__.pop(TARGET, None)
    else:
        setattr(est, TARGET, name)


def frame_labels(est, method, spec, X):
    """Return ``spec`` with string labels, so a frame output writes to parquet as it is.

    A one-value-per-row output is a Series named after the target the dask ``fit`` saw
    (``predict``, a label transformer's ``inverse_transform``), after a Series input
    (``transform`` of one), else ``"prediction"`` for ``predict`` and the method's name
    for the others. Columns are the spec's labels (``get_feature_names_out``,
    ``classes_``...) as strings, the target's columns for a multi-output ``predict``,
    else ``"0"``, ``"1"``...
    """
    if isinstance(spec, list):
        return [frame_labels(est, method, s, X) for s in spec]
    target = getattr(est, TARGET, None)
    if spec.tail == ():
        own = getattr(X, "name", None) if getattr(X, "ndim", 2) == 1 else None
        if method in ("predict", "inverse_transform"):
            name = target if isinstance(target, str) else own if own is not None else (
                "prediction" if method == "predict" else method)
        else:
            name = own if own is not None and method == "transform" else method
        return spec._replace(name=str(name))
    width = spec.tail[0]
    if spec.columns is not None:
        columns = [str(c) for c in spec.columns]
    elif method == "predict" and isinstance(target, list) and len(target) == width:
        columns = list(target)
    elif not np.isnan(width):
        columns = [str(i) for i in range(int(width))]
    else:
        columns = None
    return spec._replace(columns=columns)
