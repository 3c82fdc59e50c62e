"""Config defaults come from dask_variants.yaml and are read at call time."""
import dask

import dask_variants  # noqa: F401  (registers the defaults)


def test_config_defaults_are_registered():
    assert dask.config.get("dask_variants.prefetch") == 2
    assert dask.config.get("dask_variants.progress") is False


def test_config_set_is_honoured_at_call_time():
    with dask.config.set({"dask_variants.prefetch": 5}):
        assert dask.config.get("dask_variants.prefetch") == 5
    assert dask.config.get("dask_variants.prefetch") == 2
