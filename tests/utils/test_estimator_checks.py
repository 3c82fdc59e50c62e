"""A user's view of ``dask_variants.utils.estimator_checks``: checking the variant of an
estimator of one's own, and seeing a broken one fail with the check named."""
import doctest

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from dask_variants import iid, incremental
from dask_variants.utils import estimator_checks
from dask_variants.utils.estimator_checks import check_variant, variant_checks

ALL = [
    "check_non_dask_input_equals_sklearn", "check_dask_input_equals_base_on_computed",
    "check_fit_returns_self", "check_clone_and_params_round_trip", "check_pickle_by_reference",
    "check_post_fit_methods_are_lazy", "check_hasattr_and_signature_parity",
]
DASK_INPUT = {"check_dask_input_equals_base_on_computed", "check_fit_returns_self",
              "check_post_fit_methods_are_lazy"}


class Centroids(ClassifierMixin, BaseEstimator):
    """Nearest class mean, from running sums: the same model whole or block by block.

    The means are shrunk towards 0 by ``prior_count`` rows, so that a second pass over the
    same rows (``epochs=2``) changes them.
    """

    def __init__(self, prior_count=1.0):
        self.prior_count = prior_count

    def fit(self, X, y):
        for attr in ("classes_", "sums_", "counts_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y, classes=None):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        if not hasattr(self, "classes_"):
            self.classes_ = np.unique(y) if classes is None else np.asarray(classes)
            self.sums_ = np.zeros((len(self.classes_), X.shape[1]))
            self.counts_ = np.zeros(len(self.classes_))
        rows = np.searchsorted(self.classes_, y)
        np.add.at(self.sums_, rows, X)
        self.counts_ += np.bincount(rows, minlength=len(self.classes_))
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        check_is_fitted(self)
        means = self.sums_ / (self.counts_ + self.prior_count)[:, None]
        return -((np.asarray(X, dtype=float)[:, None, :] - means) ** 2).sum(axis=-1)

    def predict(self, X):
        return self.classes_[self.decision_function(X).argmax(axis=1)]


class RecentMean(RegressorMixin, BaseEstimator):
    """Predicts the target's mean, later ``partial_fit`` calls weighing more: the model
    depends on the order and the number of passes over the blocks. ``random_state`` is
    only drawn on by the variants' knobs (``shuffle_blocks``, ``sample_choice``)."""

    def __init__(self, memory=0.5, random_state=None):
        self.memory = memory
        self.random_state = random_state

    def fit(self, X, y):
        self.__dict__.pop("mean_", None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y):
        y = np.asarray(y, dtype=float)
        previous = getattr(self, "mean_", y.mean())
        self.mean_ = self.memory * previous + (1 - self.memory) * y.mean()
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        check_is_fitted(self)
        return np.full(len(X), self.mean_)


class CallCentring(TransformerMixin, BaseEstimator):
    """Broken for blocks: centres the rows of each call on their own mean, so a row's
    output depends on the other rows of its block."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        return X - X.mean(axis=0)


class NoisyScores(Centroids):
    """``score_samples`` draws fresh noise, from ``random_state``, on every call."""

    def __init__(self, prior_count=1.0, random_state=None):
        super().__init__(prior_count=prior_count)
        self.random_state = random_state

    def score_samples(self, X):
        noise = check_random_state(self.random_state).normal(size=len(X))
        return self.decision_function(X).max(axis=1) + noise


class ForgetfulFit(iid.variant(Centroids)):
    """Broken: a variant whose ``fit`` returns None instead of the estimator."""

    def fit(self, X, y):
        super().fit(X, y)


class DictInput(BaseEstimator):
    """Tags say: takes dicts, not an array."""

    def fit(self, X, y=None):
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.dict, tags.input_tags.two_d_array = True, False
        return tags


class Kernel(Centroids):
    """Tags say: takes a precomputed n x n kernel."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = True
        return tags


@pytest.mark.parametrize("Estimator", [Centroids, RecentMean])
@pytest.mark.parametrize("namespace", [iid, incremental], ids=["iid", "incremental"])
def test_check_variant_passes_for_a_well_behaved_estimator(namespace, Estimator):
    Variant = namespace.variant(Estimator)
    assert [check.__name__ for check in variant_checks(Variant)] == ALL
    assert check_variant(Variant) is None
    # knobs the checks honour (epochs, sample_blocks) or fix on their copy (block order)
    knobs = ({"epochs": 2, "shuffle_blocks": True} if namespace is incremental
             else {"sample_blocks": 2, "sample_choice": "random"})
    assert check_variant(Variant(**knobs)) is None


def test_check_variant_names_the_check_a_block_dependent_method_fails():
    with pytest.raises(AssertionError, match=r"CallCentring fails 1 check\(s\): "
                                             r"check_dask_input_equals_base_on_computed\n") as info:
        check_variant(iid.variant(CallCentring))
    assert "transform(dask X) differs from the reference" in str(info.value)
    # the block-wise result really is wrong, so nothing should make it pass
    check_variant(iid.variant(CallCentring), checks=sorted(set(ALL) - {
        "check_dask_input_equals_base_on_computed"}))


def test_check_variant_names_the_checks_a_fit_that_does_not_return_self_fails():
    with pytest.raises(AssertionError) as info:
        check_variant(ForgetfulFit)
    message = str(info.value)
    assert message.startswith(f"{__name__}.ForgetfulFit fails 3 check(s): ")
    for name in ("check_non_dask_input_equals_sklearn", "check_fit_returns_self",
                 "check_dask_input_equals_base_on_computed"):
        assert f"\n{name}: AssertionError: fit(" in message
    assert "fit(dask X) returned None, not the estimator itself" in message
    assert isinstance(info.value.__cause__, AssertionError)  # the first failure, chained
    # one check at a time, as a test suite runs them
    failing = {check.__name__ for check in variant_checks(ForgetfulFit) if _fails(check)}
    assert failing == {"check_non_dask_input_equals_sklearn", "check_fit_returns_self",
                       "check_dask_input_equals_base_on_computed"}


def _fails(check):
    try:
        check(ForgetfulFit())
    except AssertionError:
        return True
    return False


def test_random_methods_compares_only_shape_and_dtype_of_the_methods_named():
    Variant = iid.variant(NoisyScores)
    with pytest.raises(AssertionError, match="check_dask_input_equals_base_on_computed"):
        check_variant(Variant)
    check_variant(Variant, random_methods={"score_samples"})
    checks = variant_checks(Variant, random_methods=["score_samples"])
    assert [check.__name__ for check in checks] == ALL


def test_checks_leave_the_instance_passed_unchanged():
    est = incremental.variant(NoisyScores)(prior_count=0.25, shuffle_blocks=True)
    before = est.get_params()
    for check in variant_checks(est, random_methods={"score_samples"}):
        check(est)
    assert est.get_params() == before  # random_state still None, shuffle_blocks still True
    assert not hasattr(est, "classes_")


def test_variant_checks_leave_out_dask_input_where_the_tags_say_no_row_blocks():
    for Variant in (iid.variant(DictInput), iid.variant(Kernel), incremental.variant(Kernel)):
        names = [check.__name__ for check in variant_checks(Variant)]
        assert names == [name for name in ALL if name not in DASK_INPUT], Variant


def test_check_variant_refuses_what_it_cannot_check():
    with pytest.raises(TypeError, match=r"is not a variant.*iid.variant\(Centroids\)"):
        check_variant(Centroids())
    with pytest.raises(ValueError, match=r"unknown check\(s\) \['check_speed'\]"):
        check_variant(iid.variant(Centroids), checks=["check_speed"])

    class NeedsArgument(Centroids):
        def __init__(self, prior_count):
            super().__init__(prior_count=prior_count)

    with pytest.raises(TypeError, match="cannot be built with default parameters.*instance"):
        variant_checks(iid.variant(NeedsArgument))
    assert len(variant_checks(iid.variant(NeedsArgument)(prior_count=0.1))) == len(ALL)
    # a meta-estimator whose default sub-estimator is None has no tags to choose by
    from sklearn.semi_supervised import SelfTrainingClassifier

    try:  # scikit-learn >= 1.7: no tags without a sub-estimator; 1.6 gives them
        SelfTrainingClassifier().__sklearn_tags__()
    except Exception:
        with pytest.raises(TypeError, match="default parameters has no tags.*sub-estimator"):
            variant_checks(iid.variant(SelfTrainingClassifier))
    else:
        assert variant_checks(iid.variant(SelfTrainingClassifier))
    assert len(variant_checks(iid.variant(SelfTrainingClassifier)(Centroids()))) == len(ALL)


def test_estimator_checks_examples_run():
    failed, attempted = doctest.testmod(estimator_checks)
    assert attempted and not failed
