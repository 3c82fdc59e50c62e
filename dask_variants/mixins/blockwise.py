"""Post-fit methods that run lazily, one task per row block."""
import warnings

from sklearn.utils.validation import check_is_fitted

from .._variants._protocol import NOTHING, VariantMixinBase, sklearn_base
from ..blocks import _apply, _blocks, _rows
from ..blocks._rules import is_a, score_plan
from ..exceptions import EagerComputeWarning
from ..blocks._checks import check_columns, check_dask_X

__all__ = ["BlockwisePredictMixin"]

#: methods that map rows to rows, run block by block on dask input
ROW_METHODS = (
    "predict",
    "predict_proba",
    "predict_log_proba",
    "predict_joint_log_proba",
    "decision_function",
    "transform",
    "inverse_transform",
    "score_samples",
    "apply",
    "mahalanobis",
)

def _check_fitted(est):
    """``check_is_fitted``, except where scikit-learn's methods work unfitted untagged.

    scikit-learn 1.6's ``HashingVectorizer`` is stateless, and its ``transform`` works
    unfitted, but only 1.7 says so in its tags (``requires_fit=False``, which
    ``check_is_fitted`` honours); so an unfitted one is not refused on 1.6 either.
    """
    if is_a(est, "sklearn.feature_extraction.text:HashingVectorizer"):
        return
    check_is_fitted(est)


class BlockwisePredictMixin(VariantMixinBase):
    """Run inherited post-fit methods lazily, one task per row block.

    On a dask array the result is a dask array; on a dask DataFrame, a dask DataFrame or
    Series with the input's index. Shape, dtype and meta come from fitted attributes; no
    block is computed to find them. Any other input goes to the scikit-learn method.
    """

    _overrides = {
        **{name: "_blockwise_variant" for name in ROW_METHODS},
        "score": "_score_variant",
        "fit_transform": "_fit_then_variant",
        "fit_predict": "_fit_then_variant",
    }

    def _blockwise_variant(self, name, X, y, params):
        """On a dask input: lazy, one task per row block; the method is the base's."""
        if not _blocks.is_dask(X):
            return self._call_base(name, X, y, params)
        _check_fitted(self)
        X = check_dask_X(self, X, name)
        if name != "inverse_transform":  # its input has the output's columns
            check_columns(self, X)
        return _apply.apply_rows(self, name, X, params, owner=f"{type(self).__name__}.{name}")

    def _score_variant(self, name, X, y, params):
        """On a dask input: the default metric, computed block by block in parallel."""
        if not (_blocks.is_dask(X) or _blocks.is_dask(y)):
            return self._call_base(name, X, y, params)
        check_is_fitted(self)
        X = check_dask_X(self, X, name)
        check_columns(self, X)
        y = None if y is NOTHING else y
        owner = f"{type(self).__name__}.score"
        sample_weight = params.pop("sample_weight", None)
        X, y, aligned = _rows.align_all(X, y, {"sample_weight": sample_weight}, owner=owner)
        sample_weight = aligned["sample_weight"]
        plan = score_plan(sklearn_base(type(self)))
        if plan == "metric":
            from ..metrics import check_scoring

            return check_scoring(self)(self, X, y, sample_weight=sample_weight)
        if plan is not None and not params:
            return _apply.reduce_scores(self, X, y, sample_weight, plan)
        warnings.warn(
            f"{type(self).__name__}.score has no blockwise form; computing X and y "
            "into memory to call scikit-learn's. Silence with warnings.filterwarnings("
            "'ignore', category=dask_variants.exceptions.EagerComputeWarning).",
            EagerComputeWarning,
            stacklevel=3,
        )
        import dask

        X, y, sample_weight = dask.compute(X, y, sample_weight)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self._call_base(name, X, NOTHING if y is None else y, params)

    def _fit_then_variant(self, name, X, y, params):
        """On a dask input: ``fit`` as the namespace says, then the lazy method."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        method = name[len("fit_"):]
        if not hasattr(self._dask_variants_base(), method):
            raise TypeError(
                f"{type(self).__name__} has no {method} method, so {name} on a dask input "
                f"would need every row in memory at once. Compute X first "
                f"({name}(X.compute())) or use an estimator with {method}."
            )
        self.fit(X, *(() if y is NOTHING else (y,)), **params)
        return getattr(self, method)(X)


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
