"""check_variant passes for every exact variant of the scalers, naive Bayes,
feature selection and imputation family (fitted on every row, compared with
scikit-learn's fit on the same rows)."""
import pytest

from dask_variants import exact
from dask_variants.utils.estimator_checks import check_variant

NAMES = ["StandardScaler", "MinMaxScaler", "MaxAbsScaler", "GaussianNB", "MultinomialNB",
         "BernoulliNB", "ComplementNB", "CategoricalNB", "SimpleImputer", "MissingIndicator",
         "SelectKBest", "SelectPercentile", "SelectFpr", "SelectFdr", "SelectFwe",
         "VarianceThreshold"]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", NAMES)
def test_check_variant_passes(name):
    check_variant(getattr(exact, name))
