"""scikit-learn's own estimator checks over every variant.

A variant must fail no check of ``sklearn.utils.estimator_checks.check_estimator`` that
its scikit-learn class passes. Each variant is built with the parameters scikit-learn's
test suite uses for its base (``_construct_instances``), and is given the base's per-check
parameters and expected failures. When a check fails on the variant, the same check runs
on the base: the test fails only when the base passes it.

Cost: every check on every variant, about 3.5 minutes of one core on an idle machine
(plus the checks that fail re-run on the base alone), most of it scikit-learn's own checks
of its slow meta-estimators (CalibratedClassifierCV, TunedThresholdClassifierCV, RFECV,
the searches), as slow on the base. The README's command sets
``DASK_VARIANTS_TEST_SAMPLE=1``: every check, on one variant per scikit-learn module and
namespace (``tests.checks.all_variant_classes``); unset, every variant.
"""
import warnings

import pytest
from sklearn.utils._test_common.instance_generator import (
    PER_ESTIMATOR_CHECK_PARAMS,
    _construct_instances,
    _get_expected_failed_checks,
)
from sklearn.utils.estimator_checks import (
    _check_name,
    check_estimator,
    estimator_checks_generator,
)

from dask_variants._variants._protocol import sklearn_base
from tests.checks import all_variant_classes, variant_id


def _failures(est, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, expected_failed_checks=expected, on_fail=None)
    return {r["check_name"]: r["exception"] for r in results if r["status"] == "failed"}


def _base_fails(base, expected, names):
    """Which of the checks ``names`` fail on ``base`` (those alone are run)."""
    failing = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for est, check in estimator_checks_generator(base, expected_failed_checks=expected):
            name = _check_name(check)
            if name not in names:
                continue
            try:
                check(est)
            except Exception:  # SkipTest included: the base does not pass it
                failing.add(name)
    return failing


def _instances(Variant):
    Base = sklearn_base(Variant)
    try:
        bases = list(_construct_instances(Base))
    except Exception as err:  # FrozenEstimator: scikit-learn does not check it either
        pytest.skip(f"scikit-learn does not check {Base.__name__}: {err}")
    for base in bases:
        yield base, Variant(**base.get_params(deep=False))


@pytest.mark.parametrize("Variant", all_variant_classes(), ids=variant_id)
def test_variant_passes_the_checks_its_base_passes(Variant, monkeypatch):
    Base = sklearn_base(Variant)
    if Base in PER_ESTIMATOR_CHECK_PARAMS:
        monkeypatch.setitem(PER_ESTIMATOR_CHECK_PARAMS, Variant, PER_ESTIMATOR_CHECK_PARAMS[Base])
    for base, variant in _instances(Variant):
        expected = _get_expected_failed_checks(base)
        failed = _failures(variant, expected)
        if not failed:
            continue
        base_failed = _base_fails(base, expected, set(failed))
        extra = {name: exc for name, exc in failed.items() if name not in base_failed}
        assert not extra, "\n".join(f"{name}: {exc!r}" for name, exc in extra.items())
