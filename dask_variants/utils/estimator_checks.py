"""Checks that a variant keeps its estimator's behaviour and dask's laziness.

For the class of ``dask_variants.iid.variant(MyEstimator)`` or
``dask_variants.incremental.variant(MyEstimator)``, :func:`check_variant` runs every check
that applies and :func:`variant_checks` lists them, to run one by one (one test each).
Which checks apply, and the small problem each one fits, are chosen by the estimator's
scikit-learn tags (``__sklearn_tags__()``): a classifier gets labels, a regressor a
target; estimators whose input has no row blocks (dicts, label sets, 3-D stacks, an
``n x n`` kernel) get no dask-input checks.

Every check takes a variant instance, or a variant class which it builds with default
parameters, and works on a copy (``clone``), so the instance passed is never changed.
The copy has every ``random_state`` that is ``None`` set to 0 and the block order made
reproducible (``shuffle_blocks=False``, ``holdout_blocks=None``,
``sample_choice="leading"``), so that its results can be compared exactly with the
scikit-learn class fitted on the same rows in the same order: ``epochs`` passes over the
blocks through ``partial_fit`` (``incremental``), or the first ``sample_blocks`` blocks
(``iid``; a vocabulary from every row).
"""
import inspect
import pickle
import warnings
from functools import partial, update_wrapper
from unittest import SkipTest

import dask
import dask.array as da
import numpy as np
import scipy.sparse
from numpy.testing import assert_array_equal
from sklearn.base import clone

from ..blocks import _blocks
from ..mixins.blockwise import ROW_METHODS
from ._check_data import (
    as_base, assert_eq, assert_raises_like, assert_same, call, data_for, fit,
    has_row_blocks, no_compute, post_fit_methods, reference_fit, to_dask, working_copy,
)

__all__ = ["check_variant", "variant_checks"]

_ALL_METHODS = ROW_METHODS + (
    "fit", "partial_fit", "score", "fit_transform", "fit_predict", "set_output",
    "get_feature_names_out", "staged_predict", "kneighbors",
)


def variant_checks(variant, *, random_methods=()):
    """Return the checks that apply to ``variant``, chosen by its scikit-learn tags.

    Parameters
    ----------
    variant : variant class or instance
        E.g. ``dask_variants.iid.variant(MyEstimator)``. A class is built with its
        default parameters to read its tags; pass an instance when the tags depend on
        parameters or the class has required ones.
    random_methods : iterable of str, default=()
        Post-fit methods that draw fresh random numbers on every call (as
        ``BernoulliRBM.score_samples`` does), so that a call per block cannot equal one
        call on all rows: only their shape and dtype are compared on dask input.

    Returns
    -------
    list of callable
        Each is named ``check_<property>``, takes a variant instance (or class), raises
        ``AssertionError`` when the property does not hold, and leaves the instance
        passed unchanged. The checks of dask input are left out when the tags say the
        input has no row blocks: dicts (``input_tags.dict``), label sets as ``X``
        (``target_tags.two_d_labels`` without ``input_tags.two_d_array``), 3-D stacks
        only, a precomputed kernel (``input_tags.pairwise``); called on such an
        estimator anyway, they raise ``unittest.SkipTest``.

    See Also
    --------
    check_variant : Run them all.

    Examples
    --------
    >>> from dask_variants import iid
    >>> from dask_variants.utils.estimator_checks import variant_checks
    >>> [check.__name__ for check in variant_checks(iid.linear_model.LinearRegression)]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['check_non_dask_input_equals_sklearn', 'check_dask_input_equals_base_on_computed',
     'check_fit_returns_self', 'check_clone_and_params_round_trip',
     'check_pickle_by_reference', 'check_post_fit_methods_are_lazy',
     'check_hasattr_and_signature_parity']
    >>> from sklearn.feature_extraction import DictVectorizer
    >>> len(variant_checks(iid.variant(DictVectorizer)))  # input is dicts: no row blocks
    4
    """
    est = working_copy(variant)
    try:
        tags = est.__sklearn_tags__()
    except Exception as err:
        if not isinstance(variant, type):
            raise
        raise TypeError(
            f"{variant.__name__}() with default parameters has no tags ({err}); pass an "
            "instance with the parameters it needs (e.g. its sub-estimator) instead."
        ) from err
    rows = has_row_blocks(tags)
    chosen = [check for check in _CHECKS if rows or check not in _DASK_INPUT_CHECKS]
    random_methods = frozenset(random_methods)
    if not random_methods:
        return chosen
    return [update_wrapper(partial(check, random_methods=random_methods), check)
            if "random_methods" in inspect.signature(check).parameters else check
            for check in chosen]


