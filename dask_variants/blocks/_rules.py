"""Behaviour chosen by what an estimator is, never by what its class is called.

A rule names a scikit-learn class by module and name; it applies to an estimator whose
class *is* that class or derives from it (``isinstance``), or, for a method rule, whose
resolved method *is* that class's (``type(est).score is KMeans.score``). A third-party
class that happens to share a name matches nothing; a plain subclass keeps the rule.
Modules are looked up in ``sys.modules`` only: an estimator cannot be an instance of a
class whose module was never imported, so asking imports nothing.
"""
import sys

__all__ = []


def find_class(module, name):
    """The class ``module.name`` if its module is imported, else ``None``."""
    mod = sys.modules.get(module)
    return None if mod is None else getattr(mod, name, None)


def is_a(est, *names):
    """True when ``est`` (an instance or a class) derives from one of ``names``.

    ``names`` are ``"module:Class"`` strings, e.g. ``"sklearn.preprocessing:LabelEncoder"``.
    """
    cls = est if isinstance(est, type) else type(est)
    for spec in names:
        found = find_class(*spec.split(":"))
        if isinstance(found, type) and issubclass(cls, found):
            return True
    return False


def match_class(est, table, *, exact=False):
    """The value ``table`` gives ``est``'s class (an instance or a class), or ``None``.

    ``table`` maps ``"module:Class"`` to anything (a rule, a name...). The entry of the
    nearest class of ``est``'s MRO wins, so a subclass inherits its base's entry and may
    have its own; with ``exact=True`` only the class itself counts (for rules a subclass
    may invalidate by overriding a method). The one lookup every rule table uses.
    """
    cls = est if isinstance(est, type) else type(est)
    found = {}
    for spec, value in table.items():
        owner = find_class(*spec.split(":"))
        if isinstance(owner, type):
            found.setdefault(owner, value)
    if exact:
        return found.get(cls)
    for klass in cls.__mro__:
        if klass in found:
            return found[klass]
    return None


def match_method(est, method, table):
    """The value of the ``table`` entry whose class's ``method`` *is* ``est``'s, or None.

    Decided by the resolved function (``type(est).score is KMeans.score``): a subclass
    that keeps the method keeps the entry, one that overrides it loses it.
    """
    cls = est if isinstance(est, type) else type(est)
    resolved = getattr(cls, method, None)
    if resolved is None:
        return None
    for spec, value in table.items():
        owner = find_class(*spec.split(":"))
        if owner is not None and getattr(owner, method, None) is resolved:
            return value
    return None


#: ``score`` methods that are a sum ("sum") or a row-weighted mean ("mean") over rows
_SCORE_RULES = {
    "sklearn.cluster:KMeans": "sum",          # also MiniBatchKMeans and BisectingKMeans
    "sklearn.cluster:BisectingKMeans": "sum",
    "sklearn.neighbors:KernelDensity": "sum",
    "sklearn.decomposition:PCA": "mean",
    "sklearn.decomposition:FactorAnalysis": "mean",
    "sklearn.mixture:GaussianMixture": "mean",  # also BayesianGaussianMixture
}


def score_rule(cls):
    """``"sum"`` or ``"mean"`` when ``cls.score`` decomposes over row blocks, else None.

    Decided by the resolved method: ``cls.score`` must be the very function of one of
    the listed classes (inherited or not).
    """
    return match_method(cls, "score", _SCORE_RULES)


def score_plan(cls):
    """How ``cls.score`` is computed on dask input, decided once for every caller.

    Returns
    -------
    {"metric", "sum", "mean", None}
        ``"metric"``: it is scikit-learn's default (``ClassifierMixin.score`` accuracy,
        ``RegressorMixin.score`` R^2), computed blockwise by a scorer; ``"sum"`` /
        ``"mean"``: it decomposes over the blocks (:func:`score_rule`); ``None``: it has
        no blockwise form (or ``cls`` has no ``score``), so the data go into memory.
    """
    score = getattr(cls, "score", None)
    if score is None:
        return None
    for spec in ("sklearn.base:ClassifierMixin", "sklearn.base:RegressorMixin"):
        mixin = find_class(*spec.split(":"))
        if mixin is not None and score is mixin.score:
            return "metric"
    return score_rule(cls)
