"""The few dask internals the package leans on, in one place, with the versions seen.

Each function says which public behaviour it stands in for; when dask offers a public
spelling, use it here and nowhere else.
"""

__all__ = []


def co_aligned(a, b):
    """True when dask frames ``a`` and ``b`` derive from the same frame by blockwise steps.

    ``dask.dataframe.dask_expr._expr.are_co_aligned`` (dask >= 2025.1, the query-planning
    frames): what ``assign`` and ``map_partitions`` use to decide that two frames can be
    zipped partition by partition without a repartition.
    """
    from dask.dataframe.dask_expr._expr import are_co_aligned

    return bool(are_co_aligned(a.expr, b.expr))
