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
    assert "-m dask_variants demo" in demo and 'pip install ".[distributed]"' in demo
    assert '".[test]"' in tests and "-m pytest" in tests


def test_readme_ci_runs_exactly_the_test_command_first():
    _, tests = _commands()
    run = [line for line in _read(".ci", "run").splitlines() if line and not line.startswith("#")]
    first = next(line for line in run if "pytest" in line)
    assert first == tests
    # then the core of the suite on the oldest versions we accept, pinned
    oldest = [line for line in run[run.index(first) + 1:] if "pytest" in line]
    assert oldest and all("-c .ci/oldest.txt" in line for line in oldest)


def test_readme_documents_every_config_key():
    import yaml

    defaults = yaml.safe_load(_read("dask_variants", "dask_variants.yaml"))["dask_variants"]
    readme = _read("README.rst")
    for key, value in defaults.items():
        default = "null" if value is None else str(value).lower()  # as YAML spells it
        assert re.search(rf"``dask_variants\.{key}`` \(default ``{default}``\)", readme), key


def _code_blocks(section):
    """The ``.. code-block:: python`` bodies of the README subsection titled ``section``."""
    text = _read("README.rst").split(section, 1)[1]
    lines = text.splitlines()[2:]  # skip the title's underline
    end = next((i for i, line in enumerate(lines[1:], 1)
                if set(line) == {"~"} and i and lines[i - 1].strip()), len(lines))
    lines = lines[:end - 1]
    blocks, current = [], None
    for line in lines:
        if line.strip() == ".. code-block:: python":
            current = []
            blocks.append(current)
        elif current is not None and (line.startswith("    ") or not line.strip()):
            current.append(line[4:])
        else:
            current = None
    return ["\n".join(b).strip() + "\n" for b in blocks]


def test_readme_incremental_search_section_runs():
    before, after = _code_blocks("Incremental hyper-parameter search")
    assert "from dask_ml.model_selection import HyperbandSearchCV" in before
    assert "from dask_variants.model_selection import HyperbandSearchCV" in after
    namespace = {}
    exec(compile(after, "README.rst", "exec"), namespace)
    search = namespace["search"]
    assert (search.metadata_["n_models"], search.metadata_["partial_fit_calls"]) == (49, 357)
    assert set(search.best_params_) == {"alpha", "penalty", "loss"}


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
