"""The R factor of a set of rows, by TSQR: the statistic of least squares and of PCA.

The statistic of a set of rows ``Z`` (with optional sample weights ``s``) is
:class:`Moments` ``(w, mean, R)``: the sum of the weights, the weighted mean of the
columns, and the upper-triangular ``R`` of the QR factorisation of
``sqrt(s) * (Z - mean)``, so that ``R.T @ R`` is the weighted, centred Gram matrix.
Two sets merge exactly (the pairwise update of a covariance, in square-root form)::

    R = qr([R_a; R_b; sqrt(w_a w_b / w) (mean_a - mean_b)]).R

computed without ever forming the Gram matrix (the condition number stays that of the
data, not its square). Uncentred (``centre=False``), nothing is subtracted, ``mean`` is
``None`` and the extra row is left out. ``R`` has ``min(rows, columns)`` rows, at most
``columns``: the only state a pass keeps, whatever the number of rows.

Each QR runs on one BLAS thread: the blocks' tasks are the parallelism (one per core
on the threaded scheduler), and OpenBLAS's own threads on top of them made a block's
QR 2 to 6 times slower on a loaded 2-core machine (Householder QR of a tall block is
mostly level-2 BLAS, which gains little from threads and loses much to contention).
"""
import numpy as np
import scipy.linalg

from ._base import one_blas_thread

__all__ = []


class Moments:
    """``(w, mean, R)`` of a set of rows (``mean`` is ``None`` when uncentred)."""

    __slots__ = ("w", "mean", "r")

    def __init__(self, w, mean, r):
        self.w, self.mean, self.r = w, mean, r


def r_factor(z):
    """The upper-triangular ``R`` of ``qr(z)`` (``z`` is overwritten), its zero rows cut."""
    with one_blas_thread():
        r = scipy.linalg.qr(z, mode="r", overwrite_a=True, check_finite=False)[0]
    return r[:z.shape[1]]


def of_rows(z, sw=None, *, centre=True, overwrite=False):
    """The :class:`Moments` of the float64 rows ``z`` (weights ``sw`` or ``None``);
    ``overwrite=True`` lets it use ``z``'s memory (the caller's own copy)."""
    w = float(len(z)) if sw is None else float(np.sum(sw))
    mean = None
    if centre:
        # rows weighing nothing (a block of zero weights) have no mean: any finite one
        # merges to the other rows' (the merge weighs it by 0)
        mean = np.average(z, axis=0, weights=sw) if w else np.zeros(z.shape[1])
        z = np.subtract(z, mean, order="F")  # LAPACK's order: the QR copies nothing
    elif sw is None and not overwrite:
        z = np.array(z, dtype=np.float64, order="F")  # r_factor overwrites it
    if sw is not None:
        z = np.multiply(z, np.sqrt(sw)[:, None], order="F")
    return Moments(w, mean, r_factor(z))


def merge(a, b):
    """The :class:`Moments` of the rows of ``a`` and ``b`` together."""
    w = a.w + b.w
    rows = [a.r, b.r]
    mean = None
    if a.mean is not None:
        mean = (a.w * a.mean + b.w * b.mean) / w if w else a.mean
        if w:
            rows.append(np.sqrt(a.w * b.w / w) * (a.mean - b.mean)[None, :])
    return Moments(w, mean, r_factor(np.vstack(rows)))


def uncentred(m):
    """``R`` of the uncentred (weighted) rows from their centred :class:`Moments`:
    ``Z.T Z = R.T R + w mean mean.T``, again without forming it."""
    if m.mean is None:
        return m.r
    return r_factor(np.vstack([m.r, np.sqrt(m.w) * m.mean[None, :]]))
