"""What a new user meets first: license, changelog, public names, install hints."""
import configparser
import importlib
import os
import re
import sys

import dask
import pytest

import dask_variants

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC = ["datasets", "exact", "exceptions", "iid", "incremental", "metrics", "mixins",
          "model_selection", "utils", "wrappers"]


def _read(name):
    with open(os.path.join(ROOT, name)) as f:
        return f.read()


def _setup_cfg():
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "setup.cfg"))
    return cfg


def test_license_is_the_bsd_3_clause_setup_cfg_declares():
    text = _read("LICENSE")
    assert "BSD 3-Clause License" in text
    assert "Copyright (c) 2026, dask_variants developers" in text
    assert "Neither the name of the copyright holder" in text
    meta = _setup_cfg()["metadata"]
    assert meta["license"] == "BSD-3-Clause" and meta["license_files"].strip() == "LICENSE"


def test_changelog_has_the_released_version():
    text = _read("CHANGELOG.rst")
    assert text.startswith("Changelog\n=========")
    assert re.search(rf"^{re.escape(dask_variants.__version__)}\n-+$", text, re.M)


def test_top_level_lists_the_public_modules_and_imports_them_on_use():
    assert dir(dask_variants) == sorted(["__version__", *PUBLIC])
    assert dask_variants.__all__ == ["__version__", *PUBLIC]
    assert dask_variants.wrappers is importlib.import_module("dask_variants.wrappers")
    with pytest.raises(AttributeError, match="public modules"):
        dask_variants.np


@pytest.mark.parametrize("name", [
    "dask_variants.datasets", "dask_variants.exceptions", "dask_variants.metrics",
    "dask_variants.metrics.pairwise", "dask_variants.metrics.scorer",
    "dask_variants.mixins", "dask_variants.mixins.blockwise", "dask_variants.mixins.iid",
    "dask_variants.mixins.incremental", "dask_variants.model_selection",
    "dask_variants.utils", "dask_variants.utils.discovery", "dask_variants.utils.estimator_checks",
    "dask_variants.utils.validation",
    "dask_variants.wrappers",
])
def test_public_modules_list_no_stray_names(name):
    module = importlib.import_module(name)
    names = dir(module)
    assert not {"np", "da", "dask", "numbers", "warnings", "inspect"} & set(names)
    assert not [n for n in names if n.startswith("_")]
    for n in names:  # every listed name is really there
        assert getattr(module, n) is not None


def test_readme_python_version_is_setup_cfgs():
    required = _setup_cfg()["options"]["python_requires"].strip()
    version = re.fullmatch(r">=\s*(\d+\.\d+)", required).group(1)
    quick = _read("README.rst").split("Quick start", 1)[1].split("What it does", 1)[0]
    assert f"Python {version} or later" in quick
    assert sys.version_info >= tuple(int(p) for p in version.split("."))


def test_quick_start_install_covers_what_the_readme_imports():
    readme = _read("README.rst")
    quick = readme.split("Quick start", 1)[1].split("What it does", 1)[0]
    extras = _setup_cfg()["options.extras_require"]
    if "dask.distributed" in readme or "from distributed" in readme:
        assert '".[distributed]"' in quick and "distributed" in extras["distributed"]


def test_progress_without_tqdm_says_how_to_install_it(monkeypatch):
    from dask_variants.engine import _progress

    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    with dask.config.set({"dask_variants.progress": True}):
        with pytest.raises(ImportError, match="`pip install tqdm`"):
            _progress.bar(3, "blocks")
