"""Two source trees of the package side by side: this checkout and a git revision.

``baseline_tree(rev)`` exports the revision's ``dask_variants/`` (``git archive``) into a
temporary directory, removed on exit. ``run_child(tree, args)`` runs a fresh interpreter
whose ``import dask_variants`` is that tree's: ``PYTHONPATH`` starts with the tree and the
working directory is the tree (``python -c`` puts the working directory first on
``sys.path``, so running from a checkout would otherwise import the checkout).
"""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
#: the tree the running script belongs to: the "current" side of every comparison
CURRENT = os.path.dirname(HERE)


def _git(*args):
    return subprocess.run(["git", *args], cwd=CURRENT, capture_output=True, text=True,
                          check=True).stdout.strip()


def describe_current():
    """The current tree: its HEAD commit and whether the package differs from it."""
    dirty = bool(_git("status", "--porcelain", "--", "dask_variants"))
    return {"commit": _git("rev-parse", "HEAD"), "package_modified": dirty}


def resolve(rev):
    """The full commit id of ``rev`` (a branch, tag, ``HEAD~3``, ...)."""
    try:
        return _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"not a git revision of this repository: {rev!r}") from None


@contextlib.contextmanager
def baseline_tree(rev):
    """Yield a temporary directory holding ``rev``'s ``dask_variants/``; remove it after."""
    commit = resolve(rev)
    tmp = tempfile.mkdtemp(prefix="dask_variants-baseline-")
    try:
        proc = subprocess.Popen(["git", "archive", "--format=tar", commit, "dask_variants"],
                                cwd=CURRENT, stdout=subprocess.PIPE)
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # Python < 3.10.12 / 3.11.4: no extraction filters
                tar.extractall(tmp)
        if proc.wait():
            raise SystemExit(f"git archive {commit} dask_variants failed")
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def env_for(tree):
    """The environment of a child interpreter that imports ``tree``'s package."""
    path = os.pathsep.join(p for p in (tree, os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path)


def run_child(tree, args, **env):
    """Run ``python args...`` on ``tree``; return its standard output."""
    out = subprocess.run([sys.executable, *args], env=dict(env_for(tree), **env), cwd=tree,
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"child on {tree} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


def check_imports(tree):
    """Fail unless a child interpreter on ``tree`` imports that tree's package."""
    where = run_child(tree, ["-c", "import dask_variants; print(dask_variants.__file__)"])
    got = os.path.realpath(where.strip())
    want = os.path.realpath(os.path.join(tree, "dask_variants", "__init__.py"))
    if got != want:
        raise SystemExit(f"a child on {tree} imported {got}, not that tree's package")


class Child:
    """A child interpreter on ``tree`` that answers requests, one JSON line each.

    The parent writes one line, the child answers one line of JSON on its standard
    output; its standard error goes to a temporary file, shown if it fails.
    """

    def __init__(self, tree, args, **env):
        self.tree = tree
        self._err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, *args], cwd=tree,
                                     env=dict(env_for(tree), **env), text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._err, bufsize=1)

    def read(self):
        """The child's next answer."""
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            self._err.seek(0)
            raise RuntimeError(f"child on {self.tree} ended ({self.proc.returncode}):\n"
                               f"{self._err.read()}")
        return json.loads(line)

    def ask(self, request):
        self.proc.stdin.write(request + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()  # the child ends on end of input
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._err.close()
