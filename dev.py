#!/usr/bin/env python3
"""The book's commands. Needs only Python 3.10-3.13 on the machine.

    python3 dev.py book    set up .venv (if needed) and build the HTML book into _build/html;
                           exits non-zero, naming notebook and cell, if any notebook fails
    python3 dev.py test    set up .venv (if needed) and run every test:
                           unit tests, nbval over every notebook, a book build with
                           warnings treated as errors, and the built site in headless
                           Chromium (installed with apt-get when run as root)
    python3 dev.py store chapters/NAME.ipynb [...]
                           execute notebooks and store them the reviewable way: only the
                           text outputs of the cells nbval compares (# NBVAL_CHECK_OUTPUT);
                           figures and widgets are made by the build, never stored
    python3 dev.py lock    re-resolve requirements.txt into requirements.lock (exact versions
                           for every supported Python; uses uv from PyPI in .cache/)

.venv is installed from requirements.lock (the exact versions the stored outputs were made
with). ``--ranges`` (or QB_DEPS=ranges) installs from requirements.txt's compatible ranges
instead. Either way dev.py prints which file it installed from.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
SITE = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / ".jupyter_cache"
LOCK = ROOT / "requirements.lock"
RANGES = ROOT / "requirements.txt"
SUPPORTED = ((3, 10), (3, 13))  # inclusive range of Python versions (requirements.lock is resolved for it)
CHECK_MARK = "NBVAL_CHECK_OUTPUT"


def check_python() -> None:
    """Refuse an unsupported Python at once, with the reason."""
    v = sys.version_info[:2]
    lo, hi = SUPPORTED
    if not (lo <= v <= hi):
        sys.exit(f"dev.py: Python {v[0]}.{v[1]} is not supported; use Python {lo[0]}.{lo[1]} to "
                 f"{hi[0]}.{hi[1]} (requirements.lock is resolved for those, and numpy/scipy/qutip "
                 f"wheels of the locked versions exist only for them).")


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def run(cmd: list, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, **kw)


def deps_file(args: list[str]) -> Path:
    if "--ranges" in args or os.environ.get("QB_DEPS", "").strip().lower() == "ranges":
        return RANGES
    return LOCK


def setup(req: Path) -> None:
    """Create .venv from ``req`` plus qbcore (editable), unless it is already exactly that."""
    stamp = VENV / ".requirements.sha256"
    want = digest([req, ROOT / "pyproject.toml"]) + f" {req.name} {sys.version_info[:2]}"
    if PY.exists() and stamp.exists() and stamp.read_text() == want:
        print(f"dev.py: .venv is up to date with {req.name}", flush=True)
        return
    if VENV.exists():  # start clean, so that nothing of an older environment survives
        print(f"dev.py: rebuilding .venv from {req.name}", flush=True)
        shutil.rmtree(VENV)
    kind = "exact versions" if req == LOCK else "compatible ranges, newest releases"
    print(f"dev.py: installing from {req.name} ({kind}) with Python {sys.version.split()[0]}", flush=True)
    run([sys.executable, "-m", "venv", VENV])
    run([PY, "-m", "pip", "install", "--quiet", "-r", req.name])
    run([PY, "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."])
    stamp.write_text(want)
    print(f"dev.py: installed from {req.name}", flush=True)


def lock() -> None:
    """Resolve requirements.txt into requirements.lock for every supported Python (one set of versions)."""
    uv_venv = ROOT / ".cache" / "uv-venv"
    uv = uv_venv / ("Scripts" if os.name == "nt" else "bin") / "uv"
    if not uv.exists():
        run([sys.executable, "-m", "venv", uv_venv])
        run([uv.parent / "python", "-m", "pip", "install", "--quiet", "uv"])
    lo = SUPPORTED[0]
    run([uv, "pip", "compile", RANGES.name, "--universal", "--fork-strategy", "fewest",
         "--python-version", f"{lo[0]}.{lo[1]}", "--custom-compile-command", "python3 dev.py lock",
         "--quiet", "-o", LOCK.name])
    print(f"wrote {LOCK.name}: {sum(1 for l in LOCK.read_text().splitlines() if '==' in l)} pinned packages")


def invalidate_stale_cache() -> None:
    """Outputs depend on qbcore: a change of qbcore or the environment clears the execution cache."""
    stamp = ROOT / "_build" / ".qbcore.sha256"
    want = digest(list((ROOT / "qbcore").rglob("*.py")) + [RANGES, LOCK, VENV / ".requirements.sha256"])
    if not stamp.exists() or stamp.read_text() != want:
        # Both the execution cache and Sphinx's saved environment must go: with only the cache
        # cleared, Sphinx sees unchanged notebook files and never re-reads (re-executes) them.
        for stale in (CACHE, ROOT / "_build" / ".doctrees"):
            if stale.exists():
                print(f"qbcore or the environment changed: clearing {stale.relative_to(ROOT)}", flush=True)
                shutil.rmtree(stale)
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(want)


def env() -> dict:
    e = dict(os.environ, QBCORE_VIZ="static", MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    return e


# --------------------------------------------------------------------------- build checks
def _cell_of(notebook: Path, source: str) -> str:
    """Where the code cell whose source is ``source`` sits: nbval's 'Cell K' (code cells only)."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "cell ?"
    src = source.strip()
    code = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    for k, i in enumerate(code):
        if "".join(nb["cells"][i]["source"]).strip() == src:
            return f"Cell {k} (nbval's numbering; cell {i} counting markdown cells)"
    return "cell ?"


