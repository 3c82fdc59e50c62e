"""Every scikit-learn estimator, the public module that exposes it, and whether it has
``partial_fit``: the catalog the namespaces are built from.

:func:`load` returns the catalog of the *installed* scikit-learn, so that the namespaces
list exactly its estimators:

- for scikit-learn ``SKLEARN_VERSION`` it is ``CATALOG`` below, shipped with the package
  (importing this module imports nothing, and ``load`` reads the installed version from
  ``sklearn/__init__.py`` without importing scikit-learn);
- for any other version it is built once from ``sklearn.utils.all_estimators()`` in a
  child interpreter (a few seconds: it imports all of scikit-learn, which the user's
  process is spared) and cached as JSON in the ``dask_variants.catalog-cache`` directory,
  keyed by the scikit-learn version; the next interpreter reads the file. Without a
  writable cache it is built in every interpreter that needs it.

Regenerate ``CATALOG`` with ``python -m dask_variants._variants._catalog`` after upgrading the
scikit-learn the package is developed against; ``tests/_variants/test_catalog.py`` checks
:func:`load` against ``sklearn.utils.all_estimators()``.
"""

#: scikit-learn version the catalog was generated from
SKLEARN_VERSION = "1.9.1"

#: experimental estimators and the ``sklearn.experimental`` module that enables them
EXPERIMENTAL = {'HalvingGridSearchCV': 'enable_halving_search_cv', 'HalvingRandomSearchCV': 'enable_halving_search_cv', 'IterativeImputer': 'enable_iterative_imputer'}

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


class Catalog(tuple):
    """``(version, experimental, entries)`` of one scikit-learn: ``entries`` maps a name to
    ``(module below sklearn, has partial_fit)``, ``experimental`` a name to the
    ``sklearn.experimental`` module that enables it."""

    __slots__ = ()

    def __new__(cls, version, experimental, entries):
        return tuple.__new__(cls, (version, experimental, entries))

    version = property(lambda self: self[0])
    experimental = property(lambda self: self[1])
    entries = property(lambda self: self[2])


_FORMAT = 1  # bump when the cached JSON changes shape
_LOADED = None


def load():
    """Return the :class:`Catalog` of the installed scikit-learn (built once per process).

    Raises
    ------
    RuntimeError
        If the catalog of a scikit-learn version this package does not ship cannot be
        built (the child interpreter's error is chained).
    """
    global _LOADED
    if _LOADED is None:
        version, init = _installed()
        if version == SKLEARN_VERSION:
            _LOADED = Catalog(SKLEARN_VERSION, EXPERIMENTAL, CATALOG)
        else:
            _LOADED = _cached(version, init)
    return _LOADED


def _installed():
    """``(version, path of __init__.py)`` of the scikit-learn ``import sklearn`` finds.

    Read from its ``__init__.py`` without importing it (listing a namespace imports no
    scikit-learn); imported only if that file does not spell ``__version__ = "..."``.
    """
    import importlib.util
    import re
    import sys

    module = sys.modules.get("sklearn")
    if module is None:
        spec = importlib.util.find_spec("sklearn")
        if spec is not None and spec.origin:
            try:
                with open(spec.origin, encoding="utf-8") as f:
                    found = re.search(r"^__version__ = [\"']([^\"']+)[\"']", f.read(), re.M)
            except OSError:
                found = None
            if found:
                return found.group(1), spec.origin
        import sklearn as module
    return module.__version__, module.__file__


def _cache_file(version, init):
    """The JSON file caching the catalog of scikit-learn ``version``, or None when off.

    The name carries the version; a development build (``1.10.dev0``, ``1.9.1+git``)
    also carries the modification time of its ``__init__.py``, as its estimators change
    without a new version.
    """
    import os

    import dask.config

    where = dask.config.get("dask_variants.catalog-cache", None)
    if where is False:
        return None
    if where in (None, True):
        base = os.environ.get("XDG_CACHE_HOME") or (
            os.environ.get("LOCALAPPDATA") if os.name == "nt" else None
        ) or os.path.join(os.path.expanduser("~"), ".cache")
        where = os.path.join(base, "dask_variants")
    key = version
    if "dev" in key or "+" in key:
        key += "-" + str(os.stat(init).st_mtime_ns)
    key = "".join(c if c.isalnum() or c in ".-" else "_" for c in key)
    return os.path.join(os.fspath(where), f"catalog-sklearn-{key}-v{_FORMAT}.json")


