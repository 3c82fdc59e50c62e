"""Fit on every row, block by block in parallel, with scikit-learn's own answer."""
import copy

from sklearn.base import clone

from ..blocks import _blocks, _labels, _rows
from ..engine import _exact
from ..engine.rules import rule_for
from ..blocks._checks import check_dask_X, check_params
from .._variants._protocol import NOTHING, VariantMixinBase
from .blockwise import BlockwisePredictMixin

__all__ = ["ExactMixin"]


class ExactMixin(VariantMixinBase):
    """Fit on every row of a dask input: per-block statistics, merged, finished once.

    ``fit`` computes a statistic of every row block in parallel on the active scheduler
    (one task per block, next to its data on a cluster), merges them in a tree and
    finishes once: the fitted attributes equal scikit-learn's ``fit`` on the
    concatenated blocks to floating-point rounding. Other input goes to the
    scikit-learn class. Only classes with an exact rule
    (:mod:`dask_variants.engine.rules`) take this mixin.
    """

    _namespace = "dask_variants.exact"
    _companions = (BlockwisePredictMixin,)
    _namespace_doc = """
        On a dask array or DataFrame, ``fit`` uses every row: a statistic of every row
        block is computed in parallel (one task per block, next to its data on a
        cluster), the statistics are merged in a tree and the model is finished once,
        so the fitted attributes equal scikit-learn's ``fit`` on the concatenated data
        to floating-point rounding. Every post-fit method (``predict``, ``transform``,
        ...) runs lazily on every block in parallel."""
    _overrides = {"fit": "_exact_fit_variant", "partial_fit": "_exact_partial_fit_variant"}

    @classmethod
    def _check_base(cls, base):
        super()._check_base(base)
        if rule_for(base) is None:
            name = base.__name__
            raise TypeError(
                f"{name} has no exact all-rows fit in dask_variants.exact. Use "
                f"dask_variants.iid.variant({name}) to fit on a sample of blocks, or "
                f"dask_variants.incremental.variant({name}) to stream the blocks through "
                "partial_fit where it has one."
            )

    def _exact_partial_fit_variant(self, name, X, y, params):
        """On a dask input: merge every row into the fitted state, exactly.

        Only for estimators whose ``partial_fit`` state merges exactly (scalers, naive
        Bayes): the blocks are fitted in parallel and merged into the current state, as
        a ``partial_fit`` on the concatenated blocks would leave it.
        """
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)
        return _partial_fit(self, name, X, None if y is NOTHING else y, params)

    def _exact_fit_variant(self, name, X, y, params):
        """On a dask input: every row, by the class's exact rule."""
        if not _blocks.any_dask(X, y, params):
            return self._call_base(name, X, y, params)
        check_params(self)  # scikit-learn's own parameter errors, before any block
        owner = f"{type(self).__name__}.{name}"
        rule = _exact.rule(self)
        if getattr(rule, "composite", False):
            work = _exact_composite(clone(self), rule, owner)  # refusals before any block
            rule.fit_composite(work, name, X, None if y is NOTHING else y, params)
            return self._adopt(work)
        X = check_dask_X(self, X, name)
        per_row, static = _rows.split_params(X, params, owner=owner)
        _exact.check(self, static, per_row)  # what the rule refuses, before any block
        y = None if y is NOTHING else y
        X, y, per_row = _rows.align_all(X, y, per_row, owner=owner)
        work = clone(self)
        _exact.fit(work, X, y, per_row, static, method=name)
        _labels.record_target(work, y)  # names predict's Series on frame input
        return self._adopt(work)


def _partial_fit(est, name, X, y, params):
    """``partial_fit`` on a dask input: one pass of the exact merge into the state."""
    from ..engine import _fit, _merge
    from ..engine._prepare import prepare_stream

    if _merge.rule(est) is None:
        raise TypeError(
            f"{type(est).__name__}.partial_fit on a dask input has no exact merge of its "
            f"partial state in dask_variants.exact. Call fit (every row, exact), or use "
            f"dask_variants.incremental.{type(est).__name__} to stream the blocks."
        )
    work = copy.deepcopy(est)
    X, y, per_row, static = prepare_stream(est, work, X, y, params, name, fresh=False)
    _fit.fit(work, X, y, per_row, static, passes=1, shuffle=False, random_state=None,
             method=name)
    _labels.record_target(work, y)
    return est._adopt(work)