def execution_failures(site: Path = SITE, chapters: Path = ROOT / "chapters") -> list[str]:
    """One line per notebook that failed to execute in the last build (from myst-nb's reports)."""
    out = []
    for log in sorted((site / "reports").rglob("*.log")) if (site / "reports").exists() else []:
        text = log.read_text(encoding="utf-8", errors="replace")
        docname = str(log.relative_to(site / "reports")).removesuffix(".err.log")
        nb = chapters.parent / f"{docname}.ipynb"
        m = re.search(r"following cell:\n-+\n(.*?)\n-+\n", text, re.S)
        where = _cell_of(nb, m.group(1)) if m else "cell ?"
        last = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", text).strip().splitlines() if ln.strip()]
        out.append(f"{nb.relative_to(ROOT) if nb.is_relative_to(ROOT) else nb}, {where}: "
                   f"{last[-1].strip() if last else 'execution failed'} (log: {log})")
    return out


def page_problems(site: Path = SITE) -> list[str]:
    """Tracebacks, stderr blocks and figures without alt text or caption on the built chapter pages."""
    out = []
    for page in sorted((site / "chapters").glob("*.html")) if (site / "chapters").exists() else []:
        html = page.read_text(encoding="utf-8", errors="replace")
        rel = page.relative_to(site)
        if re.search(r'class="[^"]*\b(traceback|output stderr|output error)\b', html):
            out.append(f"{rel}: shows an error or a traceback")
        for img in re.findall(r"<img\b[^>]*>", html):
            if "data:image" not in img:
                continue  # theme logos etc.; figures are embedded data URIs
            alt = re.search(r'alt="([^"]*)"', img)
            if not alt or len(alt.group(1).strip()) < 10:
                out.append(f"{rel}: a figure without alt text")
        if html.count('class="qb-figure"') != len(re.findall(r'class="qb-caption[ "]', html)):
            out.append(f"{rel}: a figure without caption")
    return out


def book(strict: bool = False) -> None:
    ensure_mathjax()
    invalidate_stale_cache()
    shutil.rmtree(SITE / "reports", ignore_errors=True)  # only this build's failures count
    t0 = time.perf_counter()
    cmd = [BIN / "jupyter-book", "build", ".", "--keep-going"]
    if strict:
        cmd += ["-W", "-n"]
    try:
        run(cmd, env=env())
    finally:
        problems = execution_failures() + page_problems()
        if problems:
            print("\nBOOK BUILD FAILED: notebooks that did not execute or pages that show errors:", file=sys.stderr)
            for p in problems:
                print("  - " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"book built in {time.perf_counter() - t0:.1f} s: open {SITE / 'index.html'}")


