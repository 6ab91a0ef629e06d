"""Every chapter runs in Colab from its launch button: its first cell installs what it needs.

A brand-new venv stands in for a Colab runtime that lacks the book's packages: it has only
ipykernel and nbclient (Colab has more, e.g. numpy; having less makes the test stricter). For
each chapter, in book order, the packages the install cells install (qbcore, myst-nb, qutip) are
uninstalled, then nbclient executes the whole chapter notebook in that venv: the install cell,
pointed at this checkout by QB_INSTALL_FROM, must report what it installed, and every later cell
must run without error. pip's downloads are cached in .cache/colab-pip, and PIP_CONSTRAINT holds
them to requirements.lock so that a new release elsewhere cannot change the result.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, dev

RUNNER = r"""
import json, pathlib, sys, time
import nbformat
from nbclient import NotebookClient
p = pathlib.Path(sys.argv[1])
nb = nbformat.read(p, as_version=4)
t0 = time.perf_counter()
NotebookClient(nb, timeout=900, kernel_name="python3", record_timing=False,
               resources={"metadata": {"path": str(p.parent)}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
          if o.output_type == "error"]
install = "".join(o.get("text", "") for o in nb.cells[0].get("outputs", []) if o.output_type == "stream")
print(json.dumps({"install": install, "errors": [e["ename"] + ": " + e["evalue"] for e in errors],
                  "seconds": time.perf_counter() - t0}))
"""
BOOK_PACKAGES = ["qbcore", "myst-nb", "qutip"]


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    venv = tmp_path_factory.mktemp("colab") / "venv"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    py = venv / "bin" / "python"
    e = dict(os.environ, PIP_CACHE_DIR=str(ROOT / ".cache" / "colab-pip"), PIP_CONSTRAINT=str(dev.LOCK),
             PIP_DISABLE_PIP_VERSION_CHECK="1", QB_INSTALL_FROM=str(ROOT), QBCORE_VIZ="static", MPLBACKEND="Agg",
             PYDEVD_DISABLE_FILE_VALIDATION="1")
    for k in ("VIRTUAL_ENV", "PYTHONPATH", "QBCORE_VIZ_CHECK"):
        e.pop(k, None)
    e["PATH"] = f"{venv / 'bin'}{os.pathsep}{e['PATH']}"
    subprocess.run([py, "-m", "pip", "install", "-q", "ipykernel", "nbclient"], check=True, env=e)
    bare = subprocess.run([py, "-c", "import importlib.util as u; print([m for m in ('qbcore', 'myst_nb', 'qutip', "
                                     "'numpy') if u.find_spec(m)])"], capture_output=True, text=True, env=e,
                          cwd=venv.parent)
    assert bare.stdout.strip() == "[]", "the fresh venv must lack the book's packages"
    print(f"\nfresh venv in {time.perf_counter() - t0:.0f} s")
    return py, e


@pytest.mark.parametrize("path", dev.chapter_notebooks(), ids=lambda p: p.name)
def test_chapter_runs_in_a_fresh_environment_from_its_install_cell(colab, path):
    py, e = colab
    subprocess.run([py, "-m", "pip", "uninstall", "-q", "-y", *BOOK_PACKAGES], env=e, capture_output=True)
    t0 = time.perf_counter()
    res = subprocess.run([py, "-c", RUNNER, path], capture_output=True, text=True, env=e, cwd=path.parent)
    assert res.returncode == 0, f"{path.name} failed in the fresh venv:\n{res.stderr[-4000:]}"
    report = json.loads(res.stdout.strip().splitlines()[-1])
    assert not report["errors"], report["errors"]
    assert f"qbcore[widgets] @ {ROOT.as_uri()}" in report["install"], report["install"]
    install_src = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    needs = json.loads(next(l for l in install_src.splitlines() if l.startswith("NEEDS = "))[len("NEEDS = "):])
    for spec in needs.values():
        assert spec in report["install"], f"{spec} was not installed by the cell"
    shown = subprocess.run([py, "-m", "pip", "show", "qbcore"], capture_output=True, text=True, env=e,
                           cwd=py.parents[2]).stdout
    assert f"Version: {dev.version()}" in shown
    print(f"\n{path.name}: installed and ran in {time.perf_counter() - t0:.0f} s")
