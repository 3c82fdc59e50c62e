"""Exact vocabularies: encoders learn every partition's values, equal to scikit-learn's."""
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import (
    LabelBinarizer, LabelEncoder, OneHotEncoder, OrdinalEncoder, TargetEncoder)

import dask_variants.iid as iid
import dask_variants.incremental as incremental

COLUMNS = ["s", "k", "u", "i"]


def _norm(values):
    """A list with NaN spelled out, so two category arrays compare with ==."""
    return [("<nan>" if isinstance(v, float) and np.isnan(v) else v) for v in values]


def _same_categories(got, ref):
    assert [_norm(c) for c in got] == [_norm(c) for c in ref]
    assert [c.dtype for c in got] == [c.dtype for c in ref]


def _frame(pieces, meta):
    """A dask frame whose partitions are exactly ``pieces`` (empty ones included)."""
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=meta, verify_meta=False)


@st.composite
def mixed_frames(draw):
    """A mixed-dtype frame cut into partitions, some empty, categories in only some.

    Columns: ``s`` strings, ``k`` a known ``category`` dtype (with missing values),
    ``u`` a category dtype dask does not know (``astype("category")``), ``i`` integers.
    The first partition holds at least one row (the sample an iid fit trains on).
    """
    n = draw(st.integers(1, 24))
    df = pd.DataFrame({
        "s": pd.array(draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n)),
                      dtype="str"),
        "k": pd.Categorical(draw(st.lists(st.sampled_from(["x", "y", "z", None]),
                                          min_size=n, max_size=n))),
        "u": draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=n, max_size=n)),
        "i": np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype="int64"),
    })
    cuts = sorted(draw(st.lists(st.integers(1, n), max_size=5)))
    edges = [0, *cuts, n]
    pieces = [df.iloc[a:b] for a, b in zip(edges, edges[1:])]
    ddf = _frame(pieces, df.iloc[:0])
    ddf["u"] = ddf["u"].astype("category")
    assert ddf["k"].cat.known and not ddf["u"].cat.known
    return ddf


@given(ddf=mixed_frames())
def test_vocabulary_encoders_equal_sklearn_on_the_concatenated_frame(ddf):
    full = ddf.compute()
    for ref in (OneHotEncoder(sparse_output=False), OrdinalEncoder()):
        est = iid.variant(type(ref))(**ref.get_params()).fit(ddf)
        ref.fit(full)
        _same_categories(est.categories_, ref.categories_)
        assert est.get_params()["categories"] == "auto"  # as given
        np.testing.assert_array_equal(est.transform(ddf).compute().to_numpy(),
                                      ref.transform(full))


@given(ddf=mixed_frames())
def test_vocabulary_column_transformer_equals_sklearn(ddf):
    steps = [("onehot", OneHotEncoder(sparse_output=False), ["s", "u"]),
             ("ordinal", OrdinalEncoder(), ["k", "i"])]
    ct = iid.ColumnTransformer(steps).fit(ddf)
    ref = ColumnTransformer(steps).fit(ddf.compute())
    for name in ("onehot", "ordinal"):
        _same_categories(ct.named_transformers_[name].categories_,
                         ref.named_transformers_[name].categories_)
        assert ct.named_transformers_[name].categories == "auto"
    assert ct.get_params()["onehot__categories"] == "auto"
    np.testing.assert_array_equal(ct.transform(ddf).compute().to_numpy(),
                                  ref.transform(ddf.compute()))


def test_vocabulary_category_of_a_later_partition_only():
    df = pd.DataFrame({"c": pd.array(["a", "a", "b", "b", "c", "z"], dtype="str")})
    ddf = dd.from_pandas(df, npartitions=3)
    enc = iid.OneHotEncoder().fit(ddf)  # trains on the first partition, ["a", "a"]
    assert enc.categories_[0].tolist() == ["a", "b", "c", "z"]
    np.testing.assert_array_equal(enc.transform(ddf).compute().toarray(),
                                  OneHotEncoder().fit_transform(df).toarray())


