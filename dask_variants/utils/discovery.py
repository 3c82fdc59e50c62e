"""Find every generated variant, the way ``sklearn.utils.all_estimators`` finds estimators."""
from .._variants import _catalog

__all__ = ["all_variants"]


def all_variants(kind=None):
    """Return every variant class, building each one (this imports all of scikit-learn).

    Parameters
    ----------
    kind : {"incremental", "iid", "exact"} or None, default=None
        One namespace, or all three.

    Returns
    -------
    list of type
        Sorted by namespace, then name.
    """
    import importlib

    kinds = list(_KINDS) if kind is None else [kind]
    unknown = sorted(set(kinds) - set(_KINDS))
    if unknown:
        raise ValueError(
            f"all_variants(kind={kind!r}): kind must be one of {list(_KINDS)!r} or None."
        )
    variants = []
    for name in kinds:
        ns = importlib.import_module(f"dask_variants.{name}")
        offered = set(dir(ns))  # each namespace lists the estimators it has
        for est_name in sorted(_catalog.load().entries):
            if est_name in offered:
                variants.append(getattr(ns, est_name))
    return variants


_KINDS = ("incremental", "iid", "exact")


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
