"""Block helpers: what every layer above asks of a dask input and of an estimator.

Containers (``_blocks``: what kind of input, its row blocks, lazy apply of a method, score
reduction), row alignment of ``X``, ``y`` and per-row parameters (``_rows``), the declared
output of a method (``_meta``), rules chosen by what an estimator is (``_rules``,
``_kinds``), vocabularies learned from every block (``_vocabulary``) and the one hand-over
of fitted state (``_state``). Nothing here imports the engine, the variants or the mixins.
"""
