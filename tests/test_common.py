"""Every generated variant against every check of ``tests/checks.py``.

Ids read ``iid.ensemble.GradientBoostingClassifier-check_fit_returns_self``. Known
failures sit in ``KNOWN_FAILURES`` with their reasons, as strict xfails: a fix that makes
one pass turns the suite red until the entry is removed.
"""
import pytest

from tests import checks

#: (variant id, check name) -> reason
KNOWN_FAILURES = {
    ("iid.preprocessing.OneHotEncoder", "check_dask_input_equals_base_on_computed"): (
        "scikit-learn builds this OneHotEncoder with handle_unknown='ignore', whose "
        "inverse_transform is object only when some row is unknown; blockwise we cannot "
        "know, so it is declared object (README). Now that categories_ come from every "
        "block no row of the fit data is unknown and scikit-learn returns float64."
    ),
}


def _mark(request, Variant, check):
    reason = KNOWN_FAILURES.get((checks.variant_id(Variant), check.__name__))
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("check", checks.ALL_CHECKS, ids=checks.check_id)
@pytest.mark.parametrize("Variant", checks.all_variant_classes(), ids=checks.variant_id)
def test_variant(Variant, check, request):
    _mark(request, Variant, check)
    check(checks.build(Variant))
