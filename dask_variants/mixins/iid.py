"""Fit on a sample of row blocks; predict everywhere (see ``BlockwisePredictMixin``)."""
import copy

from sklearn.utils import check_random_state

from ..blocks import _blocks, _labels, _rows, _vocabulary
from ..blocks._checks import check_dask_X, check_params, is_whole
from .._variants._protocol import NOTHING, VariantMixinBase
from .blockwise import BlockwisePredictMixin

__all__ = ["IIDMixin"]


class IIDMixin(VariantMixinBase):
    """Fit on the leading row block(s) of a dask input, materialised; other input as is.

    For data that are independent and identically distributed, the first block is a
    representative sample: ``fit`` trains the scikit-learn class on it, and every
    post-fit method then runs on all blocks in parallel. Vocabularies (encoders'
    categories, label encoders' classes) are learned from every block instead; see
    ``dask_variants.blocks._vocabulary`` for the rule and the classes it covers.
    """

    _namespace = "dask_variants.iid"
    _companions = (BlockwisePredictMixin,)
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` trains on a sample of whole row blocks
        (the first block by default), computed into memory, and every post-fit method
        (``predict``, ``transform``, ...) runs lazily on every block in parallel.
        Suited to independent, identically distributed rows. A vocabulary is not
        sampled: encoders' ``categories_`` (``OneHotEncoder``, ``OrdinalEncoder``,
        ``TargetEncoder``, also inside a ``ColumnTransformer`` or ``Pipeline``) and
        ``LabelEncoder`` / ``LabelBinarizer``'s ``classes_`` are learned from every
        block by a parallel reduction; a known ``category`` dtype gives its declared
        categories."""
    _extra_params = {"sample_blocks": 1, "sample_choice": "leading"}
    _extra_docs = {
        "sample_blocks": "How many row blocks ``fit`` trains on (dask input only).",
        "sample_choice": (
            "``'leading'`` takes the first ``sample_blocks`` blocks; ``'random'`` a choice "
            "seeded by the estimator's ``random_state``."
        ),
    }
    _overrides = {"fit": "_iid_fit_variant", "partial_fit": "_iid_fit_variant"}

    def _sample_indices(self, n):
        k = self._knob("sample_blocks")
        choice = self._knob("sample_choice")
        if not is_whole(k):
            raise ValueError(
                f"{type(self).__name__}: sample_blocks must be a whole number >= 1, got "
                f"{k!r}. Set e.g. sample_blocks=2 to train on two blocks."
            )
        if choice == "leading":
            return list(range(min(k, n)))
        if choice == "random":
            rng = check_random_state(getattr(self, "random_state", None))
            return sorted(int(i) for i in rng.choice(n, size=min(k, n), replace=False))
        raise ValueError(
            f"{type(self).__name__}: sample_choice must be 'leading' or 'random', got "
            f"{choice!r}."
        )

    def _iid_fit_variant(self, name, X, y, params):
        """On a dask input: train on the sampled row blocks, computed into memory."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)  # before loading the sample; its fit checks the target
        owner = f"{type(self).__name__}.{name}"
        X = check_dask_X(self, X, name)
        per_row, static = _rows.split_params(X, params, owner=owner)
        X, ys, per_row = _rows.align_all(X, None if y is NOTHING else y, per_row,
                                           owner=owner)
        Xs, ys, per_row, loaded = self._load_sample(X, ys, per_row, owner)
        vocabulary = _vocabulary.Vocabulary(  # encoders' categories: from every block,
            self, X, sample=(Xs, ys), loaded=loaded)  # the sample's not read again
        values = vocabulary.compute()
        ys = NOTHING if y is NOTHING else ys
        work = copy.deepcopy(self) if name == "partial_fit" else copy.copy(self)
        try:
            with vocabulary.fitting(work, values, Xs) as Xs:
                work._call_base(name, Xs, ys, {**static, **per_row})
        except ValueError as err:
            raise _sample_error(err, owner, Xs, _blocks.n_blocks(X)) from err
        _labels.record_target(work, None if y is NOTHING else y)  # names predict's Series
        return self._adopt(work)

    def _load_sample(self, X, y, per_row, owner):
        """Compute the sampled row blocks, skipping empty ones, as one in-memory sample.

        The blocks drawn by ``sample_blocks`` / ``sample_choice`` are loaded first; an
        empty one is replaced by the next non-empty block in order. Returns the sample's
        ``X``, ``y`` and per-row parameters, and the indices of every block loaded.
        """
        from ..engine._source import Source

        source = Source(X, y, per_row)
        chosen = self._sample_indices(source.n)
        queue = chosen + [k for k in range(source.n) if k not in set(chosen)]
        need, got, loaded = len(chosen), [], []
        while queue and len(got) < need:
            batch, queue = queue[:need - len(got)], queue[need - len(got):]
            got += [b for b in source.load(batch) if _blocks.n_rows(b[0])]
            loaded += batch
        if not got:
            raise ValueError(
                f"{owner} got no rows: all {source.n} row blocks of X are empty. Check "
                "the filter or the files that X was read from."
            )
        xs, ys, params = zip(*got)
        names = params[0].keys()
        return (_blocks.concat(xs), None if y is None else _blocks.concat(ys),
                {n: _blocks.concat([p[n] for p in params]) for n in names}, loaded)


def _sample_error(err, owner, Xs, n):
    """``err`` of the base's fit, saying it saw only the sample and how to give it more."""
    note = (
        f" ({owner} on a dask input trains on a sample: {_blocks.n_rows(Xs)} rows from "
        f"the leading row blocks of {n}. Train on more with sample_blocks=... or "
        "sample_choice='random', or rechunk X into larger blocks.)"
    )
    try:
        return type(err)(f"{err}{note}")
    except Exception:  # noqa: BLE001 - a type whose constructor wants other arguments
        return ValueError(f"{type(err).__name__}: {err}{note}")

def __dir__():  # the public names only, not this module's imports
    return list(__all__)
