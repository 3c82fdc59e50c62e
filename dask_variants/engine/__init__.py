"""The streaming engine: row blocks through ``partial_fit``, for one model or many.

``_source`` turns aligned dask collections into blocks of graph keys and fits one block;
the drivers run the blocks locally (``_local``) or next to their data on a cluster
(``_distributed``), or fit them in parallel and merge the states exactly (``_merge``).
``_fit`` is the one-model fit the ``incremental`` variants and the ``Incremental``
wrapper call; ``_search`` (with ``_search_drivers``) fits many models over the same
blocks for the searches. The engine knows nothing of variants or mixins: it calls an
estimator's in-memory ``partial_fit`` through :mod:`dask_variants.blocks`.
"""
