"""One timed CountVectorizer fit (and transform) in a fresh interpreter; prints one JSON
line. Run by bench_text.py.

    python _text_run.py {ours,dask_ml} {threads,processes} PARQUET_DIR PARAMS_JSON [transform]

Runs under our environment (``ours``) or the dask-ml 2025.1 one (``dask_ml``), so it
imports nothing of ours for ``dask_ml``. An untimed fit on the first partition pays the
imports and the process pool's start; then ``fit`` on every partition is timed, and
``transform`` computed block by block (the number of stored counts, summed).
"""
import hashlib
import json
import sys
import time


def vectorizer(contender):
    if contender == "ours":
        from dask_variants.exact import CountVectorizer
    else:
        from dask_ml.feature_extraction.text import CountVectorizer
    return CountVectorizer


def digest(vocabulary):
    """A short hash of a vocabulary (term -> column), independent of dict order."""
    items = sorted((str(t), int(i)) for t, i in vocabulary.items())
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:16]


def main():
    contender, scheduler, path, params = sys.argv[1:5]
    with_transform = sys.argv[5:6] == ["transform"]
    params = json.loads(params)
    import dask
    import dask.dataframe as dd

    CountVectorizer = vectorizer(contender)
    # object strings on both sides: dask-ml's fit infers its meta by running the
    # analyzer on a fake partition, whose pyarrow strings are <NA> (it fails on them)
    with dask.config.set({"scheduler": scheduler, "dataframe.convert-string": False}):
        text = dd.read_parquet(path)["text"]
        if contender == "dask_ml":
            # dask-ml fits a dask Bag: on a dask Series its fit infers a meta by running
            # the analyzer on a fake partition and fails (dask 2025.1 and 2026.x alike)
            text = text.to_bag()
        first = dd.read_parquet(path)["text"].partitions[0]
        if contender == "dask_ml":
            first = first.to_bag()
        CountVectorizer(**params).fit(first)  # warm-up: imports, the process pool
        t0 = time.perf_counter()
        try:
            est = CountVectorizer(**params).fit(text)
        except Exception as err:  # the contender refuses these parameters: say so
            print(json.dumps({"error": f"{type(err).__name__}: {err}"[:300]}))
            return
        fit = time.perf_counter() - t0
        nnz = transform = None
        if with_transform:
            t0 = time.perf_counter()
            Xt = est.transform(text)
            nnz = int(sum(dask.compute(*[dask.delayed(lambda b: b.nnz)(b)
                                         for b in Xt.to_delayed().ravel()])))
            transform = time.perf_counter() - t0
    print(json.dumps({"fit": fit, "transform": transform, "nnz": nnz,
                      "n_terms": len(est.vocabulary_), "vocabulary": digest(est.vocabulary_),
                      "n_partitions": text.npartitions}))


if __name__ == "__main__":
    main()
