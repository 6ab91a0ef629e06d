#!/usr/bin/env python3
"""The book's two commands. Needs only Python >= 3.10 on the machine.

    python3 dev.py book    set up .venv (if needed) and build the HTML book into _build/html
    python3 dev.py test    set up .venv (if needed) and run every test:
                           unit tests, nbval over every notebook, a book build with
                           warnings treated as errors, and the built site in headless
                           Chromium (installed with apt-get when run as root)

Everything is installed into .venv inside the repository from requirements.txt.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CACHE = ROOT / "_build" / ".jupyter_cache"


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, **kw)


def setup() -> None:
    """Create .venv and install requirements + qbcore, unless already up to date."""
    stamp = VENV / ".requirements.sha256"
    want = digest([ROOT / "requirements.txt", ROOT / "pyproject.toml"])
    if PY.exists() and stamp.exists() and stamp.read_text() == want:
        return
    if not PY.exists():
        run([sys.executable, "-m", "venv", VENV])
    run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PY, "-m", "pip", "install", "--quiet", "-r", "requirements.txt", "-e", "."])
    stamp.write_text(want)


def invalidate_stale_cache() -> None:
    """Outputs depend on qbcore: a change of qbcore or requirements clears the execution cache."""
    stamp = ROOT / "_build" / ".qbcore.sha256"
    want = digest(list((ROOT / "qbcore").rglob("*.py")) + [ROOT / "requirements.txt"])
    if not stamp.exists() or stamp.read_text() != want:
        if CACHE.exists():
            print("qbcore changed: clearing the notebook execution cache", flush=True)
            shutil.rmtree(CACHE)
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(want)


def env() -> dict:
    e = dict(os.environ, QBCORE_VIZ="static", MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    return e


def book(strict: bool = False) -> None:
    invalidate_stale_cache()
    t0 = time.perf_counter()
    cmd = [BIN / "jupyter-book", "build", "."]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    run(cmd, env=env())
    print(f"book built in {time.perf_counter() - t0:.1f} s: open {ROOT / '_build' / 'html' / 'index.html'}")


def browser_setup() -> None:
    """Headless Chromium (Debian package) and a local MathJax copy for the browser test."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
            run(["apt-get", "update", "-qq"])
            run(["apt-get", "install", "-y", "-qq", "chromium"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        else:
            print("chromium not found and cannot be installed here: the browser test will be skipped")
    mj = ROOT / ".cache" / "mathjax-npm" / "node_modules" / "mathjax"
    if not mj.exists() and shutil.which("npm"):
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", ".cache/mathjax-npm", "mathjax@3"])


def test() -> None:
    run([PY, "-m", "pytest", "tests", "-q", "--ignore=tests/browser"], env=env())
    run([PY, "-m", "pytest", "--nbval-lax", "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), "-q",
         "-p", "no:cacheprovider", "chapters"], env=env())
    book(strict=True)
    browser_setup()
    run([PY, "-m", "pytest", "tests/browser", "-q"], env=env())


def main() -> int:
    if len(sys.argv) != 2 or sys.argv[1] not in ("book", "test"):
        print(__doc__)
        return 2
    setup()
    {"book": book, "test": test}[sys.argv[1]]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
