"""The root every dask_variants mixin derives from."""
import contextlib
import threading

from .. import _factory
from .._factory import NOTHING
from ..utils._state import adopt


class VariantMixinBase:
    """Root of the mixins: installs the synthesised members on every subclass.

    A mixin lists in ``_overrides`` the public methods it implements
    (``{"fit": "_fit_variant"}``) and in ``_extra_params`` the knobs it adds to the
    constructor. Neither appears on a class whose scikit-learn base lacks the method,
    so ``hasattr`` answers as it does on the base. Every implementation is called as
    ``impl(self, name, X, y, params)`` with the caller's arguments bound to the base
    method's signature (``y`` is ``NOTHING`` when not given).
    """

    _overrides = {}
    _extra_params = {}
    _extra_docs = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _factory.install(cls)

    @classmethod
    def _check_base(cls, base):
        """Raise ``TypeError`` when ``base`` cannot take this mixin."""
        if not isinstance(base, type) or not hasattr(base, "fit"):
            raise TypeError(
                f"{cls._namespace}.variant expects an estimator class with a fit method, "
                f"got {base!r}. Pass the class itself, e.g. variant(SGDClassifier)."
            )

    def _base(self):
        """The scikit-learn side of ``self``: ``super()`` past every mixin."""
        return super(VariantMixinBase, self)

    def _knob(self, name):
        """The value of knob ``name``, its default where the constructor did not set it."""
        default = _factory.extra_params(type(self)).get(name)
        return getattr(self, name, default)

    def _call_base(self, name, X, y, params):
        """Call the base's method ``name`` with the arguments as the caller gave them."""
        method = getattr(self._base(), name)
        args = () if X is NOTHING else (X,)
        if y is not NOTHING:
            args += (y,)
        with _knobs_hidden():
            return method(*args, **params)

    def _adopt(self, work):
        """Take the fitted state of ``work``, a private copy fitted in our place.

        Fitting a copy and adopting it only on success is what leaves the estimator
        exactly as it was when a call fails. What a caller attached to this instance
        for the duration of the call (scikit-learn's ``_parent_callback_ctx``, which
        ``GridSearchCV`` and ``Pipeline`` delete after ``fit``) is kept.
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
            for name in _factory.extra_params(type(self)):
                params.pop(name, None)
        return params


_HIDDEN = threading.local()


@contextlib.contextmanager
def _knobs_hidden():
    previous = getattr(_HIDDEN, "on", False)
    _HIDDEN.on = True
    try:
        yield
    finally:
        _HIDDEN.on = previous

