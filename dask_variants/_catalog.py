"""Generated: every scikit-learn estimator, the public module that exposes it, and
whether it has ``partial_fit``. Importing this module imports nothing.

Regenerate with ``python -m dask_variants._catalog`` after upgrading scikit-learn;
``tests/test_catalog.py`` checks it against ``sklearn.utils.all_estimators()``.
"""

#: scikit-learn version the catalog was generated from
SKLEARN_VERSION = "1.9.1"

#: experimental estimators and the ``sklearn.experimental`` module that enables them
EXPERIMENTAL = {'IterativeImputer': 'enable_iterative_imputer', 'HalvingGridSearchCV': 'enable_halving_search_cv', 'HalvingRandomSearchCV': 'enable_halving_search_cv'}

#: name -> (module below ``sklearn``, has partial_fit)
CATALOG = {
    'ARDRegression': ('linear_model', False),
    'AdaBoostClassifier': ('ensemble', False),
    'AdaBoostRegressor': ('ensemble', False),
    'AdditiveChi2Sampler': ('kernel_approximation', False),
    'AffinityPropagation': ('cluster', False),
    'AgglomerativeClustering': ('cluster', False),
    'BaggingClassifier': ('ensemble', False),
    'BaggingRegressor': ('ensemble', False),
    'BayesianGaussianMixture': ('mixture', False),
    'BayesianRidge': ('linear_model', False),
    'BernoulliNB': ('naive_bayes', True),
    'BernoulliRBM': ('neural_network', True),
    'Binarizer': ('preprocessing', False),
    'Birch': ('cluster', True),
    'BisectingKMeans': ('cluster', False),
    'CCA': ('cross_decomposition', False),
    'CalibratedClassifierCV': ('calibration', False),
    'CategoricalNB': ('naive_bayes', True),
    'ClassicalMDS': ('manifold', False),
    'ClassifierChain': ('multioutput', False),
    'ColumnTransformer': ('compose', False),
    'ComplementNB': ('naive_bayes', True),
    'CountVectorizer': ('feature_extraction.text', False),
    'DBSCAN': ('cluster', False),
    'DecisionTreeClassifier': ('tree', False),
    'DecisionTreeRegressor': ('tree', False),
    'DictVectorizer': ('feature_extraction', False),
    'DictionaryLearning': ('decomposition', False),
    'DummyClassifier': ('dummy', False),
    'DummyRegressor': ('dummy', False),
    'ElasticNet': ('linear_model', False),
    'ElasticNetCV': ('linear_model', False),
    'EllipticEnvelope': ('covariance', False),
    'EmpiricalCovariance': ('covariance', False),
    'ExtraTreeClassifier': ('tree', False),
    'ExtraTreeRegressor': ('tree', False),
    'ExtraTreesClassifier': ('ensemble', False),
    'ExtraTreesRegressor': ('ensemble', False),
    'FactorAnalysis': ('decomposition', False),
    'FastICA': ('decomposition', False),
    'FeatureAgglomeration': ('cluster', False),
    'FeatureHasher': ('feature_extraction', False),
    'FeatureUnion': ('pipeline', False),
    'FixedThresholdClassifier': ('model_selection', False),
    'FrozenEstimator': ('frozen', False),
    'FunctionTransformer': ('preprocessing', False),
    'GammaRegressor': ('linear_model', False),
    'GaussianMixture': ('mixture', False),
    'GaussianNB': ('naive_bayes', True),
    'GaussianProcessClassifier': ('gaussian_process', False),
    'GaussianProcessRegressor': ('gaussian_process', False),
    'GaussianRandomProjection': ('random_projection', False),
    'GenericUnivariateSelect': ('feature_selection', False),
    'GradientBoostingClassifier': ('ensemble', False),
    'GradientBoostingRegressor': ('ensemble', False),
    'GraphicalLasso': ('covariance', False),
    'GraphicalLassoCV': ('covariance', False),
    'GridSearchCV': ('model_selection', False),
    'HDBSCAN': ('cluster', False),
    'HalvingGridSearchCV': ('model_selection', False),
    'HalvingRandomSearchCV': ('model_selection', False),
    'HashingVectorizer': ('feature_extraction.text', True),
    'HistGradientBoostingClassifier': ('ensemble', False),
    'HistGradientBoostingRegressor': ('ensemble', False),
    'HuberRegressor': ('linear_model', False),
    'IncrementalPCA': ('decomposition', True),
    'IsolationForest': ('ensemble', False),
    'Isomap': ('manifold', False),
    'IsotonicRegression': ('isotonic', False),
    'IterativeImputer': ('impute', False),
    'KBinsDiscretizer': ('preprocessing', False),
    'KMeans': ('cluster', False),
    'KNNImputer': ('impute', False),
    'KNeighborsClassifier': ('neighbors', False),
    'KNeighborsRegressor': ('neighbors', False),
    'KNeighborsTransformer': ('neighbors', False),
    'KernelCenterer': ('preprocessing', False),
    'KernelDensity': ('neighbors', False),
    'KernelPCA': ('decomposition', False),
    'KernelRidge': ('kernel_ridge', False),
    'LabelBinarizer': ('preprocessing', False),
    'LabelEncoder': ('preprocessing', False),
    'LabelPropagation': ('semi_supervised', False),
    'LabelSpreading': ('semi_supervised', False),
    'Lars': ('linear_model', False),
    'LarsCV': ('linear_model', False),
    'Lasso': ('linear_model', False),
    'LassoCV': ('linear_model', False),
    'LassoLars': ('linear_model', False),
    'LassoLarsCV': ('linear_model', False),
    'LassoLarsIC': ('linear_model', False),
    'LatentDirichletAllocation': ('decomposition', True),
    'LedoitWolf': ('covariance', False),
    'LinearDiscriminantAnalysis': ('discriminant_analysis', False),
    'LinearRegression': ('linear_model', False),
    'LinearSVC': ('svm', False),
    'LinearSVR': ('svm', False),
    'LocalOutlierFactor': ('neighbors', False),
    'LocallyLinearEmbedding': ('manifold', False),
    'LogisticRegression': ('linear_model', False),
    'LogisticRegressionCV': ('linear_model', False),
    'MDS': ('manifold', False),
    'MLPClassifier': ('neural_network', True),
    'MLPRegressor': ('neural_network', True),
    'MaxAbsScaler': ('preprocessing', True),
    'MeanShift': ('cluster', False),
    'MinCovDet': ('covariance', False),
    'MinMaxScaler': ('preprocessing', True),
    'MiniBatchDictionaryLearning': ('decomposition', True),
    'MiniBatchKMeans': ('cluster', True),
    'MiniBatchNMF': ('decomposition', True),
    'MiniBatchSparsePCA': ('decomposition', False),
    'MissingIndicator': ('impute', False),
    'MultiLabelBinarizer': ('preprocessing', False),
    'MultiOutputClassifier': ('multioutput', True),
    'MultiOutputRegressor': ('multioutput', True),
    'MultiTaskElasticNet': ('linear_model', False),
    'MultiTaskElasticNetCV': ('linear_model', False),
    'MultiTaskLasso': ('linear_model', False),
    'MultiTaskLassoCV': ('linear_model', False),
    'MultinomialNB': ('naive_bayes', True),
    'NMF': ('decomposition', False),
    'NearestCentroid': ('neighbors', False),
    'NearestNeighbors': ('neighbors', False),
    'NeighborhoodComponentsAnalysis': ('neighbors', False),
    'Normalizer': ('preprocessing', False),
    'NuSVC': ('svm', False),
    'NuSVR': ('svm', False),
    'Nystroem': ('kernel_approximation', False),
    'OAS': ('covariance', False),
    'OPTICS': ('cluster', False),
    'OneClassSVM': ('svm', False),
    'OneHotEncoder': ('preprocessing', False),
    'OneVsOneClassifier': ('multiclass', True),
    'OneVsRestClassifier': ('multiclass', True),
    'OrdinalEncoder': ('preprocessing', False),
    'OrthogonalMatchingPursuit': ('linear_model', False),
    'OrthogonalMatchingPursuitCV': ('linear_model', False),
    'OutputCodeClassifier': ('multiclass', False),
    'PCA': ('decomposition', False),
    'PLSCanonical': ('cross_decomposition', False),
    'PLSRegression': ('cross_decomposition', False),
    'PLSSVD': ('cross_decomposition', False),
    'PassiveAggressiveClassifier': ('linear_model', True),
    'PassiveAggressiveRegressor': ('linear_model', True),
    'PatchExtractor': ('feature_extraction.image', False),
    'Perceptron': ('linear_model', True),
    'Pipeline': ('pipeline', False),
    'PoissonRegressor': ('linear_model', False),
    'PolynomialCountSketch': ('kernel_approximation', False),
    'PolynomialFeatures': ('preprocessing', False),
    'PowerTransformer': ('preprocessing', False),
    'QuadraticDiscriminantAnalysis': ('discriminant_analysis', False),
    'QuantileRegressor': ('linear_model', False),
    'QuantileTransformer': ('preprocessing', False),
    'RANSACRegressor': ('linear_model', False),
    'RBFSampler': ('kernel_approximation', False),
    'RFE': ('feature_selection', False),
    'RFECV': ('feature_selection', False),
    'RadiusNeighborsClassifier': ('neighbors', False),
    'RadiusNeighborsRegressor': ('neighbors', False),
    'RadiusNeighborsTransformer': ('neighbors', False),
    'RandomForestClassifier': ('ensemble', False),
    'RandomForestRegressor': ('ensemble', False),
    'RandomTreesEmbedding': ('ensemble', False),
    'RandomizedSearchCV': ('model_selection', False),
    'RegressorChain': ('multioutput', False),
    'Ridge': ('linear_model', False),
    'RidgeCV': ('linear_model', False),
    'RidgeClassifier': ('linear_model', False),
    'RidgeClassifierCV': ('linear_model', False),
    'RobustScaler': ('preprocessing', False),
    'SGDClassifier': ('linear_model', True),
    'SGDOneClassSVM': ('linear_model', True),
    'SGDRegressor': ('linear_model', True),
    'SVC': ('svm', False),
    'SVR': ('svm', False),
    'SelectFdr': ('feature_selection', False),
    'SelectFpr': ('feature_selection', False),
    'SelectFromModel': ('feature_selection', True),
    'SelectFwe': ('feature_selection', False),
    'SelectKBest': ('feature_selection', False),
    'SelectPercentile': ('feature_selection', False),
    'SelfTrainingClassifier': ('semi_supervised', False),
    'SequentialFeatureSelector': ('feature_selection', False),
    'ShrunkCovariance': ('covariance', False),
    'SimpleImputer': ('impute', False),
    'SkewedChi2Sampler': ('kernel_approximation', False),
    'SparseCoder': ('decomposition', False),
    'SparsePCA': ('decomposition', False),
    'SparseRandomProjection': ('random_projection', False),
    'SpectralBiclustering': ('cluster', False),
    'SpectralClustering': ('cluster', False),
    'SpectralCoclustering': ('cluster', False),
    'SpectralEmbedding': ('manifold', False),
    'SplineTransformer': ('preprocessing', False),
    'StackingClassifier': ('ensemble', False),
    'StackingRegressor': ('ensemble', False),
    'StandardScaler': ('preprocessing', True),
    'TSNE': ('manifold', False),
    'TargetEncoder': ('preprocessing', False),
    'TfidfTransformer': ('feature_extraction.text', False),
    'TfidfVectorizer': ('feature_extraction.text', False),
    'TheilSenRegressor': ('linear_model', False),
    'TransformedTargetRegressor': ('compose', False),
    'TruncatedSVD': ('decomposition', False),
    'TunedThresholdClassifierCV': ('model_selection', False),
    'TweedieRegressor': ('linear_model', False),
    'VarianceThreshold': ('feature_selection', False),
    'VotingClassifier': ('ensemble', False),
    'VotingRegressor': ('ensemble', False),
}


