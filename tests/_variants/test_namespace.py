"""The namespaces: flat and mirrored names, lazy imports, errors, ``variant(cls)``."""
import inspect
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

import dask_variants.iid as iid
import dask_variants.incremental as incremental
from dask_variants._variants import _catalog
from dask_variants.mixins import BlockwisePredictMixin, IIDMixin, IncrementalMixin


def _run(code):
    """Run ``code`` in a fresh interpreter; return its stdout."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
        check=True,
    )
    return out.stdout


def test_namespace_flat_and_mirrored_names_are_one_class():
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import SGDClassifier

    import dask_variants.iid.ensemble
    from dask_variants.incremental.linear_model import SGDClassifier as Inc

    assert incremental.SGDClassifier is Inc
    assert iid.GradientBoostingClassifier is dask_variants.iid.ensemble.GradientBoostingClassifier
    assert issubclass(Inc, SGDClassifier) and issubclass(Inc, IncrementalMixin)
    assert issubclass(iid.GradientBoostingClassifier, GradientBoostingClassifier)
    assert Inc.__name__ == "SGDClassifier"
    assert Inc.__module__ == "dask_variants.incremental.linear_model"
    assert Inc.__mro__[1:4] == (IncrementalMixin, BlockwisePredictMixin,
                                 Inc.__mro__[3])  # mixins come before the base
    assert incremental.variant(SGDClassifier) is Inc


def test_namespace_dir_lists_every_variant():
    entries = _catalog.load().entries
    assert {n for n, (_, p) in entries.items() if p} <= set(dir(incremental))
    assert set(entries) <= set(dir(iid))
    assert "ensemble" in dir(iid) and "variant" in dir(iid)
    import dask_variants.iid.feature_extraction as fe

    assert "text" in dir(fe) and "DictVectorizer" in dir(fe)
    assert "GradientBoostingClassifier" in dir(iid.ensemble)
    assert "LogisticRegression" not in dir(incremental.linear_model)


def test_namespace_experimental_estimators_are_included():
    assert iid.IterativeImputer.__module__ == "dask_variants.iid.impute"
    assert iid.HalvingGridSearchCV.__module__ == "dask_variants.iid.model_selection"


def test_namespace_unknown_names_say_where_to_look():
    with pytest.raises(AttributeError, match="has no partial_fit.*dask_variants.iid.LogisticRegression"):
        incremental.LogisticRegression
    with pytest.raises(AttributeError, match="has no partial_fit"):
        incremental.linear_model.LogisticRegression
    with pytest.raises(AttributeError, match="no estimator of that name.*variant"):
        iid.NoSuchEstimator
    with pytest.raises(AttributeError, match="is in dask_variants.iid.linear_model"):
        iid.ensemble.LogisticRegression
    assert not hasattr(iid, "NoSuchEstimator")
    with pytest.raises(ModuleNotFoundError):
        import dask_variants.iid.no_such_module  # noqa: F401


@pytest.mark.parametrize("statement, reason", [
    ("from dask_variants.incremental.linear_model import LogisticRegression",
     "has no partial_fit.*dask_variants.iid.LogisticRegression"),
    ("from dask_variants.incremental import LogisticRegression",
     "has no partial_fit.*dask_variants.iid.LogisticRegression"),
    ("from dask_variants.iid.linear_model import NoSuchEstimator",
     "no estimator of that name.*variant"),
    ("from dask_variants.iid.ensemble import LogisticRegression",
     "is in dask_variants.iid.linear_model"),
])
def test_namespace_from_import_carries_the_explanation(statement, reason):
    with pytest.raises(ImportError, match="cannot import name .*: .*" + reason) as info:
        exec(statement, {})
    assert not isinstance(info.value, ModuleNotFoundError)
    assert isinstance(info.value.__cause__, AttributeError)


def test_namespace_from_import_of_good_names_and_modules_still_works():
    exec("from dask_variants.iid.linear_model import LogisticRegression, Ridge", {})
    exec("from dask_variants.incremental import linear_model, SGDClassifier", {})
    exec("from dask_variants.iid.feature_extraction import text", {})
    with pytest.raises(ImportError, match="unknown location"):  # not a class name: Python's
        exec("from dask_variants.iid.linear_model import no_such_thing", {})


def test_namespace_import_of_one_variant_imports_little():
    out = _run("""
        import sys
        from dask_variants.incremental.linear_model import SGDClassifier
        SGDClassifier()
        heavy = ["sklearn.ensemble", "sklearn.neighbors", "sklearn.cluster",
                 "dask.dataframe", "distributed"]  # (scikit-learn itself imports pandas)
        print(sorted(m for m in heavy if m in sys.modules))
    """)
    assert out.strip() == "[]"


class ThirdParty(ClassifierMixin, BaseEstimator):
    """A third-party classifier with partial_fit: predicts the running mean's sign."""

    def __init__(self, shift=0.0):
        self.shift = shift

    def partial_fit(self, X, y, classes=None):
        self.classes_ = np.asarray(classes if classes is not None else np.unique(y))
        self.n_features_in_ = X.shape[1]
        self.total_ = getattr(self, "total_", 0.0) + float(np.sum(X))
        return self

    def fit(self, X, y):
        self.__dict__.pop("total_", None)
        return self.partial_fit(X, y)

    def predict(self, X):
        return self.classes_[(np.asarray(X).sum(axis=1) + self.shift > 0).astype(int)]


