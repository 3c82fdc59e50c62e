"""Text, dicts and labels: vocabularies and document frequencies of every block, merged.

What these estimators learn from the rows is a set of values seen in them, with counts:

* ``CountVectorizer`` / ``TfidfVectorizer``: per term, the number of documents holding
  it (``df``) and its total count (``tf``, what ``max_features`` ranks by), and the
  number of documents. Each block is analysed by the estimator's own
  ``build_analyzer()`` (``analyzer``, ``tokenizer``, ``preprocessor``, ``ngram_range``,
  ``lowercase``, ``stop_words``, ``token_pattern`` all apply as they do in
  scikit-learn), ``binary`` counts a document once. Blocks merge by adding the counts
  of the terms they share, the terms kept in first-seen order (left block first), so
  the merged statistic is the one of the concatenated documents. The finish is
  scikit-learn's own ``CountVectorizer.fit_transform`` run on the merged counts: its
  ``_sort_features`` and ``_limit_features`` (``min_df``, ``max_df``, ``max_features``
  and their tie order) are called on :class:`_TermCounts`, which stands in for the
  document-term matrix and holds only the per-term counts. With a ``vocabulary`` given,
  ``CountVectorizer`` reads no block; ``TfidfVectorizer`` reads each once for ``df``.
  ``idf_`` is computed from the merged ``df`` as ``TfidfTransformer.fit`` computes it.
* ``TfidfTransformer``: ``df`` of every column of the (sparse or dense) count blocks.
* ``DictVectorizer``: the feature names of every block, in first-seen order; the finish
  is scikit-learn's ``fit`` on one dict holding those names (``sort``, ``separator``
  applied by it).
* ``LabelBinarizer``: the distinct labels of every block (and the width of a 2-D ``y``);
  the finish is scikit-learn's ``fit`` on a small ``y`` holding exactly those values in
  that shape, which gives the ``classes_``, ``y_type_`` and ``sparse_input_`` of the fit
  on the concatenated ``y``.
* ``MultiLabelBinarizer``: the union of the label sets (no block is read when
  ``classes`` is given); the finish is scikit-learn's ``fit`` on that one label set.

Tolerance: every fitted attribute is equal (vocabularies, names, classes, types), and
``idf_`` to floating-point rounding (it is computed by the same expression from the same
integer counts: in practice bit for bit). Counts are exact integers in any dtype up to
2**24 (float32) or 2**53 (float64) occurrences of a term.
"""
import collections
import functools
import itertools

import numpy as np

from ...blocks import _blocks
from ._base import OnePass, Rule

__all__ = []


def _refuse_frame(est, X, what):
    """A dask DataFrame is not a sequence of documents: scikit-learn would iterate its
    column names. Refuse it before any block is read."""
    if _blocks.container(X) == "frame":
        name = type(est).__name__
        cols = list(X.columns)
        raise ValueError(
            f"dask_variants.exact.{name}.fit expects a 1-D sequence of {what}: a dask "
            f"Series or a 1-D dask array, got a dask DataFrame with columns {cols!r}. "
            f"Select the column, e.g. X[{cols[0]!r}]."
        )


# --------------------------------------------------------------------------- counts


class _Counts:
    """Per-term document frequency and total count of a set of documents.

    ``index`` maps each term to its position in ``df`` / ``tf``, in first-seen order
    (dict order); ``n`` is the number of documents.
    """

    __slots__ = ("n", "index", "df", "tf")

    def __init__(self, n, index, df, tf):
        self.n, self.index, self.df, self.tf = n, index, df, tf

    def __reduce__(self):
        return (_Counts, (self.n, self.index, self.df, self.tf))


def _documents(x):
    """The documents of one block: a pandas Series' values, a 1-D array's items."""
    values = getattr(x, "to_numpy", None)
    docs = values() if values is not None else x
    if np.ndim(docs) != 1:
        raise ValueError(
            f"a block of documents must be 1-D, got shape {np.shape(docs)!r}. Give a "
            "dask Series or a 1-D dask array of str."
        )
    return docs


