"""The root every dask_variants mixin derives from, and what a variant is.

A variant is a class deriving from :class:`VariantMixinBase` and from a scikit-learn (or
other) estimator class, its *base*. The lower layers never import this module: they
reach the base's in-memory methods through the one hook a variant defines,
``est._dask_variants_base()`` (see :func:`dask_variants.blocks._blocks.in_memory`).
"""
import contextlib
import threading

from ..blocks._state import adopt
from ._synthesis import NOTHING, extra_params, install

__all__ = []


class VariantMixinBase:
    """Root of the mixins: installs the synthesised members on every subclass.

    A mixin lists in ``_overrides`` the public methods it implements
    (``{"fit": "_fit_variant"}``) and in ``_extra_params`` the knobs it adds to the
    constructor. Neither appears on a class whose scikit-learn base lacks the method,
    so ``hasattr`` answers as it does on the base. Every implementation is called as
    ``impl(self, name, X, y, params)`` with the caller's arguments bound to the base
    method's signature (``y`` is ``NOTHING`` when not given). A kind mixin (the one a
    namespace builds with) lists in ``_companions`` the mixins a variant also gets.
    """

    _overrides = {}
    _extra_params = {}
    _extra_docs = {}
    _companions = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        base = sklearn_base(cls)
        if base is not None:
            install(cls, base)

    @classmethod
    def _check_base(cls, base):
        """Raise ``TypeError`` when ``base`` cannot take this mixin."""
        if not isinstance(base, type) or not hasattr(base, "fit"):
            raise TypeError(
                f"{cls._namespace}.variant expects an estimator class with a fit method, "
                f"got {base!r}. Pass the class itself, e.g. variant(SGDClassifier)."
            )

    def _dask_variants_base(self):
        """The scikit-learn side of ``self``: ``super()`` past every mixin.

        The hook the lower layers use to run the base's methods on in-memory blocks.
        """
        return super(VariantMixinBase, self)


    def _knob(self, name):
        """The value of knob ``name``, its default where the constructor did not set it."""
        default = extra_params(type(self)).get(name)
        return getattr(self, name, default)

    def _call_base(self, name, X, y, params):
        """Call the base's method ``name`` with the arguments as the caller gave them."""
        method = getattr(self._dask_variants_base(), name)
        args = () if X is NOTHING else (X,)
        if y is not NOTHING:
            args += (y,)
        with _knobs_hidden():
            return method(*args, **params)

    def _adopt(self, work):
        """Take the fitted state of ``work``, a private copy fitted in our place.

        Fitting a copy and adopting it only on success is what leaves the estimator
        exactly as it was when a call fails (see :func:`dask_variants.blocks._state.adopt`).
        """
        return adopt(self, work)

    def get_params(self, deep=True):
        """Get parameters for this estimator, the variant's knobs included.

        While the scikit-learn base's own code runs (its ``fit``...), the knobs are left
        out: some bases pass ``self.get_params()`` on to functions that know only theirs
        (``LassoCV.fit`` does).
        """
        params = super().get_params(deep=deep)
        if getattr(_HIDDEN, "on", False):
            for name in extra_params(type(self)):
                params.pop(name, None)
        return params


def sklearn_base(cls):
    """Return the first class of ``cls``'s MRO that is not a dask_variants mixin."""
    for klass in cls.__mro__:
        if not issubclass(klass, VariantMixinBase):
            return None if klass is object else klass
    return None


_HIDDEN = threading.local()


@contextlib.contextmanager
def _knobs_hidden():
    previous = getattr(_HIDDEN, "on", False)
    _HIDDEN.on = True
    try:
        yield
    finally:
        _HIDDEN.on = previous
