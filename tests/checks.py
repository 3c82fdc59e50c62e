"""How the per-variant suites build, name and sample the variants.

The checks themselves are public, in ``dask_variants.utils.estimator_checks``
(``variant_checks``, ``check_variant``), so that a user can run them on the variant of
their own estimator. What is specific to this test suite stays here: ``build(Variant)``
makes an instance with the parameters scikit-learn's own test suite uses for the base
class (its private ``_construct_instances``: meta-estimators get their sub-estimators),
``all_variant_classes()`` samples the variants, ``random_methods(Variant)`` says which of
scikit-learn's methods draw fresh random numbers per call.
"""
import os
import zlib

from sklearn.base import is_regressor
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.neural_network import BernoulliRBM
from sklearn.utils._test_common.instance_generator import _construct_instances

from dask_variants._variants._protocol import sklearn_base
from dask_variants.mixins import IncrementalMixin
from dask_variants.utils.discovery import all_variants
from dask_variants.utils._check_data import no_compute  # noqa: F401 (shared with tests)

#: scikit-learn classes whose methods draw fresh random numbers on every call, so that a
#: call per block cannot equal one call on all rows (no tag says so): only their shape
#: and dtype are compared
RANDOM_METHODS = {
    BernoulliRBM: {"score_samples"},  # corrupts one random feature per row
    DummyClassifier: {"predict", "predict_proba", "predict_log_proba"},  # "stratified"
}


def random_methods(Variant):
    """The methods of ``Variant`` that ``RANDOM_METHODS`` lists for its base or a parent."""
    Base = sklearn_base(Variant)
    return set().union(*(m for cls, m in RANDOM_METHODS.items() if issubclass(Base, cls)))


def variant_id(Variant):
    """``iid.ensemble.GradientBoostingClassifier``."""
    return Variant.__module__.replace("dask_variants.", "") + "." + Variant.__name__


def check_id(check):
    return check.__name__


def build(Variant):
    """An instance of ``Variant`` with the parameters scikit-learn tests its base with.

    Raises ``unittest.SkipTest`` where scikit-learn builds none (``FrozenEstimator``).
    The checks seed it and fix its block order on their own copy.
    """
    Base = sklearn_base(Variant)
    base = next(iter(_construct_instances(Base)))
    params = base.get_params(deep=False)
    if issubclass(Variant, IncrementalMixin):
        inner = params.get("estimator")
        if inner is not None and not hasattr(inner, "partial_fit"):
            # meta-estimators learn incrementally only around an incremental estimator
            params["estimator"] = SGDRegressor() if is_regressor(base) else SGDClassifier()
    return Variant(**params)


#: environment variable: run the per-variant suites on a sample of the variants
SAMPLE_VARIABLE = "DASK_VARIANTS_TEST_SAMPLE"


def all_variant_classes():
    """Every variant; with ``DASK_VARIANTS_TEST_SAMPLE=k``, a deterministic sample.

    The sample takes, in each namespace, ``k`` variants of every mirrored scikit-learn
    module (all of them where a module has fewer), chosen by a stable hash of the name,
    so every module, both namespaces and so every kind of estimator stay covered, and
    every check still runs on each variant chosen. Unset (the default, the README's
    command) runs every variant.
    """
    variants = all_variants()
    k = os.environ.get(SAMPLE_VARIABLE, "")
    if not k:
        return variants
    if not k.isdigit() or int(k) < 1:
        raise ValueError(f"{SAMPLE_VARIABLE}={k!r}: give a positive number of variants "
                         "per module, or leave it unset to test every variant.")
    groups = {}
    for V in variants:
        groups.setdefault(V.__module__, []).append(V)
    chosen = set()
    for group in groups.values():
        group.sort(key=lambda V: zlib.crc32(V.__name__.encode()))
        chosen.update(group[:int(k)])
    return [V for V in variants if V in chosen]