def _count_block(template, k, x, y, params):
    """The term counts of one block, analysed by the estimator's own analyzer."""
    analyze = template.build_analyzer()
    index = collections.defaultdict()
    index.default_factory = index.__len__  # a new term gets the next position
    cols, vals = [], []
    n = 0
    for doc in _documents(x):
        counter = collections.Counter(analyze(doc))
        cols.extend(map(index.__getitem__, counter))
        vals.extend(counter.values())
        n += 1
    index = dict(index)
    cols = np.asarray(cols, dtype=np.intp)
    df = np.bincount(cols, minlength=len(index)).astype(np.int64, copy=False)
    if template.binary:
        tf = df.copy()
    else:
        tf = np.bincount(cols, weights=np.asarray(vals, dtype=np.float64),
                         minlength=len(index)).astype(np.int64)
    return _Counts(n, index, df, tf)


def _merge_counts(a, b):
    """The counts of ``a``'s documents followed by ``b``'s (first-seen order kept)."""
    index = dict(a.index)
    put = index.setdefault
    pos = np.fromiter((put(t, len(index)) for t in b.index), dtype=np.intp,
                      count=len(b.index))
    df = np.zeros(len(index), dtype=np.int64)
    tf = np.zeros(len(index), dtype=np.int64)
    df[:len(a.df)], tf[:len(a.tf)] = a.df, a.tf
    df[pos] += b.df  # positions are distinct
    tf[pos] += b.tf
    return _Counts(a.n + b.n, index, df, tf)


def _fixed_block(template, k, x, y, params):
    """Document frequencies of a given vocabulary's terms in one block."""
    from ..._sklearn_compat import _document_frequency

    _, counts = template._count_vocab(_documents(x), fixed_vocab=True)
    if template.binary:
        counts.data.fill(1)
    df = _document_frequency(counts).astype(np.int64, copy=False)
    tf = np.asarray(counts.sum(axis=0), dtype=np.int64).ravel()
    return _Counts(counts.shape[0], None, df, tf)


def _merge_fixed(a, b):
    return _Counts(a.n + b.n, None, a.df + b.df, a.tf + b.tf)


class _Values:
    """The stored values of :class:`_TermCounts`: ``fill(1)`` is ``binary=True``."""

    def __init__(self, owner):
        self.owner = owner

    def fill(self, value):
        self.owner.tf = self.owner.df * value


class _TermCounts:
    """The document-term matrix of every row, reduced to what ``fit`` reads of it.

    scikit-learn's ``CountVectorizer.fit_transform`` builds the document-term matrix,
    then ``_sort_features`` renumbers its columns (``indices``), ``_limit_features``
    reads the document frequencies (``numpy.diff(indptr)`` of a matrix that is not
    CSR), the column sums (``sum(axis=0)``, for ``max_features``) and keeps columns
    (``X[:, kept]``). This object answers exactly those from one stored entry per term
    (``df``, ``tf``), so those methods run unchanged on the merged counts.
    """

    def __init__(self, n, df, tf, dtype):
        import scipy.sparse

        self.n, self.df, self.tf = n, df, tf
        self.dtype = np.dtype(dtype)
        #: the dtype scipy's ``sum`` gives a matrix of ``dtype`` (what ranks the terms)
        self.sum_dtype = scipy.sparse.csr_matrix((1, 1), dtype=self.dtype).sum(axis=0).dtype
        self.indices = np.arange(len(df), dtype=np.int32)  # column of each term
        self.data = _Values(self)

    @property
    def shape(self):
        return (self.n, len(self.df))

    def _by_column(self, values):
        out = np.zeros(len(values), dtype=values.dtype)
        out[self.indices] = values
        return out

    @property
    def indptr(self):
        return np.concatenate([[0], np.cumsum(self._by_column(self.df))])

    def sum(self, axis=None):
        if axis != 0:
            raise NotImplementedError("only column sums are kept")
        return self._by_column(self.tf).astype(self.sum_dtype)[None, :]

    def column_df(self):
        """Document frequency of every column, in column order."""
        return self._by_column(self.df)

    def __getitem__(self, key):
        rows, kept = key
        if rows != slice(None):
            raise NotImplementedError("only columns are selected")
        df, tf = self._by_column(self.df)[kept], self._by_column(self.tf)[kept]
        return _TermCounts(self.n, df, tf, self.dtype)


