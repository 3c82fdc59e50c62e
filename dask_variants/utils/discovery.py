"""Find every generated variant, the way ``sklearn.utils.all_estimators`` finds estimators."""
from .._variants import _catalog

__all__ = ["all_variants"]


def all_variants(kind=None):
    """Return every variant class, building each one (this imports all of scikit-learn).

    Parameters
    ----------
    kind : {"incremental", "iid"} or None, default=None
        One namespace, or both.

    Returns
    -------
    list of type
        Sorted by namespace, then name.
    """
    import importlib

    kinds = ["incremental", "iid"] if kind is None else [kind]
    unknown = sorted(set(kinds) - {"incremental", "iid"})
    if unknown:
        raise ValueError(
            f"all_variants(kind={kind!r}): kind must be 'incremental', 'iid' or None."
        )
    variants = []
    for name in kinds:
        ns = importlib.import_module(f"dask_variants.{name}")
        for est_name, (_, partial) in sorted(_catalog.load().entries.items()):
            if name == "iid" or partial:
                variants.append(getattr(ns, est_name))
    return variants


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
