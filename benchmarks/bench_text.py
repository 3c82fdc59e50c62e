"""exact.CountVectorizer against dask-ml's on 1,000,000 short documents in 20 partitions.

    python benchmarks/bench_text.py            # 1,000,000 documents, 20 parquet files
    python benchmarks/bench_text.py --quick    # 100,000 documents
    python benchmarks/bench_text.py --schedulers threads --repeats 1 --no-transform

The documents (5 to 15 words drawn from a Zipf-distributed vocabulary of 30,000 words)
are written once as 20 parquet files; ``dd.read_parquet(dir)["text"]`` is what both
vectorizers fit on. dask-ml 2025.1 fails on the dask we install (2026.x), so it runs in
the dask-ml 2025.1 environment of ``bench_search.py`` (created on first use); each fit
runs in a fresh interpreter (``_text_run.py``), ours and dask-ml's alternating, on the
threaded and the process scheduler. The vocabulary each side learns is compared with
scikit-learn's ``CountVectorizer`` fitted on all the documents in memory.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from _common import RESULTS, median, write_json  # noqa: E402
from bench_search import dask_ml_python  # noqa: E402

N_FILES = 20
N_WORDS = 30_000
PARAMS = [{}, {"min_df": 2, "max_df": 0.5, "max_features": 10_000}]
CONTENDERS = ("ours", "dask_ml")
SCHEDULERS = ("threads", "processes")


def make_documents(n_docs, seed=0):
    import numpy as np

    rng = np.random.RandomState(seed)
    words = np.array([f"w{i}" for i in range(N_WORDS)], dtype=object)
    p = 1.0 / np.arange(1, N_WORDS + 1) ** 1.1
    lengths = rng.randint(5, 16, n_docs)
    drawn = words[rng.choice(N_WORDS, lengths.sum(), p=p / p.sum())]
    ends = np.cumsum(lengths)
    return [" ".join(drawn[e - n:e]) for e, n in zip(ends, lengths)]


def write_data(n_docs):
    """The documents as ``N_FILES`` parquet files (made once); their directory."""
    import numpy as np
    import pandas as pd

    where = os.path.join(HERE, "_data", f"text-{n_docs}-{N_FILES}")
    if not os.path.exists(os.path.join(where, "_done")):
        os.makedirs(where, exist_ok=True)
        docs = make_documents(n_docs)
        for k, idx in enumerate(np.array_split(np.arange(n_docs), N_FILES)):
            pd.DataFrame({"text": pd.Series([docs[i] for i in idx], dtype=object)}).to_parquet(
                os.path.join(where, f"part-{k:03d}.parquet"), index=False)
        open(os.path.join(where, "_done"), "w").close()
    return where


def reference(where, params):
    """scikit-learn's vocabulary digest on every document, in memory."""
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    from _text_run import digest

    docs = pd.read_parquet(where)["text"]
    return digest(CountVectorizer(**params).fit(docs).vocabulary_)


def run_one(contender, scheduler, where, params, transform):
    python = sys.executable if contender == "ours" else dask_ml_python()
    env = dict(os.environ, PYTHONPATH=HERE + (os.pathsep + REPO if contender == "ours"
                                              else ""))
    out = subprocess.run(
        [python, os.path.join(HERE, "_text_run.py"), contender, scheduler, where,
         json.dumps(params)] + (["transform"] if transform else []), env=env, capture_output=True, text=True, timeout=3600)
    if out.returncode:
        raise RuntimeError(f"{contender} on {scheduler} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def label(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--schedulers", default=",".join(SCHEDULERS))
    parser.add_argument("--no-transform", action="store_true",
                        help="time fit only (transform is scikit-learn's on each block "
                             "on both sides)")
    args = parser.parse_args()
    schedulers = args.schedulers.split(",")
    n_docs = 100_000 if args.quick else 1_000_000
    where = write_data(n_docs)
    runs, refs = {}, {}
    for p, params in enumerate(PARAMS):
        refs[p] = reference(where, params)
        for _ in range(args.repeats):  # alternating: ours, dask-ml, ours, dask-ml...
            for scheduler in schedulers:
                for contender in CONTENDERS:
                    got = run_one(contender, scheduler, where, params, not args.no_transform)
                    print(contender, scheduler, label(params), got, flush=True)
                    runs.setdefault(f"{p}|{scheduler}|{contender}", []).append(got)
    rows = []
    for p, params in enumerate(PARAMS):
        for scheduler in schedulers:
            cells = {}
            for contender in CONTENDERS:
                results = runs[f"{p}|{scheduler}|{contender}"]
                if "error" in results[0]:
                    cells[contender] = {"error": results[0]["error"]}
                    continue
                cells[contender] = {
                    "fit": median([r["fit"] for r in results]),
                    "transform": (None if results[0]["transform"] is None else
                                  median([r["transform"] for r in results])),
                    "n_terms": results[0]["n_terms"],
                    "same_as_sklearn": all(r["vocabulary"] == refs[p] for r in results),
                }
            rows.append({"params": params, "scheduler": scheduler, **cells})
    name = "text_quick" if args.quick else "text"
    write_json(name, {"n_docs": n_docs, "schedulers": schedulers, "n_files": N_FILES, "repeats": args.repeats,
                      "runs": runs, "sklearn_vocabulary": refs, "rows": rows})
    write_summary(name, n_docs, rows)


def write_summary(name, n_docs, rows):
    def cell(c, key):
        if "error" in c:
            return "refused" if key == "fit" else "-"
        if key == "same":
            return "yes" if c["same_as_sklearn"] else "**no**"
        return "-" if c[key] is None else f"{c[key]:.2f}"

    header = ["CountVectorizer, %s documents, %d parquet files" % (f"{n_docs:,}", N_FILES),
              "scheduler", "measure", "dask_variants.exact", "dask-ml 2025.1", "ratio"]
    lines = []
    for r in rows:
        for key, what in (("fit", "fit (s)"), ("transform", "transform, computed (s)"),
                          ("same", "vocabulary = scikit-learn's")):
            ours, theirs = r["ours"], r["dask_ml"]
            ratio = "-"
            if key != "same" and "error" not in ours and "error" not in theirs and \
                    ours[key] is not None:
                ratio = f"{ours[key] / theirs[key]:.2f}"
            lines.append([label(r["params"]), r["scheduler"], what, cell(ours, key),
                          cell(theirs, key), ratio])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    rule = "  ".join("=" * w for w in widths)
    fmt = lambda row: "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip()
    text = "\n".join([rule, fmt(header), rule, *map(fmt, lines), rule]) + "\n"
    errors = {r["params"].__repr__(): r["dask_ml"]["error"] for r in rows
              if "error" in r["dask_ml"]}
    for params, err in errors.items():
        text += f"\ndask-ml refused {params}: {err}\n"
    with open(os.path.join(RESULTS, f"{name}_summary.rst"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