def check_variant(variant, *, checks=None, random_methods=()):
    """Run every check that applies to ``variant``; raise if one fails.

    Parameters
    ----------
    variant : variant class or instance
        E.g. ``dask_variants.iid.variant(MyEstimator)`` (built with default parameters)
        or ``dask_variants.incremental.variant(MyEstimator)(alpha=0.1)``. It is not
        changed: each check works on its own copy.
    checks : iterable of str, default=None
        Names of the checks to run (``"check_fit_returns_self"``, ...), or all of them.
        A named check that does not apply to ``variant``'s tags is not run.
    random_methods : iterable of str, default=()
        Post-fit methods whose every call draws fresh random numbers; see
        :func:`variant_checks`.

    Raises
    ------
    AssertionError
        Naming every check that failed, with its error (the first one chained).
    ValueError
        If ``checks`` names an unknown check.

    See Also
    --------
    variant_checks : The checks, to run one by one (e.g. one test each).

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> from dask_variants import iid
    >>> from dask_variants.utils.estimator_checks import check_variant
    >>> check_variant(iid.variant(LinearRegression))  # nothing: every check passed
    >>> check_variant(iid.variant(LinearRegression)(fit_intercept=False),
    ...               checks=["check_fit_returns_self"])
    """
    known = {check.__name__ for check in _CHECKS}
    wanted = known if checks is None else set([checks] if isinstance(checks, str) else checks)
    if wanted - known:
        raise ValueError(
            f"check_variant: unknown check(s) {sorted(wanted - known)!r}. Choose among "
            f"{sorted(known)!r}, or pass checks=None to run every one."
        )
    failures = []
    for check in variant_checks(variant, random_methods=random_methods):
        if check.__name__ not in wanted:
            continue
        try:
            check(variant)
        except SkipTest:
            continue
        except Exception as err:  # noqa: BLE001 - every failure is reported, by check
            failures.append((check.__name__, err))
    if failures:
        cls = variant if isinstance(variant, type) else type(variant)
        name = f"{cls.__module__}.{cls.__qualname__}"
        lines = [f"{check}: {type(err).__name__}: {err}" for check, err in failures]
        raise AssertionError(
            f"{name} fails {len(failures)} check(s): "
            f"{', '.join(check for check, _ in failures)}\n" + "\n".join(lines)
        ) from failures[0][1]


def _require_row_blocks(est):
    if not has_row_blocks(est.__sklearn_tags__()):
        raise SkipTest(f"{type(est).__name__}'s tags say its input has no row blocks")


# --------------------------------------------------------------------------- checks


