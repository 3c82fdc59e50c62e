"""Lazy namespaces: ``dask_variants.<kind>`` and its mirrored scikit-learn submodules.

``install(name, Mixin)`` gives a namespace package its module ``__getattr__`` and
``__dir__``, and registers an import hook so that ``import dask_variants.iid.ensemble``
works although no such file exists. A mirrored module builds a variant the first time it
is asked for it, importing only the one scikit-learn module that exposes the class.

Classes made by ``variant(cls)`` for estimators outside scikit-learn live in
``<namespace>._ext.<cls.__module__>``, a module the same hook builds on demand, so they
pickle by reference too (into a fresh interpreter, or onto a distributed worker).
"""
import importlib
import importlib.abc
import importlib.machinery
import sys

from . import _catalog

__all__ = []

_EXT = "_ext"


def _make(kind, base, module=None):
    """``make_variant``, imported on first use so that a namespace imports no estimator."""
    from ._factory import make_variant

    return make_variant(_resolve(kind), base, module=module)


def _resolve(kind):
    """The mixin class named by ``kind`` ("package.module:Class"), imported now."""
    module, _, attr = kind.partition(":")
    return getattr(importlib.import_module(module), attr)


def _namespace_of(kind):
    return "dask_variants." + kind.split(":")[0].rsplit(".", 1)[1]


_ENTRIES = {}


def _entries(kind):
    """``{name: module below sklearn}`` of the estimators namespace ``kind`` offers.

    Read from the installed scikit-learn's catalog on first use (``_catalog.load``, which
    reads the installed version without importing scikit-learn).
    """
    if kind not in _ENTRIES:
        ns = _namespace_of(kind)
        needs_partial = ns.endswith(".incremental")
        offered = None
        if ns.endswith(".exact"):
            from ..engine.rules import exact_names  # a list of names: imports nothing

            offered = exact_names()
        _ENTRIES[kind] = {
            name: module
            for name, (module, partial) in _catalog.load().entries.items()
            if (partial or not needs_partial) and (offered is None or name in offered)
        }
    return _ENTRIES[kind]


def _modules(kind):
    """Mirrored module names (``"ensemble"``, ``"feature_extraction.text"``) and parents."""
    names = set()
    for module in _entries(kind).values():
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            names.add(".".join(parts[:i]))
    return names


def _sklearn_class(name, module):
    """Import the scikit-learn class ``name`` from ``sklearn.<module>``."""
    enabler = _catalog.load().experimental.get(name)
    if enabler is not None:
        importlib.import_module(f"sklearn.experimental.{enabler}")
    return getattr(importlib.import_module(f"sklearn.{module}"), name)


def _unknown(kind, name, where):
    """The ``AttributeError`` for a name the namespace ``where`` does not have."""
    catalog = _catalog.load()
    entry = catalog.entries.get(name)
    ns = _namespace_of(kind)
    if entry is not None and ns.endswith(".incremental") and not entry[1]:
        return AttributeError(
            f"{name} has no partial_fit, so {ns} has no variant of it; use "
            f"dask_variants.iid.{name} (fits on a sample of blocks) or an estimator "
            "with partial_fit (see dir(dask_variants.incremental))."
        )
    if entry is not None and ns.endswith(".exact") and name not in _entries(kind):
        also = f"dask_variants.incremental.{name} (streams the blocks through " \
            "partial_fit) or " if entry[1] else ""
        return AttributeError(
            f"{name} has no exact all-rows fit, so {ns} has no variant of it; use "
            f"{also}dask_variants.iid.{name} (fits on a sample of blocks); "
            "dir(dask_variants.exact) lists the exact ones."
        )
    if entry is not None:
        return AttributeError(
            f"module {where!r} has no attribute {name!r}: {name} is in "
            f"{ns}.{entry[0]} (and in {ns} itself)."
        )
    return AttributeError(
        f"module {where!r} has no attribute {name!r}: the installed scikit-learn "
        f"{catalog.version} has no estimator of that name. For another "
        f"library's estimator class use {ns}.variant(TheClass)."
    )


def _mirror_attrs(kind, fullname, sub):
    """``__getattr__`` and ``__dir__`` of the mirrored module ``fullname``.

    Both read the catalog at call time (it is one dict lookup away), so the module and
    the namespace never disagree.
    """

    def entries():
        return {n for n, m in _entries(kind).items() if m == sub}

    def children():
        return {m[len(sub) + 1:].split(".")[0] for m in _modules(kind)
                if m.startswith(sub + ".")}

    def __getattr__(name):
        if name in entries():
            base = _sklearn_class(name, sub)  # before our mixins: the cheaper import order
            cls = _make(kind, base, module=fullname)
            setattr(sys.modules[fullname], name, cls)
            return cls
        if name in children():
            return importlib.import_module(f"{fullname}.{name}")
        raise _unknown(kind, name, fullname)

    def __dir__():
        return sorted(entries() | children())

    return __getattr__, __dir__, sorted(entries())


