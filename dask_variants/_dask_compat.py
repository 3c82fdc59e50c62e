"""The dask and distributed internals the streaming engine leans on, in one table.

Public dask (``dask.compute``, ``dask.delayed``, ``dask.array``, ``dask.dataframe``,
``dask.config``) is used directly everywhere. The names below are not public API. Each
entry says where it lives, which releases have it as we use it, and what for; importing
a name from this module imports its dask module then, not before. With one bug of
public API (below ``MINIMUM``) they are why dask-variants needs dask and distributed
>= 2025.5.0 (setup.cfg).

``MINIMUM`` is checked against setup.cfg by ``tests/test_versions.py``; CI runs the core
of the suite on exactly that version (``.ci/oldest.txt``).

Modules that still import some of these straight from dask, to be moved here when they
are next edited:

- ``engine/_source.py``: ``dask.base.collections_to_expr`` and ``dask.base.get_scheduler``
  (``Source.__init__``), ``dask.core.get_dependencies`` (``Source.graph``),
  ``dask.core.flatten``; also the ``.dependencies`` attribute of ``dask._task_spec`` nodes.
- ``engine/_local.py``: ``dask.local.get_sync``, ``dask.multiprocessing.get_context``,
  ``initialize_worker_process`` and ``dask.system.CPU_COUNT`` (the shared pools).
- ``engine/_distributed.py``: ``Client.get(graph, keys, sync=False)`` on a graph of
  ``dask._task_spec`` tasks and ``distributed.Future(key, client)`` for data the
  cluster already holds.
"""
import importlib

#: the oldest dask (and distributed) release everything below works with
MINIMUM = "2025.5.0"

#: name -> (module, attribute, which dask releases have it as we use it, and what for).
#: Checked in the released wheels. collections_to_expr needs 2025.4.0; MINIMUM is one
#: release later for a bug of public API: in 2025.4.x ``DataFrame.map_partitions`` passes
#: a ``Delayed`` argument (blocks/_blocks.py's shared estimator handle) to the function
#: unevaluated, so every post-fit method on a dask DataFrame failed.
INTERNALS = {
    "collections_to_expr": (
        "dask.base", "collections_to_expr",
        "2025.4.0 and later (2025.3.0 and older have collections_to_dsk only): one "
        "optimised expression for X, y and the per-row parameters, whose graph is cut "
        "into per-block sub-graphs",
    ),
    "get_scheduler": (
        "dask.base", "get_scheduler",
        "every release we accept: the scheduler the collections would be computed on",
    ),
    "Task": (
        "dask._task_spec", "Task",
        "2024.11.2 and later (not 2024.8.0): tasks of the parallel-merge graph, and the "
        "node type whose .dependencies culling reads",
    ),
    "TaskRef": ("dask._task_spec", "TaskRef", "as Task: references between tasks"),
    "Alias": ("dask._task_spec", "Alias", "as Task: a key standing for another"),
    "DataNode": (
        "dask._task_spec", "DataNode",
        "as Task: the node of data held in a graph (persisted blocks, from_array); a "
        "block whose sub-graph holds one is sent to a worker process as data, not as its "
        "recipe (blocks/_processes.py)",
    ),
    "ParquetFunctionWrapper": (
        "dask.dataframe.io.parquet.core", "ParquetFunctionWrapper",
        "every release we accept: the function of a read_parquet partition's task, "
        "called with one part or with a list of parts (read together, then concatenated); "
        "a streaming fit reads a batch of small files in one call (engine/_parquet_batch.py)",
    ),
    "get_dependencies": (
        "dask.core", "get_dependencies", "every release we accept: culling a sub-graph",
    ),
    "flatten": ("dask.core", "flatten", "every release we accept: a collection's keys"),
    "Lengths": (
        "dask.dataframe.dask_expr._expr", "Lengths",
        "every release we accept (the query-planning frames): a frame's partition lengths, "
        "which optimise to a Literal when the source knows them without reading a "
        "partition (from_pandas, parquet row-count metadata); blocks/_blocks.py",
    ),
    "Literal": (
        "dask.dataframe.dask_expr._expr", "Literal",
        "as Lengths: the node a known value optimises to",
    ),
    "Projection": (
        "dask.dataframe.dask_expr._expr", "Projection",
        "every release we accept (the query-planning frames): a column selection "
        "(ddf[cols], ddf.col); blocks/_rows.py packs X and y selected from one frame as "
        "one selection of it",
    ),
    "Drop": (
        "dask.dataframe.dask_expr._expr", "Drop",
        "as Projection: ddf.drop(columns=...)",
    ),
    "new_collection": (
        "dask.dataframe.dask_expr._collection", "new_collection",
        "every release we accept (the query-planning frames): the frame of an expression",
    ),
    "are_co_aligned": (
        "dask.dataframe.dask_expr._expr", "are_co_aligned",
        "every release we accept (the query-planning frames): whether two frames derive "
        "from one frame by blockwise steps, so assign zips them partition by partition "
        "(blocks/_rows.py)",
    ),
}

__all__ = ["MINIMUM", "INTERNALS", *INTERNALS]


def lazy_getattr(table, namespace, module_name):
    """A module ``__getattr__`` importing ``table[name] = (module, attr, why)`` on first
    use and caching it in ``namespace`` (the module's globals); shared with
    ``_sklearn_compat``."""

    def __getattr__(name):
        try:
            module, attr, _ = table[name]
        except KeyError:
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attr)
        namespace[name] = value
        return value

    return __getattr__


__getattr__ = lazy_getattr(INTERNALS, globals(), __name__)


def __dir__():
    return sorted(__all__)