def _generate():
    """Return the text of this module for the installed scikit-learn."""
    import importlib
    import inspect

    import sklearn
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.utils import all_estimators

    experimental = {
        "IterativeImputer": "enable_iterative_imputer",
        "HalvingGridSearchCV": "enable_halving_search_cv",
        "HalvingRandomSearchCV": "enable_halving_search_cv",
    }
    lines = []
    for name, cls in all_estimators():
        parts = []
        for part in cls.__module__.split("."):
            if part.startswith("_"):
                break
            parts.append(part)
        public = ".".join(parts)
        assert getattr(importlib.import_module(public), name) is cls, (name, public)
        partial = hasattr(cls, "partial_fit")
        lines.append(f"    {name!r}: ({public[len('sklearn.'):]!r}, {partial}),")
    with open(inspect.getsourcefile(_generate)) as f:
        source = f.read()
    head, _, _ = source.partition("#: scikit-learn version")
    tail = source[source.index("\n\ndef _generate"):]
    return (
        head
        + "#: scikit-learn version the catalog was generated from\n"
        + f'SKLEARN_VERSION = "{sklearn.__version__}"\n\n'
        + "#: experimental estimators and the ``sklearn.experimental`` module that enables them\n"
        + f"EXPERIMENTAL = {experimental!r}\n\n"
        + "#: name -> (module below ``sklearn``, has partial_fit)\n"
        + "CATALOG = {\n" + "\n".join(lines) + "\n}\n" + tail
    )


if __name__ == "__main__":
    import inspect

    text = _generate()
    with open(inspect.getsourcefile(_generate), "w") as f:
        f.write(text)
