"""What the factory synthesises: conditional methods keep scikit-learn's reason."""
import pytest
from sklearn.linear_model import SGDClassifier
from sklearn.svm import SVC

from dask_variants import iid, incremental


@pytest.mark.parametrize("variant, base, inner", [
    (incremental.SGDClassifier, SGDClassifier, "probability estimates are not available for "
                                               "loss='hinge'"),
    (iid.SGDClassifier, SGDClassifier, "probability estimates are not available for "
                                       "loss='hinge'"),
    (iid.SVC, SVC, "predict_proba is not available when probability=False"),
])
def test_conditional_method_error_has_scikit_learns_cause(variant, base, inner):
    errors = []
    for cls in (base, variant):
        with pytest.raises(AttributeError, match="has no attribute 'predict_proba'") as info:
            cls().predict_proba
        assert isinstance(info.value.__cause__, AttributeError)
        assert inner in str(info.value.__cause__)
        assert info.value.__cause__.__context__ is None  # no loop back to the base's error
        errors.append(str(info.value))
    assert errors[0] == errors[1]
    assert not hasattr(variant(), "predict_proba")
    assert hasattr(variant(loss="log_loss") if variant is not iid.SVC else variant(probability=True),
                   "predict_proba")


def test_conditional_method_causes_match_the_base_for_every_stacking_estimator():
    from sklearn.ensemble import StackingClassifier

    from dask_variants.iid import StackingClassifier as Variant

    causes = []
    for cls in (StackingClassifier, Variant):
        with pytest.raises(AttributeError) as info:
            cls(estimators=[("svc", SVC())]).predict_proba  # unfitted: its check raises
        cause = info.value.__cause__
        causes.append((type(cause), str(cause)))
    assert causes[0] == causes[1]
