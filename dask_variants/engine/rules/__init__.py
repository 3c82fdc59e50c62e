"""Exact all-rows fits, one rule per scikit-learn class: the ``exact`` namespace's list.

A rule (:class:`._base.Rule`) says how one scikit-learn class fits on every row of a
dask input as passes of the reduction engine (:mod:`dask_variants.engine._reduce`): a
statistic per block, merged in a tree, finished once into the fitted attributes that
scikit-learn's ``fit`` on the concatenated data sets. Rules are chosen by class
identity: a variant's scikit-learn base must *be* the listed class (a subclass may
change ``fit``, so it has no rule).

``RULES`` names both sides as strings, so reading the list (the ``exact`` namespace's
``dir()``) imports neither scikit-learn nor a rule module.
"""
import importlib

from ...blocks._rules import match_class

__all__ = []

#: "sklearn module:Class" -> "rule module (below this package):Rule class"
RULES = {
    # -- least squares (_linear) ------------------------------------------------------
    "sklearn.linear_model:LinearRegression": "_linear:LinearRegressionRule",
    "sklearn.linear_model:Ridge": "_linear:RidgeRule",

    # -- decomposition (_decomposition) -----------------------------------------------
    "sklearn.decomposition:PCA": "_decomposition:PCARule",
    "sklearn.decomposition:TruncatedSVD": "_decomposition:TruncatedSVDRule",


    # -- covariance, discriminant analysis, centroids (_covariance, _discriminant) -----
    "sklearn.covariance:EmpiricalCovariance": "_covariance:EmpiricalCovarianceRule",
    "sklearn.covariance:ShrunkCovariance": "_covariance:ShrunkCovarianceRule",
    "sklearn.covariance:LedoitWolf": "_covariance:LedoitWolfRule",
    "sklearn.covariance:OAS": "_covariance:OASRule",
    "sklearn.discriminant_analysis:LinearDiscriminantAnalysis":
        "_discriminant:LinearDiscriminantAnalysisRule",
    "sklearn.discriminant_analysis:QuadraticDiscriminantAnalysis":
        "_discriminant:QuadraticDiscriminantAnalysisRule",
    "sklearn.neighbors:NearestCentroid": "_discriminant:NearestCentroidRule",
    "sklearn.linear_model:RidgeClassifier": "_ridge_classifier:RidgeClassifierRule",


    # -- scalers, naive Bayes, feature selection, imputation (_preprocessing, ...) -----
    "sklearn.preprocessing:StandardScaler": "_preprocessing:PartialFitRule",
    "sklearn.preprocessing:MinMaxScaler": "_preprocessing:PartialFitRule",
    "sklearn.preprocessing:MaxAbsScaler": "_preprocessing:PartialFitRule",
    "sklearn.naive_bayes:GaussianNB": "_naive_bayes:GaussianNBRule",
    "sklearn.naive_bayes:MultinomialNB": "_naive_bayes:DiscreteNBRule",
    "sklearn.naive_bayes:BernoulliNB": "_naive_bayes:DiscreteNBRule",
    "sklearn.naive_bayes:ComplementNB": "_naive_bayes:DiscreteNBRule",
    "sklearn.naive_bayes:CategoricalNB": "_naive_bayes:CategoricalNBRule",
    "sklearn.feature_selection:SelectKBest": "_select:UnivariateSelectRule",
    "sklearn.feature_selection:SelectPercentile": "_select:UnivariateSelectRule",
    "sklearn.feature_selection:SelectFpr": "_select:UnivariateSelectRule",
    "sklearn.feature_selection:SelectFdr": "_select:UnivariateSelectRule",
    "sklearn.feature_selection:SelectFwe": "_select:UnivariateSelectRule",
    "sklearn.feature_selection:VarianceThreshold": "_variance:VarianceThresholdRule",
    "sklearn.impute:SimpleImputer": "_impute:SimpleImputerRule",
    "sklearn.impute:MissingIndicator": "_impute:MissingIndicatorRule",


    # -- text, dicts and labels (_text) -------------------------------------------------
    "sklearn.feature_extraction.text:CountVectorizer": "_text:CountVectorizerRule",
    "sklearn.feature_extraction.text:TfidfVectorizer": "_text:TfidfVectorizerRule",
    "sklearn.feature_extraction.text:TfidfTransformer": "_text:TfidfTransformerRule",
    "sklearn.feature_extraction:DictVectorizer": "_text:DictVectorizerRule",
    "sklearn.preprocessing:LabelBinarizer": "_text:LabelBinarizerRule",
    "sklearn.preprocessing:MultiLabelBinarizer": "_text:MultiLabelBinarizerRule",


    # -- composites (_compose) ----------------------------------------------------------
    "sklearn.pipeline:Pipeline": "_compose:PipelineRule",
    "sklearn.pipeline:FeatureUnion": "_compose:FeatureUnionRule",
    "sklearn.compose:ColumnTransformer": "_compose:ColumnTransformerRule",


    # -- iterative (_iterative / _glm / _cluster) -----------------------------------------
    "sklearn.linear_model:Lasso": "_iterative:LassoRule",
    "sklearn.linear_model:ElasticNet": "_iterative:ElasticNetRule",
    "sklearn.linear_model:LogisticRegression": "_glm:LogisticRegressionRule",
    "sklearn.linear_model:PoissonRegressor": "_glm:GLMRule",
    "sklearn.linear_model:GammaRegressor": "_glm:GLMRule",
    "sklearn.linear_model:TweedieRegressor": "_glm:GLMRule",
    "sklearn.cluster:KMeans": "_cluster:KMeansRule",

}


def exact_names():
    """The class names that have an exact rule (for the namespace's listing)."""
    return {spec.split(":")[1] for spec in RULES}


def rule_for(base):
    """The rule instance for scikit-learn class ``base``, or ``None``.

    ``base`` is a class (a variant's scikit-learn base); its module is looked up among
    those imported only, never imported to answer no.
    """
    target = match_class(base, RULES, exact=True)
    if target is None:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)()
