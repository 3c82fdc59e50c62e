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
