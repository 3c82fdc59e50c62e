"""exact text vectorizers on a 2-worker LocalCluster equal scikit-learn, and their sparse
output streams into an incremental classifier there."""
import dask.array as da
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from dask_variants import exact, incremental
from tests.engine.rules.compare import assert_same_fit
from tests.engine.rules.test_text import DOCS, tokenize

pytestmark = pytest.mark.distributed


def test_tfidf_pipeline_on_cluster_matches_sklearn(client):
    dX = da.from_array(DOCS, chunks=50)
    y = np.array([int("cat" in d) for d in DOCS])
    dy = da.from_array(y, chunks=50)
    params = {"tokenizer": tokenize, "token_pattern": None, "max_features": 12}
    vec = exact.TfidfVectorizer(**params).fit(dX)
    ref = TfidfVectorizer(**params).fit(DOCS)
    assert_same_fit(vec, ref)
    assert_same_fit(vec._tfidf, ref._tfidf, rtol=1e-12, atol=0)
    clf = incremental.SGDClassifier(random_state=0, shuffle_blocks=False)
    clf.fit(vec.transform(dX), dy)
    want = SGDClassifier(random_state=0)
    for start in range(0, 200, 50):
        want.partial_fit(ref.transform(DOCS[start:start + 50]), y[start:start + 50],
                         classes=[0, 1])
    assert_allclose(clf.coef_, want.coef_, rtol=1e-10)