def check_non_dask_input_equals_sklearn(variant):
    """NumPy in: every post-fit method gives the estimator class's result, type, dtype."""
    est = working_copy(variant)
    X, y = data_for(est)
    base = as_base(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fit(est, X, y) is est, "fit(numpy X) did not return the estimator itself"
        fit(base, X, y)
        for method in post_fit_methods(base):
            try:
                expected = call(base, method, X)
            except Exception as err:  # the base cannot either: the same error type
                assert_raises_like(err, lambda: call(est, method, X), method)
                continue
            got = call(est, method, X)
            assert type(got) is type(expected), (
                f"{method} returned {type(got).__name__}, the base {type(expected).__name__}")
            if isinstance(expected, (tuple, list)):
                assert len(got) == len(expected), method
                for g, e in zip(got, expected):
                    assert_same(g, e, err_msg=method)
                continue
            got_dtype, dtype = np.asarray(got).dtype, np.asarray(expected).dtype
            assert got_dtype == dtype, f"{method} returned {got_dtype}, the base {dtype}"
            assert_same(got, expected, err_msg=method)


def check_dask_input_equals_base_on_computed(variant, *, random_methods=()):
    """Dask in: fitted as the namespace says; each method lazily equals the base's."""
    est = working_copy(variant)
    _require_row_blocks(est)
    X, y = data_for(est)
    dX, dy = to_dask(X, y)
    # each block alone, as a large block would be: a method whose rows depend on the
    # other rows of its call must show it, not be hidden by small blocks computed together
    with warnings.catch_warnings(), _blocks.unbatched():
        warnings.simplefilter("ignore")
        assert fit(est, dX, dy) is est, "fit(dask X) did not return the estimator itself"
        ref = reference_fit(est, X, y)
        for method in post_fit_methods(ref):
            try:
                expected = call(ref, method, X)
            except Exception as err:
                assert_raises_like(err, lambda: dask.compute(call(est, method, dX)),
                                    f"{method}(dask X), computed,")
                continue
            got = call(est, method, dX)
            if method in random_methods:  # fresh random numbers: shape and dtype only
                shapes = (got.shape, got.compute().shape, np.shape(expected))
                assert shapes[0] == shapes[1] == shapes[2], f"{method} shapes {shapes}"
                assert got.dtype == expected.dtype, f"{method} gave {got.dtype}"
                continue
            if isinstance(got, list):  # multi-output predict_proba
                assert len(got) == len(expected), method
                for g, e in zip(got, expected):
                    assert_eq(g, e, method)
                continue
            assert isinstance(got, da.Array), (
                f"{method}(dask array) returned {type(got).__name__}, not a dask array")
            if isinstance(expected, list):  # ragged rows: vectorizers' inverse_transform
                computed = got.compute()
                assert len(computed) == len(expected), method
                for g, e in zip(computed, expected):
                    assert_array_equal(g, e, err_msg=method)
                continue
            if scipy.sparse.issparse(expected):
                assert_same(got.compute(), expected, err_msg=method, exact=False)
                continue
            assert_eq(got, expected, method)


def check_fit_returns_self(variant):
    """``fit`` on a dask input returns the estimator itself."""
    est = working_copy(variant)
    _require_row_blocks(est)
    X, y = to_dask(*data_for(est))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fit(est, X, y)
    assert got is est, f"fit(dask X) returned {got!r}, not the estimator itself"


def check_clone_and_params_round_trip(variant):
    """``clone``, ``get_params`` and ``set_params`` see the knobs like any parameter."""
    est = working_copy(variant)
    params = est.get_params()
    cloned = clone(est)
    assert type(cloned) is type(est), f"clone made a {type(cloned).__name__}"
    assert set(cloned.get_params()) == set(params), "clone has other parameters"
    own = inspect.signature(type(est).__init__).parameters
    knobs = set(own) - set(inspect.signature(type(as_base(est)).__init__).parameters)
    for name in sorted(knobs):
        assert name in params, f"knob {name!r} is not in get_params()"
        assert own[name].kind is inspect.Parameter.KEYWORD_ONLY, (
            f"knob {name!r} is not keyword-only")
    assert repr(est).startswith(type(est).__name__ + "("), repr(est)


def check_pickle_by_reference(variant):
    """Classes pickle by reference; fitted instances round-trip with their state."""
    est = working_copy(variant)
    Variant = type(est)
    assert pickle.loads(pickle.dumps(Variant)) is Variant, (
        f"{Variant.__name__} does not unpickle to the same class object")
    X, y = data_for(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit(est, X, y)
    again = pickle.loads(pickle.dumps(est))
    assert type(again) is Variant, f"unpickled a {type(again).__name__}"
    assert again.get_params().keys() == est.get_params().keys(), "parameters changed"


def check_post_fit_methods_are_lazy(variant):
    """Post-fit methods on a dask input compute nothing until asked; a task per block."""
    est = working_copy(variant)
    _require_row_blocks(est)
    X, y = data_for(est)
    dX, _ = to_dask(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit(est, X, y)
        with no_compute():
            for method in post_fit_methods(est):
                if method == "inverse_transform":
                    continue
                try:
                    out = getattr(est, method)(dX)
                except NotImplementedError:
                    continue
                for o in out if isinstance(out, (list, tuple)) else [out]:
                    assert dask.is_dask_collection(o), f"{method} returned {type(o).__name__}"
                    assert o.numblocks[0] == dX.numblocks[0], (
                        f"{method} gave {o.numblocks[0]} row blocks for {dX.numblocks[0]}")


def check_hasattr_and_signature_parity(variant):
    """Same methods as the base (fitted or not, class or instance), same signatures."""
    est = working_copy(variant)
    base = as_base(est)
    Variant, Base = type(est), type(base)
    requests = {n for n in dir(Base) if n.startswith("set_") and n.endswith("_request")}
    for name in set(_ALL_METHODS) | requests:
        assert hasattr(Variant, name) == hasattr(Base, name), (
            f"hasattr(class, {name!r}) is {hasattr(Variant, name)}, on the base class not")
        assert hasattr(est, name) == hasattr(base, name), (
            f"hasattr(unfitted, {name!r}) is {hasattr(est, name)}, on the base class not")
        if hasattr(Base, name) and callable(getattr(Base, name)):
            v = list(inspect.signature(getattr(Variant, name)).parameters)
            b = list(inspect.signature(getattr(Base, name)).parameters)
            assert v == b, f"{name} takes {v}, the base {b}"
    X, y = data_for(est)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit(base, X, y)
        except Exception:  # the base cannot fit this data: nothing more to compare
            return
        fit(est, X, y)
    for name in _ALL_METHODS:
        assert hasattr(est, name) == hasattr(base, name), (
            f"hasattr(fitted, {name!r}) is {hasattr(est, name)}, on the base class not")
    assert est.__sklearn_tags__() == base.__sklearn_tags__(), "tags differ from the base's"


_CHECKS = (
    check_non_dask_input_equals_sklearn,
    check_dask_input_equals_base_on_computed,
    check_fit_returns_self,
    check_clone_and_params_round_trip,
    check_pickle_by_reference,
    check_post_fit_methods_are_lazy,
    check_hasattr_and_signature_parity,
)
_DASK_INPUT_CHECKS = (
    check_dask_input_equals_base_on_computed,
    check_fit_returns_self,
    check_post_fit_methods_are_lazy,
)


def __dir__():  # the public names only, not this module's imports
    return list(__all__)