def test_vocabulary_known_category_dtype_gives_its_declared_categories():
    # the dtype is the vocabulary: a declared category no row holds is kept, sorted as
    # scikit-learn sorts what it finds
    df = pd.DataFrame({"k": pd.Categorical(["lo", "hi", "lo"], categories=["lo", "mid", "hi"])})
    enc = iid.OrdinalEncoder().fit(dd.from_pandas(df, npartitions=2))
    assert enc.categories_[0].tolist() == ["hi", "lo", "mid"]
    assert enc.categories == "auto"


def test_vocabulary_empty_first_partition():
    # needs the iid fit to sample the first non-empty block (issue 7, the lead's part)
    df = pd.DataFrame({"c": pd.array(["a", "b", "c"], dtype="str")})
    ddf = _frame([df.iloc[:0], df.iloc[:2], df.iloc[2:2], df.iloc[2:]], df.iloc[:0])
    enc = iid.OneHotEncoder().fit(ddf)
    assert enc.categories_[0].tolist() == ["a", "b", "c"]


def test_vocabulary_target_encoder_categories_from_every_partition():
    rng = np.random.RandomState(0)
    df = pd.DataFrame({"c": pd.array(["a", "b"] * 10 + ["c"] * 4, dtype="str")})
    y = pd.Series(rng.normal(size=24), name="y")
    X_d, y_d = dd.from_pandas(df, npartitions=3), dd.from_pandas(y, npartitions=3)
    enc = iid.TargetEncoder(random_state=0).fit(X_d, y_d)
    assert enc.categories_[0].tolist() == ["a", "b", "c"]
    assert enc.categories == "auto"
    assert enc.transform(X_d).compute().shape == (24, 1)


def test_vocabulary_label_transformers_see_every_partition():
    y = pd.Series(["b", "a", "b", "a", "c", "z"], name="label")
    yd = dd.from_pandas(y, npartitions=3)
    le = iid.LabelEncoder().fit(yd)
    np.testing.assert_array_equal(le.classes_, LabelEncoder().fit(y).classes_)
    out = le.transform(yd)
    assert out.name == "label"
    np.testing.assert_array_equal(out.compute().to_numpy(), LabelEncoder().fit_transform(y))
    lb = iid.LabelBinarizer().fit(yd)
    ref = LabelBinarizer().fit(y)
    np.testing.assert_array_equal(lb.classes_, ref.classes_)
    assert lb.y_type_ == ref.y_type_
    np.testing.assert_array_equal(lb.transform(yd).compute().to_numpy(), ref.transform(y))


def test_vocabulary_behind_an_imputer_in_a_pipeline():
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    df = pd.DataFrame({"c": pd.Categorical(["a", None, "a", "b", None, "z"]),
                       "n": np.arange(6.0)})
    ddf = dd.from_pandas(df, npartitions=3)
    cat = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder())
    ct = iid.ColumnTransformer([("cat", cat, ["c"])], remainder="passthrough").fit(ddf)
    encoder = ct.named_transformers_["cat"][-1]
    assert encoder.categories_[0].tolist() == ["a", "b", "z"]
    assert encoder.categories == "auto"
    assert ct.transform(ddf).compute().shape == (6, 4)


def test_vocabulary_streaming_fit_hands_the_categories_too():
    class StreamingOrdinalEncoder(OrdinalEncoder):
        """Learns its categories from the first block it sees, as a sample would."""

        def partial_fit(self, X, y=None):
            if not hasattr(self, "categories_"):
                self.fit(X)
            return self

    Variant = incremental.variant(StreamingOrdinalEncoder)
    df = pd.DataFrame({"c": pd.array(["a", "a", "b", "b", "c", "z"], dtype="str")})
    est = Variant(shuffle_blocks=False).fit(dd.from_pandas(df, npartitions=3))
    assert est.categories_[0].tolist() == ["a", "b", "c", "z"]
    assert est.categories == "auto" and clone(est).categories == "auto"


