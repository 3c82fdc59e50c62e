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
    score = getattr(cls, "score", None)
    if score is None:
        return None
    for spec, rule in _SCORE_RULES.items():
        owner = find_class(*spec.split(":"))
        if owner is not None and getattr(owner, "score", None) is score:
            return rule
    return None
