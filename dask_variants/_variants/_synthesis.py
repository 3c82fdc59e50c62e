"""What the factory synthesises on a variant class, so scikit-learn sees its base class.

* ``__init__``: the base signature plus the mixins' knobs as keyword-only parameters, so
  ``get_params``, ``set_params``, ``clone`` and ``GridSearchCV`` see ``epochs`` & co.
* the overridden methods (``fit``, ``predict``, ...): one small function per method that
  carries the base method's signature and docstring, installed only when the base has the
  method, and conditional (``available_if``) when the base's method is. ``hasattr`` and
  metadata routing (``set_fit_request``) therefore behave as on the base.
* the docstring: one paragraph on what the variant changes, its knobs, then the base text.

Imports nothing of dask_variants: :mod:`._protocol` calls :func:`install` for every class
deriving from the variant root, with the class's scikit-learn base.
"""
import inspect

from sklearn.utils.metaestimators import available_if

from .._sklearn_compat import _AvailableIfDescriptor

__all__ = []


class _Nothing:
    """Marks an argument the caller did not pass."""

    def __repr__(self):
        return "<not given>"

    def __reduce__(self):
        return "NOTHING"


NOTHING = _Nothing()

#: how the first parameters of a method are recognised as the target
_Y_NAMES = ("y", "Y")


#: how the first parameters of a method are recognised as the target
_Y_NAMES = ("y", "Y")


def install(cls, base):
    """Give ``cls`` (a class mixing our mixins into ``base``) its synthesised members.

    Called from the variant root's ``__init_subclass__`` after scikit-learn's own hooks
    ran, so ``set_output`` does not wrap our ``transform`` (it wraps the base's, which we
    call).
    """
    if hasattr(base, "_sklearn_auto_wrap_output_keys"):
        # set_output: exactly the base's keys (type() would default them to transform)
        cls._sklearn_auto_wrap_output_keys = set(base._sklearn_auto_wrap_output_keys)
    extras = extra_params(cls)
    if extras and "__init__" not in cls.__dict__ and not getattr(
        cls.__init__, "_dask_variants_init", False
    ):
        cls.__init__ = _extend_init(cls, base, extras)
    implemented = {}
    for klass in reversed(cls.__mro__):  # nearer classes override farther ones
        implemented.update(klass.__dict__.get("_overrides", {}))
    for name, impl_name in implemented.items():
        if name in cls.__dict__ or not hasattr(base, name):
            continue
        static = inspect.getattr_static(base, name)
        if not (inspect.isfunction(static) or isinstance(static, _AvailableIfDescriptor)):
            continue  # a property or other descriptor: the base's own rules stand
        if getattr(getattr(cls, name, None), "_dask_variants_impl", None) == impl_name:
            continue  # inherited from a variant already; same base, same method
        setattr(cls, name, _method(cls, base, name, getattr(cls, impl_name)))


def extra_params(cls):
    """The knobs the mixins of ``cls`` add, in MRO order: ``{name: default}``."""
    extras = {}
    for klass in reversed(cls.__mro__):
        extras.update(klass.__dict__.get("_extra_params", {}))
    return extras


def _extend_init(cls, base, extras):
    """Return an ``__init__`` taking the base's parameters plus keyword-only ``extras``."""
    base_init = base.__init__
    if base_init is object.__init__:
        params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    else:
        params = list(inspect.signature(base_init).parameters.values())
    names = {p.name for p in params}
    clash = sorted(names & set(extras))
    if clash:
        raise TypeError(
            f"Cannot make a variant of {base.__name__}: its parameters {clash!r} collide "
            f"with the variant's own knobs {sorted(extras)!r}. Wrap an instance with "
            "dask_variants.wrappers instead."
        )
    new = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
        for name, default in extras.items()
    ]
    if params and params[-1].kind is inspect.Parameter.VAR_KEYWORD:
        params = params[:-1] + new + params[-1:]
    else:
        params = params + new

    def __init__(self, *args, **kwargs):
        for name, default in extras.items():
            setattr(self, name, kwargs.pop(name, default))
        if base_init is object.__init__:
            if args or kwargs:
                raise TypeError(f"{type(self).__name__}() takes no parameters")
        else:
            base_init(self, *args, **kwargs)

    __init__.__signature__ = inspect.Signature(params)
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__doc__ = base_init.__doc__
    __init__._dask_variants_init = True
    return __init__