def test_namespace_variant_of_a_third_party_class():
    Variant = incremental.variant(ThirdParty)
    assert Variant is incremental.variant(ThirdParty)
    assert issubclass(Variant, ThirdParty)
    assert Variant.__module__ == f"dask_variants.incremental._ext.{__name__}"
    assert pickle.loads(pickle.dumps(Variant)) is Variant
    est = Variant(shift=1.0, epochs=2)
    params = est.get_params()
    assert params["shift"] == 1.0 and params["epochs"] == 2 and params["shuffle_blocks"]
    assert iid.variant(ThirdParty) is not Variant
    assert issubclass(iid.variant(ThirdParty), IIDMixin)


def test_namespace_variant_rejects_what_it_cannot_build():
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(TypeError, match="LogisticRegression has no partial_fit.*iid.variant"):
        incremental.variant(LogisticRegression)
    with pytest.raises(TypeError, match="expects an estimator class"):
        iid.variant(LogisticRegression())


def test_namespace_pickle_into_a_fresh_interpreter(tmp_path, xy_rowblocks):
    X, y = xy_rowblocks
    est = incremental.SGDClassifier(random_state=0, epochs=2).fit(X, y)
    path = tmp_path / "est.pkl"
    path.write_bytes(pickle.dumps(est))
    out = _run(f"""
        import pickle
        est = pickle.loads(open({str(path)!r}, "rb").read())
        from sklearn.linear_model import SGDClassifier
        import dask_variants.incremental as inc
        print(type(est) is inc.SGDClassifier, isinstance(est, SGDClassifier), est.epochs,
              est.coef_.tolist())
    """)
    same, inst, epochs, coef = out.split(" ", 3)
    assert (same, inst, epochs) == ("True", "True", "2")
    np.testing.assert_allclose(np.array(eval(coef)), est.coef_)


def test_namespace_signature_keeps_base_parameters_and_adds_knobs():
    from sklearn.linear_model import SGDClassifier

    sig = inspect.signature(incremental.SGDClassifier.__init__)
    base = inspect.signature(SGDClassifier.__init__)
    assert list(sig.parameters)[: len(base.parameters)] == list(base.parameters)
    assert sig.parameters["epochs"].default == 1
    assert sig.parameters["shuffle_blocks"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "dask_variants.incremental" in incremental.SGDClassifier.__doc__
    assert SGDClassifier.__doc__.strip()[:40] in incremental.SGDClassifier.__doc__


def test_namespace_import_of_a_namespace_imports_no_scikit_learn():
    out = _run("""
        import sys
        import dask_variants.iid, dask_variants.incremental
        dir(dask_variants.iid)
        print("sklearn" in sys.modules, "dask.array" in sys.modules)
    """)
    assert out.split() == ["False", "False"]


def test_namespace_lists_exactly_the_installed_sklearn_estimators(monkeypatch):
    """A catalog without Ridge (an older scikit-learn): no Ridge, and a clear error."""
    import dask_variants._variants._namespace as ns

    entries = {n: e for n, e in _catalog.load().entries.items() if n != "Ridge"}
    monkeypatch.setattr(_catalog, "_LOADED", _catalog.Catalog("0.1", {}, entries))
    monkeypatch.setattr(ns, "_ENTRIES", {})
    assert "Ridge" not in dir(iid) and "Ridge" not in dir(iid.linear_model)
    assert "RidgeCV" in dir(iid)
    with pytest.raises(AttributeError, match="installed scikit-learn 0.1 has no estimator"):
        iid.Ridge
