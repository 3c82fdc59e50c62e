"""The scikit-learn internals dask-variants leans on, in one table.

Public scikit-learn (estimators, ``clone``, ``check_is_fitted``, ``available_if``, the
metrics, tags) is used directly everywhere. The names below are not public API: each
entry says where it lives, which releases have it as we use it, and why we need it.
Importing a name from this module imports its scikit-learn module then, not before.
``tests/test_sklearn_compat.py`` checks that every entry exists on the installed
scikit-learn; CI runs it on the oldest we accept (``.ci/oldest.txt``, 1.6.1) and the
newest.

"Checked from 1.6.1" means: present, as we use it, on every release we accept (the
oldest is 1.6.1); a release number before it is where it first appeared.

Two private module paths are matched as strings, not imported:
``sklearn.metrics._scorer`` (where scikit-learn's scorer objects are defined, to tell
them from metric functions: ``metrics/_scorer.py``, ``model_selection/_search_base.py``).

``INTERNALS`` are importable names (``from .._sklearn_compat import _unique``);
``CLASSES`` are private classes our rules match estimators against by identity
(:func:`spec` gives their ``"module:Class"`` for :func:`dask_variants.blocks._rules.is_a`,
which imports nothing); ``MEMBERS`` are private attributes and methods of public
classes that we read or call.
"""
from ._dask_compat import lazy_getattr

