"""A tqdm progress bar over blocks and epochs, when ``dask_variants.progress`` is on.

``tqdm`` is imported only when the bar is switched on (``pip install tqdm``).
"""
import dask

__all__ = []


class _NoBar:
    """Stands in for a tqdm bar when progress is off."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        pass

    def set_postfix_str(self, text):
        pass


def bar(total, desc):
    """A tqdm bar of ``total`` blocks, or a do-nothing stand-in when progress is off."""
    if not dask.config.get("dask_variants.progress"):
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError as err:
        raise ImportError(
            "dask_variants.progress is on but tqdm is not installed. Install it with "
            "`pip install tqdm` (or the `progress` extra of the checkout you installed "
            "from: `pip install \".[progress]\"`), or switch progress off with "
            "dask.config.set({'dask_variants.progress': False})."
        ) from err
    return tqdm(total=total, desc=desc, unit="block", leave=True)
