"""What an exact rule is, and the block helpers every rule shares."""
import functools

import numpy as np

__all__ = []


class Rule:
    """How one scikit-learn class fits exactly on every row, as passes over the blocks.

    A subclass implements :meth:`fit`, calling ``reduce(leaf, merge)`` once per pass it
    needs (:mod:`dask_variants.engine._reduce` runs it: one task per block, a tree of
    merges); ``reduce`` returns the merged statistic, never ``None`` (all-empty input has
    already raised). Rules hold no state: one instance serves every fit.
    """

    #: per-row fit parameters the rule honours (dask collections, aligned with X)
    per_row = ()
    #: fit parameters the rule honours that are the same for every row
    static = ()
    #: whether the fitted estimator gets ``n_features_in_`` / ``feature_names_in_``
    #: from X's columns (False for estimators of raw text or dicts)
    sets_features = True

    def check(self, est, static, per_row):
        """Refuse what the rule cannot honour, before any block is read.

        The default refuses fit parameters outside :attr:`per_row` and :attr:`static`.
        """
        name = type(est).__name__
        for kind, given, allowed in (("per-row", per_row, self.per_row),
                                     ("fit", static, self.static + self.per_row)):
            unknown = sorted(set(given) - set(allowed))
            if unknown:
                raise TypeError(
                    f"{name}.fit on a dask input takes the {kind} parameters "
                    f"{list(allowed)!r} in the exact namespace, got {unknown!r}. Drop "
                    f"them, or use dask_variants.iid.{name} (fits on a sample)."
                )

    def check_X(self, est, X):
        """Refuse an input the rule cannot fit (the dask ``X``; nothing of it is read).

        The default accepts every input :func:`dask_variants.utils.validation.check_dask_X`
        let through.
        """

    def refuse(self, est, param, value, allowed, why=""):
        """Raise the ``ValueError`` of a constructor parameter the rule cannot honour."""
        name = type(est).__name__
        raise ValueError(
            f"dask_variants.exact.{name} cannot fit {param}={value!r} on every row"
            f"{': ' + why if why else ''}. Use {param} in {list(allowed)!r}, or "
            f"dask_variants.iid.{name} to fit {param}={value!r} on a sample of blocks."
        )

    def fit(self, est, template, reduce, static):
        """Set ``est``'s fitted attributes from passes of ``reduce``."""
        raise NotImplementedError


class OnePass(Rule):
    """A rule of one pass: :meth:`leaf` per block, :meth:`merge`, :meth:`finish` once."""

    def leaf(self, template, static, k, x, y, params):
        """The statistic of one non-empty in-memory block ``k``."""
        raise NotImplementedError

    def merge(self, a, b):
        """The statistic of two blocks' rows from theirs (associative)."""
        raise NotImplementedError

    def finish(self, est, stat, static):
        """Set ``est``'s fitted attributes from the statistic of every row."""
        raise NotImplementedError

    def fit(self, est, template, reduce, static):
        stat = reduce(functools.partial(self.leaf, template, static), self.merge)
        self.finish(est, stat, static)


# --------------------------------------------------------------------------- blocks


def as_float(x, *, dtype=np.float64, sparse=False):
    """Block ``x`` as scikit-learn's validation makes it (numbers, finite, 2-D)."""
    from sklearn.utils import check_array

    return check_array(x, dtype=dtype, accept_sparse=["csr", "csc"] if sparse else False)


def weights(x, params, static, dtype=np.float64):
    """The block's ``sample_weight`` as scikit-learn checks it (of ``dtype``), or ``None``.

    One block may weigh nothing: scikit-learn (1.7 and later) refuses all-zero weights
    of the whole input, which the rules check on the merged total
    (:func:`check_total_weight`), not block by block.
    """
    sw = params.get("sample_weight", static.get("sample_weight"))
    if sw is None:
        return None
    from ..._sklearn_compat import _check_sample_weight

    return _check_sample_weight(np.asarray(sw) if np.ndim(sw) else sw, x, dtype=dtype,
                                **({"allow_all_zero_weights": True}
                                   if zero_weights_refused() else {}))


@functools.lru_cache(maxsize=None)
def zero_weights_refused():
    """Whether scikit-learn refuses all-zero sample weights (1.7 and later)."""
    import inspect

    from ..._sklearn_compat import _check_sample_weight

    return "allow_all_zero_weights" in inspect.signature(_check_sample_weight).parameters


def all_zero_weights(sw):
    """Whether per-row weights ``sw`` are all zero where scikit-learn refuses that in one
    call (1.7 and later) though it takes such rows within the whole input."""
    return (sw is not None and np.ndim(sw) == 1 and not np.any(np.asarray(sw))
            and zero_weights_refused())


def check_total_weight(total):
    """scikit-learn's error for all-zero sample weights, on the merged total weight of
    every row (weights are not negative in practice: a total of zero means all zero)."""
    if zero_weights_refused() and not total:
        raise ValueError("Sample weights must contain at least one non-zero number.")


_controller = []


def one_blas_thread():
    """A context in which BLAS runs on one thread: the blocks' tasks are the parallelism
    (one per core), and BLAS threads on top of them contend for the same cores."""
    if not _controller:
        from threadpoolctl import ThreadpoolController  # a scikit-learn dependency

        _controller.append(ThreadpoolController())
    return _controller[0].limit(limits=1, user_api="blas")


def as_target(y):
    """A block of ``y`` as a float array (1-D stays 1-D)."""
    return np.asarray(y, dtype=np.float64)
