"""dask-ml's ``cv_results_`` and ``model_history_`` from the search engine's records."""
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

__all__ = []


def by_model(log):
    """``{model_id: [record, ...]}`` from the engine's records, in order."""
    out = defaultdict(list)
    for record in log:
        out[record["model_id"]].append(record)
    return dict(out)


def cv_results(model_history):
    """dask-ml's ``cv_results_`` from ``{model_id: [record, ...]}``."""
    rows = []
    for m, hist in model_history.items():
        fit_times = [h["partial_fit_time"] for h in hist]
        score_times = [h["score_time"] for h in hist]
        rows.append({
            "mean_partial_fit_time": np.mean(fit_times),
            "mean_score_time": np.mean(score_times),
            "std_partial_fit_time": np.std(fit_times),
            "std_score_time": np.std(score_times),
            "test_score": hist[-1]["score"],
            "model_id": m,
            "params": hist[0]["params"],
            "partial_fit_calls": hist[-1]["partial_fit_calls"],
            **({"bracket": hist[0]["bracket"]} if "bracket" in hist[0] else {}),
        })
    out = {k: [row[k] for row in rows] for k in rows[0]}
    params = defaultdict(list)
    for p in out["params"]:
        for k, v in p.items():
            params[k].append(v)
    for k, v in params.items():
        out["param_" + k] = v
    out = {k: _array(v) for k, v in out.items()}
    import scipy.stats

    out["rank_test_score"] = scipy.stats.rankdata(-out["test_score"], method="min").astype(int)
    return out


def _array(values):
    if values and isinstance(values[0], Mapping):
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        return arr
    return np.array(values)
