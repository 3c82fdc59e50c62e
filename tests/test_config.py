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


def test_every_config_key_is_documented_in_the_readme_with_its_default():
    import os
    import re

    import yaml

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "dask_variants", "dask_variants.yaml")) as f:
        defaults = yaml.safe_load(f)["dask_variants"]
    with open(os.path.join(root, "README.rst")) as f:
        readme = f.read()
    documented = dict(re.findall(r"^``dask_variants\.([a-z-]+)`` \(default ``([^`]*)``\)",
                                 readme, flags=re.M))
    as_yaml = {k: yaml.safe_dump(v).splitlines()[0] for k, v in defaults.items()}
    as_yaml = {k: "null" if v in ("null", "...") else v for k, v in as_yaml.items()}
    assert documented == as_yaml
