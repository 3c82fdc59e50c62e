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
