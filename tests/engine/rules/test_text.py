"""exact text vectorizers, DictVectorizer and the label binarizers equal scikit-learn.

Every estimator is fitted on dask input in several chunkings (even, uneven, with empty
blocks, one block, and a dask Series of a frame with a partition emptied by a filter)
and compared with scikit-learn's fit on the concatenated rows, attribute by attribute.

Tolerance: vocabularies, feature names, classes, ``y_type_``... are equal, with the
same types (dict order included); ``idf_`` to rtol 1e-12 (the same expression on the
same integer counts: bit for bit in practice); transforms equal exactly (same
vocabulary order, same matrix).
"""
import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import LabelBinarizer, MultiLabelBinarizer

from dask_variants import exact
from tests.engine.rules.compare import LAYOUTS, assert_same_fit

RTOL = 1e-12

rng = np.random.RandomState(0)
WORDS = np.array("the cat sat on a mat dog ran far and away zebra Apple apple The is "
                 "of it to jumps quick brown fox lazy".split())
# skewed word frequencies: many ties in df and tf, words only late blocks hold
_P = 1.0 / np.arange(1, len(WORDS) + 1)
DOCS = np.array([" ".join(rng.choice(WORDS, rng.randint(0, 9), p=_P / _P.sum()))
                 for _ in range(200)], dtype=object)
DOCS[150:] = [d + " zulu" if i % 3 else d for i, d in enumerate(DOCS[150:])]


