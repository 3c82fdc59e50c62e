"""Fitted state replaced in one place.

Fitting works on a private copy of the estimator and hands its state over only on
success, which is what leaves the estimator exactly as it was when a fit fails. Every
hand-over goes through :func:`adopt`.
"""

__all__ = []

#: attributes a caller sets on an estimator around one call, not fitted state: kept by
#: :func:`adopt` (scikit-learn's ``_parent_callback_ctx``, which ``GridSearchCV`` and
#: ``Pipeline`` set around ``fit`` and delete after it returns)
CALL_SCOPED = ("_parent_callback_ctx",)


def adopt(est, fitted):
    """Give ``est`` the state of ``fitted`` (a copy fitted in its place); return ``est``.

    What a caller attached to ``est`` for the duration of the call is kept.
    """
    if fitted is est:
        return est
    kept = {k: v for k, v in vars(est).items() if k in CALL_SCOPED}
    est.__dict__.clear()
    est.__dict__.update(vars(fitted))
    est.__dict__.update(kept)
    return est