#: name -> (module, attribute, which releases have it as we use it, and what for)
INTERNALS = {
    "_AvailableIfDescriptor": (
        "sklearn.utils._available_if", "_AvailableIfDescriptor",
        "1.0 and later (with available_if): tells a conditional method from a plain one, "
        "so a variant's and a wrapper's methods stay conditional where the base's are",
    ),
    "_get_output_config": (
        "sklearn.utils._set_output", "_get_output_config",
        "1.2 and later (set_output): which container transform returns, so a dask "
        "frame's blocks get the pandas output set_output asked for",
    ),
    "_get_column_indices": (
        "sklearn.utils._indexing", "_get_column_indices",
        "checked from 1.6.1 (older releases had it in sklearn.utils): a "
        "ColumnTransformer's column selection, resolved on a frame's meta as it does",
    ),
    "_safe_indexing": (
        "sklearn.utils._indexing", "_safe_indexing",
        "checked from 1.6.1 (older releases had it in sklearn.utils): "
        "the same column selection applied to a block",
    ),
    "_unique": (
        "sklearn.utils._encode", "_unique",
        "checked from 1.6.1: the encoders' own sorted uniques (None and NaN handled as they "
        "do), so categories learned block by block equal a fit's",
    ),
    "_check_feature_names": (
        "sklearn.utils.validation", "_check_feature_names",
        "1.6 and later as a function (a BaseEstimator method before): a dask X's "
        "column names checked on its meta, before any block is computed",
    ),
    "_check_n_features": (
        "sklearn.utils.validation", "_check_n_features",
        "1.6 and later as a function (a BaseEstimator method before): the width check, "
        "on the meta, as scikit-learn's methods make it on each block",
    ),
    "_get_feature_names": (
        "sklearn.utils.validation", "_get_feature_names",
        "checked from 1.6.1: the column names an exact fit records as "
        "feature_names_in_, as scikit-learn's fit does (engine/_exact.py)",
    ),
    "_check_sample_weight": (
        "sklearn.utils.validation", "_check_sample_weight",
        "checked from 1.6.1: a block's sample_weight validated as the estimator's fit "
        "would (engine/rules/_base.py)",
    ),
    "_validate_shuffle_split": (
        "sklearn.model_selection._split", "_validate_shuffle_split",
        "checked from 1.6.1: train_test_split's size rules (defaults, rounding, errors), "
        "applied to a dask input's row count",
    ),
    "LinearModelLoss": (
        "sklearn.linear_model._linear_loss", "LinearModelLoss",
        "checked from 1.6.1: scikit-learn's own objective of the linear GLMs (loss, "
        "gradient, Hessian, penalty scaling), summed over blocks by the exact "
        "LogisticRegression and GLM rules (engine/rules/_glm.py)",
    ),
    "sandwich_dot": (
        "sklearn.linear_model._linear_loss", "sandwich_dot",
        "checked from 1.6.1: X.T @ diag(h) @ X of a dense or sparse block, as "
        "LinearModelLoss forms the Hessian (engine/rules/_glm.py)",
    ),
    "NewtonCholeskySolver": (
        "sklearn.linear_model._glm._newton_solver", "NewtonCholeskySolver",
        "checked from 1.6.1: scikit-learn's Newton-Cholesky iterations, run on the "
        "client with every loss/gradient/Hessian evaluation one pass (engine/rules/_glm.py)",
    ),
    "_check_optimize_result": (
        "sklearn.utils.optimize", "_check_optimize_result",
        "checked from 1.6.1: L-BFGS-B's n_iter_ and ConvergenceWarning as scikit-learn "
        "reports them (engine/rules/_glm.py)",
    ),
    "_check_solver": (
        "sklearn.linear_model._logistic", "_check_solver",
        "checked from 1.6.1: LogisticRegression's own solver/penalty checks, before any "
        "block is read (engine/rules/_glm.py)",
    ),
    "_LOGISTIC_SOLVER_CONVERGENCE_MSG": (
        "sklearn.linear_model._logistic", "_LOGISTIC_SOLVER_CONVERGENCE_MSG",
        "checked from 1.6.1 (a string): the ConvergenceWarning text LogisticRegression "
        "gives, so the exact fit's warning reads the same (engine/rules/_glm.py)",
    ),
    "HalfBinomialLoss": (
        "sklearn._loss.loss", "HalfBinomialLoss",
        "checked from 1.6.1: the binary logistic loss LogisticRegression fits "
        "(engine/rules/_glm.py)",
    ),
    "HalfMultinomialLoss": (
        "sklearn._loss.loss", "HalfMultinomialLoss",
        "checked from 1.6.1: the multinomial loss LogisticRegression fits "
        "(engine/rules/_glm.py)",
    ),
    "_get_mask": (
        "sklearn.utils._mask", "_get_mask",
        "checked from 1.6.1: which values count as missing (NaN, None, pd.NA, a number), "
        "as the imputers decide it (engine/rules/_impute.py)",
    ),
    "_most_frequent": (
        "sklearn.impute._base", "_most_frequent",
        "checked from 1.6.1: SimpleImputer's most frequent value and its tie rule, applied "
        "to the merged counts (engine/rules/_impute.py)",
    ),
    "_chisquare": (
        "sklearn.feature_selection._univariate_selection", "_chisquare",
        "checked from 1.6.1: chi2's statistic and p-values from the merged per-class "
        "sums, by scikit-learn's own formula (engine/rules/_select.py)",
    ),
    "_infer_dimension": (
        "sklearn.decomposition._pca", "_infer_dimension",
        "checked from 1.6.1: PCA's n_components='mle' choice from the explained "
        "variances, as its fit makes it (engine/rules/_decomposition.py)",
    ),
    "_document_frequency": (
        "sklearn.feature_extraction.text", "_document_frequency",
        "checked from 1.6.1: a sparse count block's document frequencies, as "
        "TfidfTransformer counts them (engine/rules/_text.py)",
    ),
    "_handle_zeros_in_scale": (
        "sklearn.preprocessing._data", "_handle_zeros_in_scale",
        "every release we accept: the scalers' scale_ from merged statistics, exactly "
        "as partial_fit derives it (engine/_merge.py)",
    ),
    "_is_constant_feature": (
        "sklearn.preprocessing._data", "_is_constant_feature",
        "checked from 1.6.1: StandardScaler's constant-feature mask, for the merged scale_",
    ),
    "_labels_inertia": (
        "sklearn.cluster._kmeans", "_labels_inertia",
        "checked from 1.6.1: KMeans's own E-step (labels, inertia) on a centred block, "
        "so an exact KMeans labels rows as fit does (engine/rules/_cluster.py)",
    ),
    "_euclidean_distances": (
        "sklearn.metrics.pairwise", "_euclidean_distances",
        "checked from 1.6.1: the squared distances k-means++ computes (given the rows' "
        "squared norms), for the exact KMeans's seeding",
    ),
    "_is_same_clustering": (
        "sklearn.cluster._k_means_common", "_is_same_clustering",
        "checked from 1.6.1: KMeans's rule for keeping the best of n_init runs",
    ),
    "_is_arraylike_not_scalar": (
        "sklearn.utils.validation", "_is_arraylike_not_scalar",
        "checked from 1.6.1: whether KMeans's init is an array, as its fit tells",
    ),
    "_openmp_effective_n_threads": (
        "sklearn.utils._openmp_helpers", "_openmp_effective_n_threads",
        "checked from 1.6.1: the _n_threads KMeans's fit records (its predict uses it)",
    ),
}