def _method(cls, base, name, impl):
    """Return method ``name`` of ``cls``: base signature and doc, body ``impl``."""
    static = inspect.getattr_static(base, name)
    base_func = getattr(base, name)
    sig = inspect.signature(base_func)
    params = list(sig.parameters)[1:]  # drop self
    x_name = params[0] if params else None
    y_name = params[1] if len(params) > 1 and params[1] in _Y_NAMES else None

    open_ended = getattr(impl, "_takes_extra_kwargs", False)

    def method(self, *args, **kwargs):
        extra = {}
        if open_ended:  # e.g. fit(X, y, classes=...) for partial_fit on a dask input
            extra = {k: kwargs.pop(k) for k in list(kwargs) if k not in sig.parameters}
        bound = sig.bind(self, *args, **kwargs)
        arguments = dict(bound.arguments)
        arguments.pop(next(iter(sig.parameters)))
        X = arguments.pop(x_name, NOTHING) if x_name else NOTHING
        y = arguments.pop(y_name, NOTHING) if y_name else NOTHING
        for pname, param in sig.parameters.items():
            if param.kind is param.VAR_KEYWORD and pname in arguments:
                arguments.update(arguments.pop(pname))
            elif param.kind is param.VAR_POSITIONAL and pname in arguments:
                extra = arguments.pop(pname)
                if extra:
                    raise TypeError(
                        f"{type(self).__name__}.{name} got extra positional arguments "
                        f"{extra!r}; pass them by keyword."
                    )
        arguments.update(extra)
        return impl(self, name, X, y, arguments)

    method.__name__ = name
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    method.__module__ = cls.__module__
    method.__doc__ = _compose_method_doc(impl, base_func)
    method.__signature__ = sig
    method._dask_variants_impl = impl.__name__
    if isinstance(static, _AvailableIfDescriptor):
        method = available_if(_base_has(name))(method)
    return method


def takes_extra_kwargs(impl):
    """Mark a mixin implementation as taking keyword arguments the base method does not.

    ``IncrementalMixin.fit`` passes its fit parameters to ``partial_fit``, so it takes
    ``classes=`` although ``SGDClassifier.fit`` does not; on in-memory input the base
    method still sees them, and raises as scikit-learn does.
    """
    impl._takes_extra_kwargs = True
    return impl


def _base_has(name):
    """``available_if`` check: the base has ``name``, for the base's own reason if not.

    scikit-learn's ``available_if`` chains the reason a method is missing as the
    ``__cause__`` of its ``AttributeError`` (``SGDClassifier(loss="hinge").predict_proba``:
    "probability estimates are not available for loss='hinge'"). Raising that reason
    here makes it the cause of the variant's error too, as on the base.
    """
    def check(self):
        try:
            getattr(self._dask_variants_base(), name)
        except AttributeError as err:
            reason = err.__cause__
        else:
            return True
        if reason is None:
            return False
        raise reason  # outside the handler: no context loop with the base's error

    return check


def _compose_method_doc(impl, base_func):
    note = inspect.getdoc(impl) or ""
    return note + "\n\n" + (inspect.getdoc(base_func) or "")


def compose_doc(kind, base):
    """The variant's docstring: what changes, its knobs, the base class, the base text."""
    lines = [
        f"{base.__name__}, as a ``{kind._namespace}`` variant.",
        "",
        inspect.cleandoc(kind._namespace_doc),
        "",
        "On NumPy, pandas, SciPy sparse or list input every method is exactly "
        f"``{base.__module__.split('._')[0]}.{base.__name__}``'s.",
    ]
    extras = extra_params(kind)
    if extras:
        lines += ["", "Extra parameters", "----------------"]
        for pname, default in extras.items():
            lines.append(f"{pname} : default={default!r}")
            lines.append("    " + kind._extra_docs[pname])
    lines += [
        "",
        "See Also",
        "--------",
        f"{base.__module__.split('._')[0]}.{base.__name__} : the class this variant extends.",
        "",
        "Original documentation",
        "----------------------",
        "",
        inspect.cleandoc(base.__doc__ or ""),
    ]
    return "\n".join(lines)