def series_layout(values):
    """A dask Series of ``values`` in 4 partitions, the third emptied by a filter.

    Objects stay objects (dicts, label sets): dask's conversion to strings is off.
    """
    df = pd.DataFrame({"v": pd.Series(list(values), dtype=object),
                       "keep": np.arange(len(values)) // 50 != 2})
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(df, npartitions=4)
        return ddf[ddf["keep"]]["v"]


def kept(values):
    return values[np.arange(len(values)) // 50 != 2]


def text_layouts(values):
    """``(dask input, in-memory rows)``: 1-D object arrays in every chunking, a Series."""
    values = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    out = [pytest.param(da.from_array(values, chunks=(c,) + (-1,) * (values.ndim - 1)),
                        values, id=name) for name, c in LAYOUTS.items()]
    if values.ndim == 1:
        out.append(pytest.param(series_layout(values), kept(values), id="series"))
    return out


def _id(params):
    return "-".join(f"{k}={getattr(v, '__name__', v)}" for k, v in params.items()) or "default"


def tokenize(doc):  # a module-level callable: it travels to worker processes
    return doc.split()


COUNT_PARAMS = [
    {}, {"max_features": 7}, {"max_features": 1}, {"min_df": 3}, {"min_df": 0.05, "max_df": 0.6},
    {"max_df": 40}, {"binary": True, "max_features": 9}, {"ngram_range": (1, 2), "max_features": 20},
    {"analyzer": "char_wb", "ngram_range": (2, 3)}, {"lowercase": False},
    {"stop_words": "english"}, {"stop_words": ["the", "a", "zebra"]},
    {"token_pattern": r"(?u)\b\w\w\w+\b"}, {"tokenizer": tokenize, "token_pattern": None},
    {"dtype": np.float32, "max_features": 5}, {"dtype": np.int32},
]


@pytest.mark.parametrize("dX, docs", text_layouts(DOCS))
@pytest.mark.parametrize("params", COUNT_PARAMS, ids=_id)
def test_count_vectorizer_equals_sklearn(dX, docs, params):
    ours = exact.CountVectorizer(**params).fit(dX)
    ref = CountVectorizer(**params).fit(list(docs))
    assert_same_fit(ours, ref)
    assert list(ours.vocabulary_) == list(ref.vocabulary_)  # first-seen order too


@pytest.mark.parametrize("dX, docs", text_layouts(DOCS))
@pytest.mark.parametrize("params", [
    {}, {"norm": "l1", "max_features": 8}, {"norm": None, "use_idf": False},
    {"smooth_idf": False, "sublinear_tf": True, "min_df": 2}, {"dtype": np.float32},
    {"vocabulary": ["zulu", "cat", "dog", "absent"]}, {"binary": True, "ngram_range": (1, 2)},
], ids=_id)
def test_tfidf_vectorizer_equals_sklearn(dX, docs, params):
    ours = exact.TfidfVectorizer(**params).fit(dX)
    ref = TfidfVectorizer(**params).fit(list(docs))
    assert_same_fit(ours, ref, rtol=RTOL, atol=0)
    assert_same_fit(ours._tfidf, ref._tfidf, rtol=RTOL, atol=0)
    Xt = ours.transform(dX)
    assert isinstance(Xt, da.Array)
    got = Xt.compute()
    want = ref.transform(list(docs))
    assert got.dtype == want.dtype == Xt.dtype
    np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("Variant, Base", [(exact.CountVectorizer, CountVectorizer),
                                           (exact.TfidfVectorizer, TfidfVectorizer)])
def test_vectorizer_fit_transform_lazy_and_equal(Variant, Base):
    dX = series_layout(DOCS)
    ours = Variant(max_features=10)
    Xt = ours.fit_transform(dX)
    assert isinstance(Xt, da.Array) and Xt.dtype == np.dtype(ours.dtype if Base is
                                                             CountVectorizer else np.float64)
    assert isinstance(Xt._meta, (sp.spmatrix, sp.sparray))
    want = Base(max_features=10).fit_transform(list(kept(DOCS)))
    got = Xt.compute()
    assert got.dtype == want.dtype
    assert (abs(got - want) > 1e-12).nnz == 0


def _counting_series(docs, n, calls):
    """A dask Series of ``n`` partitions that counts how often each one is read."""
    parts = np.array_split(np.asarray(docs, dtype=object), n)

    def read(i):
        calls[i] = calls.get(i, 0) + 1
        return pd.Series(parts[i], index=range(sum(map(len, parts[:i])),
                                               sum(map(len, parts[:i + 1]))), dtype=object)

    return dd.from_map(read, range(n), meta=pd.Series([], dtype=object),
                       enforce_metadata=False)


@pytest.mark.parametrize("Variant", [exact.CountVectorizer, exact.TfidfVectorizer])
def test_vectorizer_reads_each_block_once(Variant):
    calls = {}
    s = _counting_series(DOCS, 5, calls)
    with dask.config.set(scheduler="sync"):
        ours = Variant(max_features=6).fit(s)
    assert calls == dict.fromkeys(range(5), 1)
    assert ours.vocabulary_ == CountVectorizer(max_features=6).fit(list(DOCS)).vocabulary_


def test_count_vectorizer_given_vocabulary_reads_nothing():
    calls = {}
    s = _counting_series(DOCS, 3, calls)
    ours = exact.CountVectorizer(vocabulary=["cat", "dog"]).fit(s)
    assert calls == {}
    assert_same_fit(ours, CountVectorizer(vocabulary=["cat", "dog"]).fit(list(DOCS)))


@pytest.mark.parametrize("scheduler", ["sync", "threads"])  # a cluster: tests/distributed
def test_count_vectorizer_same_on_every_scheduler(scheduler):
    dX = da.from_array(DOCS, chunks=30)
    with dask.config.set(scheduler=scheduler):
        ours = exact.TfidfVectorizer(tokenizer=tokenize, token_pattern=None,
                                     max_features=12).fit(dX)
    ref = TfidfVectorizer(tokenizer=tokenize, token_pattern=None, max_features=12).fit(DOCS)
    assert_same_fit(ours, ref)
    assert_same_fit(ours._tfidf, ref._tfidf, rtol=RTOL, atol=0)


@pytest.mark.parametrize("params, match", [
    ({"min_df": 150, "max_df": 10}, "max_df corresponds to < documents than min_df"),
    ({"min_df": 199}, "After pruning, no terms remain"),
    ({"stop_words": list(WORDS) + ["zulu"], "lowercase": False}, "empty vocabulary"),
])
def test_count_vectorizer_errors_are_sklearns(params, match):
    with pytest.raises(ValueError, match=match):
        CountVectorizer(**params).fit(list(DOCS))
    with pytest.raises(ValueError, match=match):
        exact.CountVectorizer(**params).fit(da.from_array(DOCS, chunks=40))


def _failing_series():
    def read(i):
        raise AssertionError("no block may be read")
    return dd.from_map(read, range(2), meta=pd.Series([], dtype=object),
                       enforce_metadata=False)


def test_refusals_before_any_block_is_read():
    with pytest.raises(ValueError, match="Invalid value for ngram_range"):
        exact.CountVectorizer(ngram_range=(2, 1)).fit(_failing_series())
    frame = dd.from_pandas(pd.DataFrame({"text": list(DOCS)}), npartitions=2)
    for Variant in (exact.CountVectorizer, exact.TfidfVectorizer, exact.DictVectorizer,
                    exact.MultiLabelBinarizer):
        with pytest.raises(ValueError, match=r"Select the column, e.g. X\['text'\]"):
            Variant().fit(frame)
    with pytest.raises(ValueError, match="Duplicate term in vocabulary"):
        exact.TfidfVectorizer(vocabulary=["a", "a"]).fit(_failing_series())


# --------------------------------------------------------------------------- tf-idf


COUNTS = sp.random(200, 12, density=0.3, format="csr", random_state=1,
                   data_rvs=lambda n: rng.randint(1, 5, n)).astype(np.int64)


def _sparse_dask(m, chunks):
    blocks, start = [], 0
    for c in chunks:
        blocks.append(da.from_delayed(dask.delayed(m[start:start + c]), shape=(c, m.shape[1]),
                                      dtype=m.dtype, meta=m[:0]))
        start += c
    return da.concatenate(blocks)


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("params", [{}, {"smooth_idf": False}, {"use_idf": False},
                                    {"norm": "l1", "sublinear_tf": True}], ids=_id)
def test_tfidf_transformer_on_sparse_blocks_equals_sklearn(name, params):
    dX = _sparse_dask(COUNTS, LAYOUTS[name])
    ours = exact.TfidfTransformer(**params).fit(dX)
    ref = TfidfTransformer(**params).fit(COUNTS)
    assert_same_fit(ours, ref, rtol=RTOL, atol=0)
    got = ours.transform(dX).compute()
    np.testing.assert_allclose(got.toarray(), ref.transform(COUNTS).toarray(), rtol=RTOL)


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_tfidf_transformer_on_dense_blocks_equals_sklearn(dtype):
    dense = COUNTS.toarray().astype(dtype)
    ours = exact.TfidfTransformer().fit(da.from_array(dense, chunks=(60, -1)))
    ref = TfidfTransformer().fit(dense)
    assert_same_fit(ours, ref, rtol=1e-6 if dtype == np.float32 else RTOL, atol=0)


def test_tfidf_transformer_after_exact_counts():
    dX = series_layout(DOCS)
    counts = exact.CountVectorizer().fit(dX).transform(dX)
    ours = exact.TfidfTransformer().fit(counts)
    ref = TfidfTransformer().fit(CountVectorizer().fit_transform(list(kept(DOCS))))
    assert_same_fit(ours, ref, rtol=RTOL, atol=0)


# --------------------------------------------------------------------------- dicts


def _dicts():
    out = np.empty(200, dtype=object)
    for i in range(200):
        d = {f"n{j}": float(rng.randint(5)) for j in rng.choice(6, rng.randint(0, 4))}
        d["city"] = str(rng.choice(["dub", "ams", "par"] + (["zzz"] if i > 170 else [])))
        if i % 7 == 0:
            d["tags"] = [str(t) for t in rng.choice(["x", "y", "w"], 2)]
        if i > 190:
            d["late"] = 1
        out[i] = d
    return out


DICTS = _dicts()


@pytest.mark.parametrize("dX, rows", text_layouts(DICTS))
@pytest.mark.parametrize("params", [{}, {"sort": False}, {"separator": "::", "sparse": False}],
                         ids=_id)
def test_dict_vectorizer_equals_sklearn(dX, rows, params):
    ours = exact.DictVectorizer(**params).fit(dX)
    ref = DictVectorizer(**params).fit(list(rows))
    assert_same_fit(ours, ref)
    assert list(ours.vocabulary_) == list(ref.vocabulary_)
    got, want = ours.transform(dX).compute(), ref.transform(list(rows))
    if sp.issparse(want):
        got, want = got.toarray(), want.toarray()
    assert_array_equal(got, want)


def test_dict_vectorizer_bad_value_names_the_block():
    bad = DICTS.copy()
    bad[120] = {"a": {"nested": 1}}
    with pytest.raises(TypeError, match="(?s)row block 2 of 4.*Mapping objects are not"):
        exact.DictVectorizer().fit(da.from_array(bad, chunks=50))


# --------------------------------------------------------------------------- labels


Y_INT = rng.randint(0, 4, size=200)
Y_INT[180] = 7  # a class only the last block holds
Y_STR = np.array(["spam", "ham", "eggs"], dtype=object)[rng.randint(0, 3, 200)]
Y_BIN = np.where(rng.rand(200) > 0.5, 3, -1)
Y_MULTI = (rng.rand(200, 4) > 0.6).astype(np.int64)


@pytest.mark.parametrize("y", [Y_INT, Y_STR, Y_BIN, Y_MULTI, Y_INT.astype(float)],
                         ids=["int", "str", "binary", "multilabel", "float"])
@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("params", [{}, {"neg_label": -2, "pos_label": 5},
                                    {"sparse_output": True}], ids=_id)
def test_label_binarizer_equals_sklearn(y, name, params):
    dy = da.from_array(y, chunks=(LAYOUTS[name],) + (-1,) * (y.ndim - 1))
    ours = exact.LabelBinarizer(**params).fit(dy)
    ref = LabelBinarizer(**params).fit(y)
    assert_same_fit(ours, ref)
    got, want = ours.transform(dy).compute(), ref.transform(y)
    if sp.issparse(want):
        got, want = got.toarray(), want.toarray()
    assert_array_equal(got, want)


def test_label_binarizer_on_series_and_sparse_input():
    dy = series_layout(Y_STR)
    assert_same_fit(exact.LabelBinarizer().fit(dy), LabelBinarizer().fit(kept(Y_STR)))
    m = sp.csr_matrix(Y_MULTI)
    assert_same_fit(exact.LabelBinarizer().fit(_sparse_dask(m, (50, 0, 150))),
                    LabelBinarizer().fit(m))


def test_label_binarizer_multioutput_refused_as_sklearn():
    y = Y_MULTI.copy()
    y[190, 0] = 2  # only the last block makes it multiclass-multioutput
    with pytest.raises(ValueError, match="Multioutput target data is not supported"):
        exact.LabelBinarizer().fit(da.from_array(y, chunks=(50, -1)))


LABEL_SETS = np.empty(200, dtype=object)
LABEL_SETS[:] = [tuple(rng.choice(["sci-fi", "thriller", "drama", "comedy"],
                                  rng.randint(0, 3), replace=False)) for _ in range(200)]
LABEL_SETS[199] = ("noir",)
INT_SETS = np.empty(200, dtype=object)
INT_SETS[:] = [list(rng.choice(6, rng.randint(0, 3), replace=False).tolist()) for _ in range(200)]


@pytest.mark.parametrize("dy, rows", text_layouts(LABEL_SETS) + text_layouts(INT_SETS)[:2])
@pytest.mark.parametrize("params", [{}, {"sparse_output": True}], ids=_id)
def test_multilabel_binarizer_equals_sklearn(dy, rows, params):
    ours = exact.MultiLabelBinarizer(**params).fit(dy)
    ref = MultiLabelBinarizer(**params).fit(list(rows))
    assert_same_fit(ours, ref)
    got, want = ours.transform(dy).compute(), ref.transform(list(rows))
    if sp.issparse(want):
        got, want = got.toarray(), want.toarray()
    assert_array_equal(got, want)


def test_multilabel_binarizer_given_classes_reads_nothing():
    ours = exact.MultiLabelBinarizer(classes=["b", "a"]).fit(_failing_series())
    assert_same_fit(ours, MultiLabelBinarizer(classes=["b", "a"]).fit(LABEL_SETS))


@pytest.mark.parametrize("name", ["CountVectorizer", "TfidfVectorizer", "TfidfTransformer",
                                  "DictVectorizer", "LabelBinarizer", "MultiLabelBinarizer"])
def test_check_variant_passes(name):
    from dask_variants.utils.estimator_checks import check_variant

    check_variant(getattr(exact, name))