def _ext_attrs(kind, fullname, base_module):
    """``__getattr__`` of ``<ns>._ext.<module>``: variants of that module's classes."""

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            base = getattr(importlib.import_module(base_module), name)
        except (ImportError, AttributeError) as err:
            raise AttributeError(
                f"module {fullname!r} has no attribute {name!r}: {base_module}.{name} "
                "could not be imported."
            ) from err
        return _make(kind, base, module=fullname)

    return __getattr__


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import hook building the mirrored and ``_ext`` modules of the namespaces."""

    def __init__(self):
        self.kinds = {}  # namespace name -> kind mixin

    def _target(self, fullname):
        for ns, kind in self.kinds.items():
            if fullname.startswith(ns + "."):
                return ns, kind, fullname[len(ns) + 1:]
        return None

    def find_spec(self, fullname, path=None, target=None):
        found = self._target(fullname)
        if found is None:
            return None
        ns, kind, rest = found
        if rest == _EXT or rest.startswith(_EXT + ".") or rest in _modules(kind):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        _explain_missing(fullname)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        ns, kind, rest = self._target(module.__name__)
        module.__path__ = []
        if rest == _EXT:
            module.__doc__ = f"Variants of classes outside scikit-learn, by module ({ns}.variant)."
            module.__getattr__ = _ext_attrs(kind, module.__name__, "")
            return
        if rest.startswith(_EXT + "."):
            base_module = rest[len(_EXT) + 1:]
            module.__doc__ = f"{ns} variants of the classes of {base_module}."
            module.__getattr__ = _ext_attrs(kind, module.__name__, base_module)
            return
        getattr_, dir_, names = _mirror_attrs(kind, module.__name__, rest)
        module.__doc__ = f"{ns} variants of the estimators of sklearn.{rest}."
        module.__getattr__ = getattr_
        module.__dir__ = dir_
        module.__all__ = names


def _explain_missing(fullname):
    """Raise the namespace's own reason when ``from <namespace> import Name`` fails.

    ``from pkg import Name`` tries to import ``pkg.Name`` when ``pkg`` has no attribute
    ``Name``, and then reports only "cannot import name ... (unknown location)". For a
    class-like name our module ``__getattr__`` refused, raise its message instead, as
    an ``ImportError``, so the user reads why (e.g. the estimator has no
    ``partial_fit``) and what to import.
    """
    parent, _, name = fullname.rpartition(".")
    module = sys.modules.get(parent)
    if module is None or not name[:1].isupper():
        return
    try:
        getattr(module, name)
    except AttributeError as err:
        raise ImportError(f"cannot import name {name!r} from {parent!r}: {err}",
                          name=parent) from err


_FINDER = _Finder()


def install(name, kind):
    """Make module ``name`` the namespace of ``kind``'s variants.

    ``kind`` names the mixin as ``"package.module:Class"``; it is imported when the first
    variant is made, after the scikit-learn module that defines the estimator, so that
    importing a namespace imports no part of scikit-learn (and importing one variant
    costs about what importing its scikit-learn module and ``dask.array`` costs).

    Returns
    -------
    __getattr__, __dir__, variant
        To be bound at module level by the namespace package.
    """
    _FINDER.kinds[name] = kind
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)

    def tops():
        return {m.split(".")[0] for m in _entries(kind).values()}

    def __getattr__(attr):
        if attr.startswith("__"):  # dunders (``__path__``, ``__wrapped__``): plain misses
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        entries = _entries(kind)
        if attr in entries:
            module = importlib.import_module(f"{name}.{entries[attr]}")
            return getattr(module, attr)
        if attr == _EXT or attr in tops():
            return importlib.import_module(f"{name}.{attr}")
        raise _unknown(kind, attr, name)

    def __dir__():
        return sorted(set(_entries(kind)) | tops() | {"variant"})

    def variant(cls):
        """Return the variant class of estimator class ``cls`` (any scikit-learn-API class).

        The same class object comes back for the same ``cls``. It pickles by reference:
        scikit-learn's classes through the mirrored module, others through
        ``<namespace>._ext.<cls.__module__>``.
        """
        return _make(kind, cls)

    variant.__qualname__ = "variant"
    variant.__module__ = name
    return __getattr__, __dir__, variant

