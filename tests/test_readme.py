"""README.rst's quick start and the files it promises stay true."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def _commands():
    """The indented command lines of README.rst's quick start, in order."""
    quick = _read("README.rst").split("Quick start", 1)[1].split("What it does", 1)[0]
    return [line.strip() for line in quick.splitlines() if line.startswith("    ")]


def test_readme_opens_with_two_commands():
    demo, tests = _commands()
    assert "-m dask_variants demo" in demo and "pip install ." in demo
    assert '".[test]"' in tests and "-m pytest" in tests


def test_readme_ci_runs_exactly_the_test_command():
    _, tests = _commands()
    run = [line for line in _read(".ci", "run").splitlines() if line and not line.startswith("#")]
    assert run[-1] == tests


def test_readme_documents_every_config_key():
    import yaml

    defaults = yaml.safe_load(_read("dask_variants", "dask_variants.yaml"))["dask_variants"]
    readme = _read("README.rst")
    for key, value in defaults.items():
        default = str(value).lower()
        assert re.search(rf"``dask_variants\.{key}`` \(default ``{default}``\)", readme), key


def _python_block(containing):
    """The README's ``.. code-block:: python`` block whose code contains ``containing``."""
    for block in _read("README.rst").split(".. code-block:: python")[1:]:
        lines = []
        for line in block.splitlines()[1:]:
            if line and not line.startswith("    "):
                break
            lines.append(line[4:])
        code = "\n".join(lines)
        if containing in code:
            return code
    raise AssertionError(f"README.rst has no python block containing {containing!r}")


def test_readme_parquet_pipeline_runs(parquet_frame, tmp_path, monkeypatch):
    # the out-of-core section's plain parquet form, on the parquet fixture's columns
    import shutil

    import pandas as pd

    shutil.copytree(parquet_frame, tmp_path / "data.parquet")
    monkeypatch.chdir(tmp_path)
    exec(compile(_python_block('dd.read_parquet("data.parquet")'), "README.rst", "exec"), {})
    back = pd.read_parquet(tmp_path / "predictions.parquet")
    assert list(back.columns) == ["target"] and len(back) == 240