# --------------------------------------------------------------------------- stored notebooks
def strip_notebook(nb: dict) -> dict:
    """Keep only what nbval compares: text outputs of ``# NBVAL_CHECK_OUTPUT`` cells.

    Figures, widget views and glue records are dropped (the book build makes them); timings,
    widget state and the Python patch version are removed, so that a re-execution changes the
    stored file only where a compared number changed.
    """
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            c.pop("outputs", None)
            c.pop("execution_count", None)
            c.get("metadata", {}).pop("execution", None)
            continue
        # Execution counts stay: a top-to-bottom run numbers the code cells 1, 2, ... on every
        # machine, and nbval compares only cells with a count (an "unrun" cell has none).
        meta = c.get("metadata", {})
        for key in ("execution", "collapsed", "scrolled"):
            meta.pop(key, None)
        keep = []
        if CHECK_MARK in "".join(c["source"]):
            for o in c.get("outputs", []):
                if o["output_type"] == "stream" and o.get("name") == "stdout":
                    keep.append({"output_type": "stream", "name": "stdout", "text": o["text"]})
                elif o["output_type"] == "execute_result" and "text/plain" in o.get("data", {}):
                    keep.append({"output_type": "execute_result", "execution_count": None, "metadata": {},
                                 "data": {"text/plain": o["data"]["text/plain"]}})
        c["outputs"] = keep
    md = nb.setdefault("metadata", {})
    md.pop("widgets", None)
    md["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    md["language_info"] = {"name": "python"}
    return nb


def store(paths: list[str]) -> None:
    """Execute each notebook (as the build does) and store it stripped."""
    if not paths:
        sys.exit("usage: python3 dev.py store chapters/NAME.ipynb [...]")
    code = (
        "import sys, pathlib, nbformat\n"
        "from nbclient import NotebookClient\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "import dev\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "nb = nbformat.read(p, as_version=4)\n"
        "NotebookClient(nb, timeout=600, kernel_name='python3', record_timing=False,\n"
        "               resources={'metadata': {'path': str(p.parent)}}).execute()\n"
        "bad = [o for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])\n"
        "       if o.output_type == 'error' or o.get('name') == 'stderr']\n"
        "if bad:\n"
        "    sys.exit(f'error or stderr output in {p}: ' + str(bad[0])[:500])\n"
        "nbformat.write(nbformat.from_dict(dev.strip_notebook(nb)), p)\n")
    for p in paths:
        path = (Path.cwd() / p).resolve()
        t0 = time.perf_counter()
        res = subprocess.run([str(PY), "-c", code, str(path), str(ROOT)], cwd=ROOT, env=env(),
                             capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"{p}: not stored, execution failed\n{res.stderr[-3000:]}")
        print(f"stored {p} ({time.perf_counter() - t0:.0f} s, {path.stat().st_size / 1e3:.0f} kB)", flush=True)


def test() -> None:
    run([PY, "-m", "pytest", "tests", "-q", "--ignore=tests/browser"], env=env())
    run([PY, "-m", "pytest", "--nbval-lax", "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), "-q",
         "--nbval-cell-timeout", "900", "-p", "no:cacheprovider", "chapters"],
        env=dict(env(), QBCORE_VIZ_CHECK="1"))  # every explorer also checked after live updates
    book(strict=True)
    browser_setup()
    run([PY, "-m", "pytest", "tests/browser", "-q"], env=env())


def browser_setup() -> None:
    """Headless Chromium (Debian package) for the browser test."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
            run(["apt-get", "update", "-qq"])
            run(["apt-get", "install", "-y", "-qq", "chromium"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        else:
            print("chromium not found and cannot be installed here: the browser test will be skipped")


MATHJAX_VERSION = "3.2.2"
MATHJAX = ROOT / ".cache" / "mathjax-npm" / "node_modules" / "mathjax"


def ensure_mathjax() -> None:
    """MathJax from npm into .cache/mathjax-npm: the book serves it itself (offline pages)."""
    pkg = MATHJAX / "package.json"
    if pkg.exists() and json.loads(pkg.read_text())["version"] == MATHJAX_VERSION:
        return
    if not shutil.which("npm") and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "npm"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if not shutil.which("npm"):
        sys.exit("dev.py: npm is needed to fetch MathJax for the book (install Node.js)")
    run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", ".cache/mathjax-npm",
         f"mathjax@{MATHJAX_VERSION}"])


def main() -> int:
    args = sys.argv[1:]
    cmd = args[0] if args else ""
    if cmd not in ("book", "test", "store", "lock"):
        print(__doc__)
        return 2
    check_python()
    if cmd == "lock":
        lock()
        return 0
    setup(deps_file(args))
    if cmd == "store":
        store([a for a in args[1:] if not a.startswith("--")])
        return 0
    try:
        {"book": book, "test": test}[cmd]()
    except subprocess.CalledProcessError as exc:
        print(f"dev.py {cmd}: a step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