def _exact_composite(composite, rule, owner):
    """``composite`` (a private copy) with every step made exact, in place, recursively.

    The steps listed in ``rule.steps`` and the single steps of ``rule.singles``
    (``ColumnTransformer``'s ``remainder``) go through :func:`_exact_steps`.
    """
    setattr(composite, rule.steps,
            _exact_steps(composite, getattr(composite, rule.steps), owner))
    for attr in rule.singles:
        [(_, made)] = _exact_steps(composite, [(attr, getattr(composite, attr))], owner)
        setattr(composite, attr, made)
    return composite


def _exact_steps(composite, steps, owner):
    """``steps`` with every estimator made exact, checked before any block is read.

    An exact variant stays as it is; a scikit-learn estimator with an exact rule becomes
    its exact variant (same parameters); a stateless one (``requires_fit=False`` in its
    tags: nothing to learn from rows) its ``iid`` variant, which fits on one block; so
    does an encoder whose fitted state is its vocabulary alone (``OneHotEncoder`` and
    ``OrdinalEncoder`` without ``min_frequency`` / ``max_categories``), whose ``iid``
    fit learns ``categories_`` from every block (:mod:`dask_variants.blocks._vocabulary`):
    the all-rows answer. ``'passthrough'``, ``'drop'`` and ``None`` stay. Composites
    inside are made exact the same way, recursively. Anything else is refused, naming
    the step. A step's ``set_output`` configuration and metadata requests are kept.
    """
    from sklearn.utils import get_tags

    from .._variants._factory import make_variant
    from .iid import IIDMixin

    out = []
    for name, step in steps:
        if step is None or (isinstance(step, str) and step in ("passthrough", "drop")):
            out.append((name, step))
            continue
        base = _blocks.in_memory_class(step)
        if isinstance(step, ExactMixin):
            made = step
        elif rule_for(base) is not None:
            made = _remade(make_variant(ExactMixin, base), step)
        elif isinstance(step, IIDMixin) and _vocabulary_only(step, name, owner):
            made = step
        elif not get_tags(step).requires_fit or _vocabulary_only(step, name, owner):
            made = _remade(make_variant(IIDMixin, base), step)
        else:
            raise TypeError(
                f"{owner}: step {name!r} ({base.__name__}) has no exact all-rows fit, so "
                f"the {type(composite).__name__} cannot be fitted exactly. Use a step from "
                "dir(dask_variants.exact), or dask_variants.iid."
                f"{type(composite).__name__} to fit the steps on a sample of blocks."
            )
        inner = _exact.rule(made)
        if getattr(inner, "composite", False):
            made = _exact_composite(clone(made), inner, owner)
        out.append((name, made))
    return out


def _remade(variant, step):
    """``step``'s parameters on ``variant``, with what ``clone`` keeps besides them."""
    made = variant(**step.get_params(deep=False))
    for attr in ("_sklearn_output_config", "_metadata_request"):
        if attr in vars(step):
            setattr(made, attr, copy.deepcopy(vars(step)[attr]))
    return made


def _vocabulary_only(step, name, owner):
    """True for an encoder whose fit learns its vocabulary and nothing else.

    ``min_frequency`` / ``max_categories`` make it count the categories: refused, as the
    sampled fit would count them on the sample only.
    """
    from ..blocks import _kinds

    if not _kinds.is_vocabulary_encoder(step):
        return False
    params = step.get_params(deep=False)
    for param in ("min_frequency", "max_categories"):
        if params.get(param) is not None:
            raise ValueError(
                f"{owner}: step {name!r} ({type(step).__name__}) with {param}="
                f"{params[param]!r} counts the categories to group the infrequent ones, "
                "which dask_variants.exact does not: only its vocabulary is learned from "
                f"every row. Use {param}=None, or fit the composite from "
                "dask_variants.iid on a sample of blocks."
            )
    return True


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