def test_vocabulary_explicit_categories_are_the_users():
    df = pd.DataFrame({"c": pd.array(["a", "a", "b", "z"], dtype="str")})
    enc = iid.OneHotEncoder(categories=[["a", "b", "z", "w"]]).fit(
        dd.from_pandas(df, npartitions=2))
    assert enc.categories_[0].tolist() == ["a", "b", "z", "w"]
    with pytest.raises(ValueError, match="unknown categories"):
        iid.OneHotEncoder(categories=[["a", "b"]]).fit(
            dd.from_pandas(df, npartitions=2)).transform(
            dd.from_pandas(df, npartitions=2)).compute()


def test_vocabulary_missing_strings_as_pandas_str_dtype():
    # dask reads missing strings as pd.NA, which scikit-learn's encoders refuse; the
    # README's fix, pandas' own "str" dtype, gives NaN, which they learn as a category
    df = pd.DataFrame({"s": ["a", None, "b", "a", None, "z"]})
    ddf = dd.from_pandas(df, npartitions=3).astype({"s": "str"})
    enc = iid.OneHotEncoder(sparse_output=False).fit(ddf)
    ref = OneHotEncoder(sparse_output=False).fit(ddf.compute())
    _same_categories(enc.categories_, ref.categories_)
    if int(pd.__version__.split(".")[0]) >= 3:  # pandas 2's "str" is object, with NA
        assert _norm(enc.categories_[0]) == ["a", "b", "z", "<nan>"]
    np.testing.assert_array_equal(enc.transform(ddf).compute().to_numpy(),
                                  ref.transform(ddf.compute()))


# ------------------------------------------------------------ each block read once


def _counting_frame(pieces, calls):
    """A dask frame of ``pieces`` whose partitions count how often they are read."""
    def read(i):
        calls[i] = calls.get(i, 0) + 1
        return pieces[i]

    return dd.from_map(read, range(len(pieces)), meta=pieces[0].iloc[:0],
                       enforce_metadata=False)


def _pieces():
    rng = np.random.RandomState(0)
    pieces = []
    for k in range(5):
        n = 0 if k == 1 else 20  # partition 1 is empty: the sample skips it
        pieces.append(pd.DataFrame(
            {"s": rng.choice(["a", "b", f"only{k}"], n), "i": rng.randint(0, 3 + k, n)},
            index=range(20 * k, 20 * k + n)))
    return pieces


@pytest.mark.parametrize("sample_blocks", [1, 2])
def test_iid_sampled_fit_reads_each_block_once(sample_blocks):
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    pieces = _pieces()
    whole = pd.concat(pieces)
    for est, ref in [
        (iid.OneHotEncoder(sample_blocks=sample_blocks), OneHotEncoder()),
        (iid.ColumnTransformer([("o", OrdinalEncoder(), ["s"])], sample_blocks=sample_blocks),
         ColumnTransformer([("o", OrdinalEncoder(), ["s"])])),
    ]:
        calls = {}
        with dask.config.set(scheduler="sync"):
            est.fit(_counting_frame(pieces, calls))
        assert calls == dict.fromkeys(range(5), 1), type(est).__name__
        fitted = est if not hasattr(est, "named_transformers_") else est.named_transformers_["o"]
        ref_fitted = ref.fit(whole)
        ref_fitted = getattr(ref_fitted, "named_transformers_", {"o": ref_fitted})["o"]
        _same_categories(fitted.categories_, ref_fitted.categories_)
    calls = {}
    pipe = iid.Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                         ("enc", OneHotEncoder())], sample_blocks=sample_blocks)
    with dask.config.set(scheduler="sync"):
        pipe.fit(_counting_frame(pieces, calls))
    assert calls == dict.fromkeys(range(5), 1)
    ref = make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()).fit(whole)
    _same_categories(pipe.named_steps["enc"].categories_, ref[-1].categories_)


def test_iid_label_encoder_reads_each_block_once():
    pieces = [p["s"] for p in _pieces()]
    calls = {}
    with dask.config.set(scheduler="sync"):
        enc = iid.LabelEncoder().fit(_counting_frame(pieces, calls))
    assert calls == dict.fromkeys(range(5), 1)
    np.testing.assert_array_equal(enc.classes_, LabelEncoder().fit(pd.concat(pieces)).classes_)
