"""Register dask_variants' defaults with ``dask.config``.

Knobs that do not change what is learned live here; read them at call time with
``dask.config.get("dask_variants.<knob>")`` so that ``dask.config.set`` is honoured.
"""
import os

import dask.config
import yaml

_FILE = os.path.join(os.path.dirname(__file__), "dask_variants.yaml")

with open(_FILE) as f:
    defaults = yaml.safe_load(f)

dask.config.update_defaults(defaults)
