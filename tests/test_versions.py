"""The supported versions agree: setup.cfg, the pins of CI's oldest environment
(.ci/oldest.txt), README.rst and the dask internals table."""
import configparser
import os
import re

from dask_variants import _dask_compat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _minimums():
    """``{distribution: minimum}`` of every ``>=`` requirement in setup.cfg."""
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "setup.cfg"))
    lines = cfg["options"]["install_requires"].splitlines()
    for extra in cfg["options.extras_require"].values():
        lines += extra.splitlines()
    found = {}
    for line in filter(None, (line.strip() for line in lines)):
        name, _, version = re.sub(r"\[.*\]", "", line).partition(">=")
        assert found.setdefault(name, version) == version, f"two minimums for {name}"
    return found


def _pins():
    with open(os.path.join(ROOT, ".ci", "oldest.txt")) as f:
        lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return dict(line.split("==") for line in lines)


def test_versions_oldest_environment_pins_the_declared_minimums():
    low, pins = _minimums(), _pins()
    assert low["dask"] == low["distributed"] == _dask_compat.MINIMUM
    assert pins["dask"] == pins["distributed"] == _dask_compat.MINIMUM
    for name in ("scikit-learn", "numpy"):  # the oldest release of the declared minor
        assert pins[name].split(".")[:2] == low[name].split(".")[:2], name


def test_versions_readme_states_the_declared_ranges():
    low, pins = _minimums(), _pins()
    with open(os.path.join(ROOT, "README.rst")) as f:
        readme = " ".join(f.read().split())
    assert f"scikit-learn >= {low['scikit-learn']}" in readme
    assert f"dask and distributed >= {low['dask']}" in readme
    assert f"numpy >= {low['numpy']}" in readme
    assert f"scikit-learn {pins['scikit-learn']}, dask and distributed {pins['dask']}" in readme


def test_versions_dask_internals_resolve():
    for name in _dask_compat.INTERNALS:
        assert getattr(_dask_compat, name) is not None, name