def _finish_counts(est, stat):
    """Run scikit-learn's ``CountVectorizer.fit_transform`` on the merged counts.

    Its ``_count_vocab`` (the pass over the documents) is replaced, for this call only,
    by one returning the merged vocabulary (first-seen order, as scikit-learn's) and
    :class:`_TermCounts`; everything else (validation, warnings, ``min_df`` /
    ``max_df`` / ``max_features``, sorting) is scikit-learn's. Returns the counts of the
    kept terms, in the vocabulary's order.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    base = CountVectorizer._count_vocab

    def count_vocab(raw_documents, fixed_vocab):
        est.build_analyzer()  # the analyzer's own checks and warnings, once
        if fixed_vocab:
            return est.vocabulary_, _TermCounts(stat.n, stat.df, stat.tf, est.dtype)
        if not stat.index:  # scikit-learn's own error for an empty vocabulary
            return base(est, [], False)
        return dict(stat.index), _TermCounts(stat.n, stat.df, stat.tf, est.dtype)

    est._count_vocab = count_vocab
    try:
        return CountVectorizer.fit_transform(est, ())
    finally:
        del est._count_vocab


def fit_idf(tfidf, n_samples, df, dtype):
    """Set ``tfidf``'s fitted state from ``n_samples`` and the document frequencies.

    As ``TfidfTransformer.fit`` computes it from the document-term matrix of dtype
    ``dtype``: the same expression in the same dtype.
    """
    dtype = np.dtype(dtype)
    dtype = dtype if dtype in (np.float64, np.float32) else np.dtype(np.float64)
    tfidf.n_features_in_ = len(df)
    if tfidf.use_idf:
        df = np.asarray(df).astype(dtype)
        df += float(tfidf.smooth_idf)
        n_samples += int(tfidf.smooth_idf)
        idf = np.full_like(df, fill_value=n_samples, dtype=dtype)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        tfidf.idf_ = idf


class CountVectorizerRule(Rule):
    """Vocabulary and counts of every block, merged; scikit-learn's ``fit_transform``
    finishes on them (see the module docstring)."""

    sets_features = False

    def check_X(self, est, X):
        _refuse_frame(est, X, "documents")

    def fit(self, est, template, reduce, static):
        if est.vocabulary is not None:
            # a given vocabulary: nothing of the documents is learned
            from sklearn.feature_extraction.text import CountVectorizer

            CountVectorizer.fit_transform(est, [])
            return
        est._validate_ngram_range()  # scikit-learn's errors before any block is read
        template._validate_ngram_range()
        stat = reduce(functools.partial(_count_block, template), _merge_counts)
        _finish_counts(est, stat)


class TfidfVectorizerRule(CountVectorizerRule):
    """Counts and document frequencies in one pass; ``idf_`` from the merged ``df``."""

    def fit(self, est, template, reduce, static):
        from sklearn.feature_extraction.text import TfidfTransformer

        est._validate_ngram_range()
        if est.vocabulary is not None:
            template._validate_vocabulary()  # its errors before any block is read
            stat = reduce(functools.partial(_fixed_block, template), _merge_fixed)
        else:
            stat = reduce(functools.partial(_count_block, template), _merge_counts)
        # TfidfVectorizer.fit, with the pass over the documents done above
        est._check_params()
        est._warn_for_unused_params()
        est._tfidf = TfidfTransformer(norm=est.norm, use_idf=est.use_idf,
                                      smooth_idf=est.smooth_idf,
                                      sublinear_tf=est.sublinear_tf)
        counts = _finish_counts(est, stat)
        fit_idf(est._tfidf, counts.n, counts.column_df(), counts.dtype)


# --------------------------------------------------------------------------- tf-idf


def _df_block(template, static, k, x, y, params):
    """Rows, dtype and document frequencies of one block of counts, validated as
    ``TfidfTransformer.fit`` validates its input."""
    import scipy.sparse
    from ..._sklearn_compat import _document_frequency
    from sklearn.utils import check_array

    x = check_array(x, accept_sparse=("csr", "csc"))
    if not scipy.sparse.issparse(x):
        x = scipy.sparse.csr_matrix(x)
    return x.shape[0], x.dtype, _document_frequency(x).astype(np.int64, copy=False)


def _merge_df(a, b):
    if len(a[2]) != len(b[2]):
        raise ValueError(
            f"blocks of X have {len(a[2])} and {len(b[2])} columns: every block of the "
            "count matrix must have the same columns."
        )
    return a[0] + b[0], np.result_type(a[1], b[1]), a[2] + b[2]


class TfidfTransformerRule(OnePass):
    """Document frequencies of every block of counts (sparse or dense), added."""

    leaf = staticmethod(_df_block)

    def merge(self, a, b):
        return _merge_df(a, b)

    def finish(self, est, stat, static):
        n, dtype, df = stat
        fit_idf(est, n, df, dtype)


# --------------------------------------------------------------------------- dicts


def _dict_block(template, static, k, x, y, params):
    """The feature names of one block of dicts, in first-seen order, by scikit-learn."""
    from sklearn.base import clone

    work = clone(template).set_params(sort=False)
    work.fit(_documents(x))
    return dict.fromkeys(work.feature_names_)


def _merge_names(a, b):
    out = dict(a)
    out.update(dict.fromkeys(b))  # keys of a keep their place; b's new ones follow
    return out


class DictVectorizerRule(OnePass):
    """Feature names of every block; scikit-learn's ``fit`` on one dict of them."""

    sets_features = False
    leaf = staticmethod(_dict_block)

    def check_X(self, est, X):
        _refuse_frame(est, X, "dicts")

    def merge(self, a, b):
        return _merge_names(a, b)

    def finish(self, est, stat, static):
        from sklearn.feature_extraction import DictVectorizer

        # a numeric value makes the key itself the feature name: the names come back
        DictVectorizer.fit(est, [dict.fromkeys(stat, 1)])


