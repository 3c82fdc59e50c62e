"""Sparse dask arrays (blocks of scipy.sparse CSR) stream through ``partial_fit``.

And the text workflow that needs it, out of core: ``make_pipeline(exact.TfidfVectorizer(),
incremental.SGDClassifier())`` on text read with ``dd.read_parquet`` (several files) and
``dd.read_csv`` equals scikit-learn's pipeline fitted by hand the same way: the
vectorizer fitted on all the text, then ``partial_fit`` on each partition in order.
"""
import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from dask_variants import exact, incremental

rng = np.random.RandomState(0)
COUNTS = sp.random(240, 15, density=0.3, format="csr", random_state=2,
                   data_rvs=lambda n: rng.randint(1, 4, n)).astype(np.float64)
Y = (COUNTS[:, :5].sum(axis=1).A.ravel() > COUNTS[:, 5:10].sum(axis=1).A.ravel()).astype(int)
CHUNKS = (60, 0, 100, 80)


def sparse_dask(m, chunks):
    """A dask array whose blocks are the CSR row slices ``chunks`` of ``m``."""
    blocks, start = [], 0
    for c in chunks:
        part = dask.delayed(m[start:start + c])
        blocks.append(da.from_delayed(part, shape=(c, m.shape[1]), dtype=m.dtype, meta=m[:0]))
        start += c
    return da.concatenate(blocks)


def test_sgd_streams_sparse_blocks_like_partial_fit():
    dX, dy = sparse_dask(COUNTS, CHUNKS), da.from_array(Y, chunks=(CHUNKS,))
    ours = incremental.SGDClassifier(random_state=0, shuffle_blocks=False).fit(dX, dy)
    ref = SGDClassifier(random_state=0)
    start = 0
    for c in CHUNKS:
        if c:
            ref.partial_fit(COUNTS[start:start + c], Y[start:start + c], classes=[0, 1])
        start += c
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-12)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-12)
    pred = ours.predict(dX)
    assert isinstance(pred, da.Array)
    assert_array_equal(pred.compute(), ref.predict(COUNTS))


def test_multinomial_nb_merges_sparse_blocks_exactly():
    dX, dy = sparse_dask(COUNTS, CHUNKS), da.from_array(Y, chunks=(CHUNKS,))
    ours = incremental.MultinomialNB().fit(dX, dy)
    ref = MultinomialNB().fit(COUNTS, Y)
    for name in ("class_count_", "feature_count_", "feature_log_prob_", "class_log_prior_"):
        assert_allclose(getattr(ours, name), getattr(ref, name), rtol=1e-12)
    assert_allclose(ours.predict_proba(dX).compute(), ref.predict_proba(COUNTS), rtol=1e-10)


# --------------------------------------------------------------------------- text


WORDS = "good great fine bad awful poor movie film plot actor the a very not".split()


def _reviews(n=240):
    r = np.random.RandomState(1)
    docs, labels = [], []
    for _ in range(n):
        label = int(r.rand() > 0.5)
        pool = WORDS[:3] if label else WORDS[3:6]
        words = list(r.choice(pool, 2)) + list(r.choice(WORDS[6:], r.randint(1, 6)))
        docs.append(" ".join(r.permutation(words)))
        labels.append(label)
    return pd.DataFrame({"text": docs, "label": labels})


def _by_hand(parts):
    """scikit-learn's pipeline fitted as the variants fit it: the vectorizer on all the
    text, then one ``partial_fit`` per partition, in order."""
    whole = pd.concat(parts)
    vec = TfidfVectorizer().fit(whole["text"])
    clf = SGDClassifier(random_state=0)
    classes = np.unique(whole["label"])
    for part in parts:
        if len(part):
            clf.partial_fit(vec.transform(part["text"]), part["label"], classes=classes)
    return vec, clf


def _check_pipeline(ddf, parts):
    pipe = make_pipeline(exact.TfidfVectorizer(),
                         incremental.SGDClassifier(random_state=0, shuffle_blocks=False))
    pipe.fit(ddf["text"], ddf["label"])
    vec, clf = _by_hand(parts)
    ours_vec, ours_clf = pipe.steps[0][1], pipe.steps[1][1]
    assert ours_vec.vocabulary_ == vec.vocabulary_
    assert_allclose(ours_vec.idf_, vec.idf_, rtol=1e-12)
    assert_allclose(ours_clf.coef_, clf.coef_, rtol=1e-10)
    assert_allclose(ours_clf.intercept_, clf.intercept_, rtol=1e-10)
    pred = pipe.predict(ddf["text"])
    whole = pd.concat(parts)
    assert_array_equal(np.asarray(pred.compute()), clf.predict(vec.transform(whole["text"])))
    assert pipe.score(ddf["text"], ddf["label"]) > 0.9


def test_text_pipeline_on_parquet_files_equals_sklearn_by_hand(tmp_path):
    df = _reviews()
    dd.from_pandas(df, npartitions=4).to_parquet(tmp_path / "reviews")
    files = sorted((tmp_path / "reviews").glob("*.parquet"))
    assert len(files) == 4
    ddf = dd.read_parquet(tmp_path / "reviews")
    # dask fuses small files when it projects one column of two (ddf["text"] reads 2
    # partitions of 2 files): the blocks streamed are the partitions dask reads, and
    # scikit-learn is fitted on those, one by one
    text = [p.compute() for p in ddf["text"].optimize().partitions]
    label = [p.compute() for p in ddf["label"].optimize().partitions]
    assert len(text) == len(label) > 1
    parts = []
    for t, lab in zip(text, label):
        assert t.index.equals(lab.index)
        parts.append(pd.DataFrame({"text": t, "label": lab}))
    _check_pipeline(ddf, parts)


def test_text_pipeline_on_csv_files_equals_sklearn_by_hand(tmp_path):
    df = _reviews()
    for i, part in enumerate(np.array_split(np.arange(len(df)), 3)):
        df.iloc[part].to_csv(tmp_path / f"part-{i}.csv", index=False)
    ddf = dd.read_csv(tmp_path / "part-*.csv")
    assert ddf.npartitions == 3
    parts = [pd.read_csv(tmp_path / f"part-{i}.csv") for i in range(3)]
    _check_pipeline(ddf, parts)
