"""Build variant classes: one ``type()`` call per (kind mixin, scikit-learn class).

A variant is ``type(Name, (KindMixin, *KindMixin._companions, Base), body)``: the kind
mixin (``IncrementalMixin``, ``IIDMixin``) names the mixins it comes with
(``BlockwisePredictMixin``), so this module never imports a mixin. The members that make
scikit-learn see the variant as it sees the base class are synthesised by
:mod:`._synthesis` when the class is created (the variant root's ``__init_subclass__``).
One class per (kind, base): asking twice, by any path, gives the same class object.
"""
import importlib
import threading

from . import _catalog
from ._protocol import VariantMixinBase
from ._synthesis import compose_doc

__all__ = []

_REGISTRY = {}
_LOCK = threading.RLock()


def make_variant(kind, base, *, module=None):
    """Return the one class combining mixin ``kind`` with estimator class ``base``.

    Parameters
    ----------
    kind : type
        ``IncrementalMixin`` or ``IIDMixin`` (or another subclass of the variant root),
        with the mixins it comes with in ``kind._companions``.
    base : type
        A class with the scikit-learn estimator API.
    module : str, default=None
        The importable module the class is published in. ``None`` picks the mirrored
        scikit-learn module for scikit-learn's own classes, and an importable path below
        ``<namespace>._ext`` for any other class.

    Returns
    -------
    type
        The same class object for the same (kind, base), whichever way it is asked for.
    """
    key = (kind, base)
    with _LOCK:
        if key in _REGISTRY:
            return _REGISTRY[key]
        if not issubclass(kind, VariantMixinBase):
            raise TypeError(f"make_variant expects a variant mixin, got {kind!r}")
        kind._check_base(base)
        if module is None:
            module = _module_for(kind, base)
        body = {
            "__module__": module,  # pickle looks the class up here
            "__qualname__": base.__name__,
            "__doc__": compose_doc(kind, base),
        }
        variant = type(base.__name__, (kind, *kind._companions, base), body)
        _REGISTRY[key] = variant
        return variant


def _module_for(kind, base):
    """Where a variant of ``base`` is importable from."""
    entry = _catalog.load().entries.get(base.__name__)
    if entry is not None and base.__module__.startswith("sklearn."):
        public = importlib.import_module("sklearn." + entry[0])
        if getattr(public, base.__name__, None) is base:
            return f"{kind._namespace}.{entry[0]}"
    return f"{kind._namespace}._ext.{base.__module__}"


