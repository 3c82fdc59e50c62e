"""The factory and what it synthesises: one class per (kind, base), the base's signature
and doc, the knobs, conditional methods with scikit-learn's reason."""
import inspect

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import SGDClassifier
from sklearn.svm import SVC
from sklearn.utils._available_if import available_if

from dask_variants import iid, incremental
from dask_variants._variants._factory import make_variant
from dask_variants._variants._protocol import sklearn_base
from dask_variants.mixins import BlockwisePredictMixin, IIDMixin, IncrementalMixin


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


# --------------------------------------------------------------------------- the factory


class _Scaler(TransformerMixin, BaseEstimator):
    """A small third-party estimator: fit, partial_fit, a conditional method."""

    def __init__(self, scale=2.0, *, clip=None):
        self.scale = scale
        self.clip = clip

    def fit(self, X, y=None):
        """Fit docstring of _Scaler."""
        self.n_features_in_ = np.shape(X)[1]
        return self

    def partial_fit(self, X, y=None):
        return self.fit(X, y)

    def transform(self, X):
        return np.asarray(X) * self.scale

    def _has_clip(self):
        return self.clip is not None

    @available_if(_has_clip)
    def clipped(self, X):
        return np.clip(X, None, self.clip)


def test_factory_one_class_per_kind_and_base_with_the_kinds_companions():
    Inc = make_variant(IncrementalMixin, _Scaler)
    assert make_variant(IncrementalMixin, _Scaler) is Inc
    assert incremental.variant(_Scaler) is Inc
    assert Inc.__bases__ == (IncrementalMixin, *IncrementalMixin._companions, _Scaler)
    assert IncrementalMixin._companions == (BlockwisePredictMixin,)
    Iid = make_variant(IIDMixin, _Scaler)
    assert Iid is not Inc and Iid.__bases__[0] is IIDMixin
    assert sklearn_base(Inc) is sklearn_base(Iid) is _Scaler
    assert (Inc.__name__, Inc.__qualname__) == ("_Scaler", "_Scaler")
    assert Inc.__module__ == f"dask_variants.incremental._ext.{_Scaler.__module__}"


def test_factory_knobs_are_keyword_only_after_the_base_parameters():
    Inc = make_variant(IncrementalMixin, _Scaler)
    params = inspect.signature(Inc.__init__).parameters
    assert list(params)[:3] == ["self", "scale", "clip"]
    for name, default in IncrementalMixin._extra_params.items():
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default == default
    est = Inc(3.0, epochs=2)
    assert est.get_params()["epochs"] == 2 and est.scale == 3.0
    with pytest.raises(TypeError):
        Inc(3.0, None, 2)  # the knobs cannot be given by position


def test_factory_methods_carry_the_base_signature_and_doc_and_stay_conditional():
    Inc = make_variant(IncrementalMixin, _Scaler)
    assert inspect.signature(Inc.fit) == inspect.signature(_Scaler.fit)
    assert "Fit docstring of _Scaler." in Inc.fit.__doc__
    assert not hasattr(Inc(), "clipped") and hasattr(Inc(clip=1.0), "clipped")
    assert not hasattr(Inc(), "predict")  # the base has none: neither has the variant
    assert "Original documentation" in Inc.__doc__ and "epochs" in Inc.__doc__


def test_factory_rejects_what_is_not_a_variant_mixin_or_a_knob_clash():
    with pytest.raises(TypeError, match="expects a variant mixin"):
        make_variant(TransformerMixin, _Scaler)

    class Clash(_Scaler):
        def __init__(self, scale=2.0, *, clip=None, epochs=1):
            super().__init__(scale, clip=clip)
            self.epochs = epochs

    with pytest.raises(TypeError, match=r"parameters \['epochs'\] collide"):
        make_variant(IncrementalMixin, Clash)


def test_factory_a_class_mixed_by_hand_gets_the_same_members():
    """``class V(IIDMixin, Base)`` written by a user is synthesised like a factory class."""

    class ByHand(IIDMixin, BlockwisePredictMixin, _Scaler):
        pass

    assert inspect.signature(ByHand.__init__) == inspect.signature(
        make_variant(IIDMixin, _Scaler).__init__)
    assert ByHand.fit.__doc__ == make_variant(IIDMixin, _Scaler).fit.__doc__