def _cached(version, init):
    """Read ``version``'s catalog from the cache, building and writing it if needed."""
    import json
    import logging
    import os
    import tempfile

    log = logging.getLogger(__name__)
    path = _cache_file(version, init)
    if path is not None and os.path.exists(path):
        try:
            with open(path) as f:
                found = _from_json(json.load(f), version)
        except (OSError, ValueError, KeyError, TypeError) as err:
            log.debug("rebuilding the unreadable catalog cache %s: %r", path, err)
        else:
            return found
    data = _build_in_child(version)
    found = _from_json(data, version)
    if path is not None:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(data, f, indent=0, sort_keys=True)
            os.replace(tmp, path)  # atomic: a concurrent reader sees all or nothing
        except OSError as err:
            log.debug("could not cache the catalog at %s: %r", path, err)
    return found


def _from_json(data, version):
    """A :class:`Catalog` from the JSON of :func:`_build`, checked against ``version``."""
    if data["format"] != _FORMAT or data["sklearn_version"] != version:
        raise ValueError(
            f"catalog of scikit-learn {data['sklearn_version']} (format {data['format']}), "
            f"expected {version} (format {_FORMAT})"
        )
    entries = {str(n): (str(m), bool(p)) for n, (m, p) in data["catalog"].items()}
    experimental = {str(n): str(e) for n, e in data["experimental"].items()}
    return Catalog(version, experimental, entries)


def _build_in_child(version):
    """Run :func:`_build` in a fresh interpreter with this one's ``sys.path``."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    cmd = [sys.executable, "-m", "dask_variants._variants._catalog", "--json"]
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    except (OSError, ValueError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", None) or err
        raise RuntimeError(
            f"dask_variants could not list the estimators of the installed scikit-learn "
            f"{version} (it ships the list of {SKLEARN_VERSION} only): "
            f"{' '.join(cmd)} failed with:\n{detail}\nInstall scikit-learn "
            f"{SKLEARN_VERSION}, or report this with the output above."
        ) from err


def _build():
    """The catalog of the installed scikit-learn as JSON-ready data.

    Meant for a fresh interpreter: it imports all of scikit-learn, and enables the
    experimental estimators one ``sklearn.experimental`` module at a time to learn which
    module enables which (``all_estimators()`` lists them once enabled).
    """
    import importlib
    import pkgutil
    import warnings

    import sklearn
    import sklearn.experimental
    from sklearn.utils import all_estimators

    enablers = sorted(
        name for _, name, _ in pkgutil.iter_modules(sklearn.experimental.__path__)
        if name.startswith("enable_")
    )
    found = dict(all_estimators())
    experimental = {}
    for enabler in enablers:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated no-op enablers warn
            importlib.import_module(f"sklearn.experimental.{enabler}")
        now = dict(all_estimators())
        experimental.update({name: enabler for name in set(now) - set(found)})
        found = now
    catalog = {}
    for name, cls in sorted(found.items()):
        parts = []
        for part in cls.__module__.split("."):
            if part.startswith("_"):
                break
            parts.append(part)
        public = ".".join(parts)
        if getattr(importlib.import_module(public), name, None) is not cls:
            raise RuntimeError(f"{name} is not exposed by {public}")
        catalog[name] = [public[len("sklearn."):], hasattr(cls, "partial_fit")]
    return {"format": _FORMAT, "sklearn_version": sklearn.__version__,
            "experimental": dict(sorted(experimental.items())), "catalog": catalog}


def _generate():
    """Return the text of this module for the installed scikit-learn."""
    import inspect

    data = _build()
    lines = [f"    {name!r}: ({module!r}, {partial})," for name, (module, partial)
             in sorted(data["catalog"].items())]
    with open(inspect.getsourcefile(_generate)) as f:
        source = f.read()
    head, _, _ = source.partition("#: scikit-learn version")
    tail = source[source.index("\n\nclass Catalog"):]
    return (
        head
        + "#: scikit-learn version the catalog was generated from\n"
        + f'SKLEARN_VERSION = "{data["sklearn_version"]}"\n\n'
        + "#: experimental estimators and the ``sklearn.experimental`` module that enables them\n"
        + f"EXPERIMENTAL = {data['experimental']!r}\n\n"
        + "#: name -> (module below ``sklearn``, has partial_fit)\n"
        + "CATALOG = {\n" + "\n".join(lines) + "\n}\n" + tail
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--json"]:
        import json

        json.dump(_build(), sys.stdout)
    else:
        import inspect

        text = _generate()
        with open(inspect.getsourcefile(_generate), "w") as f:
            f.write(text)