# --------------------------------------------------------------------------- labels


def _label_block(template, static, k, x, y, params):
    """Distinct values of one block of labels, its shape tail, sparsity and dtype."""
    import scipy.sparse
    from ..._sklearn_compat import _unique

    sparse = scipy.sparse.issparse(x)
    values = x.tocsr().data if sparse else np.asarray(x)
    return _unique(values.ravel()), tuple(x.shape[1:]), sparse, values.dtype


def _merge_labels(a, b):
    from ..._sklearn_compat import _unique

    if a[1] != b[1] or a[2] != b[2]:
        raise ValueError(
            f"blocks of y differ in shape {a[1]!r} vs {b[1]!r} or sparsity "
            f"({a[2]} vs {b[2]}): every block of y must have the same columns."
        )
    return _unique(np.concatenate([a[0], b[0]])), a[1], a[2], np.result_type(a[3], b[3])


def _label_surrogate(values, tail, sparse, dtype):
    """A small ``y`` holding exactly ``values``, of width ``tail``: one row per value."""
    values = np.asarray(values).astype(dtype, copy=False)
    if not tail:
        return values
    y = np.repeat(values[:, None], tail[0], axis=1)
    if sparse:
        import scipy.sparse

        rows, cols = np.indices(y.shape)
        y = scipy.sparse.csr_matrix((y.ravel(), (rows.ravel(), cols.ravel())), shape=y.shape)
    return y


class LabelBinarizerRule(OnePass):
    """Distinct labels of every block; scikit-learn's ``fit`` on them."""

    sets_features = False
    leaf = staticmethod(_label_block)

    def merge(self, a, b):
        return _merge_labels(a, b)

    def finish(self, est, stat, static):
        from sklearn.preprocessing import LabelBinarizer

        LabelBinarizer.fit(est, _label_surrogate(*stat))


def _label_sets_block(template, static, k, x, y, params):
    """The labels of one block of label sets (first occurrence of equal labels kept)."""
    return set(itertools.chain.from_iterable(_rows_of(x)))


def _rows_of(x):
    values = getattr(x, "to_numpy", None)
    return values() if values is not None and np.ndim(x) == 1 else x


class MultiLabelBinarizerRule(OnePass):
    """The union of every block's label sets; scikit-learn's ``fit`` on it."""

    sets_features = False
    leaf = staticmethod(_label_sets_block)

    def check_X(self, est, X):
        _refuse_frame(est, X, "label sets")

    def merge(self, a, b):
        return a | b  # a's members kept: the first occurrence, as set() keeps it

    def fit(self, est, template, reduce, static):
        from sklearn.preprocessing import MultiLabelBinarizer

        if est.classes is not None:  # given: no block is read
            MultiLabelBinarizer.fit(est, [])
            return
        labels = reduce(functools.partial(self.leaf, template, static), self.merge)
        MultiLabelBinarizer.fit(est, [list(labels)])