#: name -> (module, class, releases, why): private classes matched by identity
CLASSES = {
    "_BaseEncoder": (
        "sklearn.preprocessing._encoders", "_BaseEncoder",
        "every release we accept: OneHotEncoder, OrdinalEncoder and TargetEncoder learn "
        "categories_ from every partition",
    ),
    "BaseHistGradientBoosting": (
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting",
        "BaseHistGradientBoosting",
        "every release we accept: categorical_features='from_dtype' takes category "
        "columns of a frame",
    ),
    "_MultiOutputEstimator": (
        "sklearn.multioutput", "_MultiOutputEstimator",
        "every release we accept: one output per fitted estimator in the output meta",
    ),
}

#: ("module:Class", member) -> (releases, why): private members of public classes;
#: ``fitted`` members exist on a fitted instance only, ``instance`` ones once built
MEMBERS = {
    ("sklearn.base:BaseEstimator", "_validate_params"): (
        "class", "1.2 and later: a parameter error raised before any block is loaded"),
    ("sklearn.linear_model:SGDClassifier", "_parameter_constraints"): (
        "class", "1.2 and later: whether a class declares constraints to validate"),
    ("sklearn.preprocessing:StandardScaler", "_sklearn_auto_wrap_output_keys"): (
        "class", "1.2 and later: a variant wraps exactly the base's set_output methods"),
    ("sklearn.cross_decomposition:PLSRegression", "_predict_1d"): (
        "fitted", "checked from 1.6.1: whether predict returns 1-D, for the output meta"),
    ("sklearn.naive_bayes:MultinomialNB", "_update_feature_log_prob"): (
        "class", "every release we accept: merged counts finished as partial_fit does"),
    ("sklearn.naive_bayes:MultinomialNB", "_update_class_log_prior"): (
        "class", "every release we accept: as above, the class priors"),
    ("sklearn.naive_bayes:MultinomialNB", "_check_alpha"): (
        "class", "every release we accept: as above, the smoothing partial_fit uses"),
    **{("sklearn.compose:ColumnTransformer", member): ("class", why) for member, why in (
        ("_transformers", "checked from 1.6.1: the (name, transformer) pairs, whose setter "
         "keeps the columns, so the exact fit makes each transformer exact "
         "(engine/rules/_compose.py)"),
        ("_validate_transformers", "checked from 1.6.1: the exact fit runs scikit-learn's "
         "own fit_transform bookkeeping on a frame's meta (engine/rules/_compose.py)"),
        ("_validate_column_callables", "checked from 1.6.1: as above, the column "
         "selections (callables too) resolved on the meta"),
        ("_validate_remainder", "checked from 1.6.1: as above, the remainder's columns"),
        ("_iter", "checked from 1.6.1 (fitted, column_as_labels, skip_drop, "
         "skip_empty_columns): as above, the transformers to fit, as fit_transform lists them"),
        ("_update_fitted_transformers", "checked from 1.6.1: as above, transformers_"),
        ("_record_output_indices", "checked from 1.6.1: as above, output_indices_ from "
         "the widths of the outputs (only shape[1] is read)"),
    )},
    ("sklearn.cluster:KMeans", "_validate_center_shape"): (
        "class", "every release we accept: an exact KMeans checks its init array as "
                 "fit does, with its messages"),
    ("sklearn.metrics:make_scorer", "_score_func"): (
        "instance", "every release we accept: tells a scorer object from a metric "
                    "function given as scoring="),
}

__all__ = ["INTERNALS", "CLASSES", "MEMBERS", "spec", *INTERNALS]


def spec(name):
    """``"module:Class"`` of the private class ``name`` of :data:`CLASSES`, for ``is_a``."""
    module, attr, _ = CLASSES[name]
    return f"{module}:{attr}"


__getattr__ = lazy_getattr(INTERNALS, globals(), __name__)


def __dir__():
    return sorted(__all__)
