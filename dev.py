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
    python3 dev.py pdf     the HTML book, then the whole book as one PDF (XeLaTeX; TeX installed with
                           apt-get when run as root), linked from the site; prints the PDF's path last
    python3 dev.py student the student edition: every chapter without solutions, executed; prints
                           its folder last
    python3 dev.py release bundle the site zip, the PDF, the notebooks, the student edition and the
                           lock file (builds them first); prints the bundle's path last
    python3 dev.py sync    rewrite what derives from _config.yml (repository address), requirements.lock
                           and pyproject.toml (version): the chapters' install cells (Colab),
                           binder/requirements.txt, the commands on "Run it yourself", CITATION.cff
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
        install_server_config()
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
    install_server_config()
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
    # The install cell (Colab) is stored as In [0], without output: it belongs to the reader's setup, and
    # the chapter's own cells keep their numbers 1, 2, ... whether it ran or not.
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if code and is_install_cell(code[0]):
        code[0]["execution_count"], code[0]["outputs"] = 0, []
        for k, c in enumerate(code[1:], 1):
            if c.get("execution_count") is not None:
                c["execution_count"] = k
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
        "nb = nbformat.from_dict(dev.with_install_cell(nbformat.read(p, as_version=4)))\n"
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
    timings = {}

    def step(name, fn):
        t0 = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - t0

    run([PY, "-m", "pytest", "tests", "-q", "--ignore=tests/browser", "--ignore=tests/kit"], env=env())
    run([PY, "-m", "pytest", "--nbval-lax", "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), "-q",
         "--nbval-cell-timeout", "900", "-p", "no:cacheprovider", "chapters"],
        env=dict(env(), QBCORE_VIZ_CHECK="1"))  # every explorer also checked after live updates
    step("book (strict)", lambda: book(strict=True))
    # the teacher's kit: the PDF (linked from the site, so before the browser test), the student
    # edition, the release bundle, then their tests and the Colab install cells in a fresh venv
    step("pdf", lambda: pdf(build_html=False))
    step("student edition", student)
    step("release bundle", lambda: release(build=False))
    step("kit tests (PDF, student edition, release, Colab)",
         lambda: run([PY, "-m", "pytest", "tests/kit", "-q", "-p", "no:cacheprovider"], env=env()))
    browser_setup()
    step("browser tests", lambda: run([PY, "-m", "pytest", "tests/browser", "-q"], env=env()))
    print("dev.py test: times of the steps after nbval: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))


def browser_setup() -> None:
    """Headless Chromium (Debian package) for the browser test."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
            run(["apt-get", "update", "-qq"])
            run(["apt-get", "install", "-y", "-qq", "chromium"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        else:
            print("chromium not found and cannot be installed here: the browser test will be skipped")

# --------------------------------------------------------------------------- one repository address
CONFIG = ROOT / "_config.yml"
TOC = ROOT / "_toc.yml"
PYPROJECT = ROOT / "pyproject.toml"
CITATION = ROOT / "CITATION.cff"
BINDER_REQ = ROOT / "binder" / "requirements.txt"
SERVER_CONFIG = ROOT / "binder" / "jupyter_server_config.py"
LAB_OVERRIDES = ROOT / "binder" / "overrides.json"  # the reader's JupyterLab settings
RUN_IT = ROOT / "chapters" / "run_it_yourself.md"
TEST_TOOLS = ("pytest", "nbval", "playwright")  # in requirements.txt, not in the reader's environment
INSTALL_MARK = "# QB_INSTALL_CELL"


def config_block(key: str, text: str | None = None) -> dict[str, str]:
    """The scalar entries of one top-level block of _config.yml (no YAML library on a bare machine)."""
    text = CONFIG.read_text(encoding="utf-8") if text is None else text
    m = re.search(rf"^{key}:[ \t]*\n((?:[ \t]+.*\n?|[ \t]*\n)*)", text, re.M)
    out = {}
    for line in (m.group(1).splitlines() if m else []):
        kv = re.match(r"^[ \t]+([\w-]+):[ \t]*(.*?)[ \t]*$", line)
        if kv:
            out[kv.group(1)] = kv.group(2).strip("\"'")
    return out


def repo_url() -> str:
    """The book's repository (``repository.url`` in _config.yml): the one place it is written."""
    url = config_block("repository").get("url", "").rstrip("/")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        sys.exit(f"dev.py: repository.url in _config.yml must be https://github.com/OWNER/NAME; got {url!r}")
    return url


def repo_branch() -> str:
    return config_block("repository").get("branch", "main") or "main"


def version() -> str:
    """The book's one version number: ``version`` in pyproject.toml."""
    m = re.search(r'^version\s*=\s*"([^"]+)"', PYPROJECT.read_text(encoding="utf-8"), re.M)
    if not m:
        sys.exit("dev.py: no version in pyproject.toml")
    return m.group(1)


def chapter_notebooks() -> list[Path]:
    """The notebooks of _toc.yml, in book order."""
    files = re.findall(r"^\s*(?:-\s*)?(?:file|root):\s*(\S+)", TOC.read_text(encoding="utf-8"), re.M)
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def requirement(name: str) -> str:
    """The line of requirements.txt for package ``name`` (its compatible range)."""
    for line in RANGES.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if re.match(rf"{re.escape(name)}\b(?![-\w])", line, re.I):
            return line
    sys.exit(f"dev.py: {name} is not in requirements.txt")


# --------------------------------------------------------------------------- install cells (Colab)
#: What a chapter's import needs installed, and from where. qbcore brings numpy, scipy,
#: matplotlib (and, with [widgets], ipywidgets and IPython); everything else is in requirements.txt.
PROVIDED_BY = {"qbcore": "qbcore", "numpy": "qbcore", "scipy": "qbcore", "matplotlib": "qbcore",
               "ipywidgets": "qbcore", "IPython": "qbcore", "myst_nb": "myst-nb", "qutip": "qutip"}


def notebook_imports(nb: dict) -> list[str]:
    """Top-level modules that the notebook's code imports (outside the standard library)."""
    import ast

    mods = set()
    for c in nb["cells"]:
        if c["cell_type"] != "code" or INSTALL_MARK in "".join(c["source"]):
            continue
        src = "\n".join(l for l in "".join(c["source"]).splitlines() if not l.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    return sorted(m for m in mods if m not in sys.stdlib_module_names)


def install_cell_source(nb: dict) -> str:
    """The install cell of a chapter: installs, only where missing, what the chapter imports."""
    mods = notebook_imports(nb)
    unknown = [m for m in mods if m not in PROVIDED_BY]
    if unknown:
        sys.exit(f"dev.py: the chapter imports {unknown}: add them to PROVIDED_BY in dev.py "
                 f"(and to requirements.txt)")
    needs = {"qbcore": ("qbcore", "qbcore[widgets]")}  # package -> (module that shows it, pip spec)
    for m in mods:
        if PROVIDED_BY[m] != "qbcore":
            needs.setdefault(PROVIDED_BY[m], (m, requirement(PROVIDED_BY[m])))
    checks = ", ".join(f'"{check}": "{spec}"' for check, spec in needs.values())
    return (
        f"{INSTALL_MARK} (hidden on the web page): run this cell first in Colab or any fresh Python.\n"
        "# It installs what this chapter needs, and only what is missing; where the book's environment is\n"
        "# installed (python3 dev.py book, Binder) it does nothing. Written by `python3 dev.py sync`.\n"
        "import importlib, importlib.util, os, pathlib, subprocess, sys\n"
        f'REPO = "{repo_url()}"  # repository.url in _config.yml\n'
        f"NEEDS = {{{checks}}}\n"
        "missing = [spec for module, spec in NEEDS.items() if importlib.util.find_spec(module) is None]\n"
        "if missing:\n"
        '    local = os.environ.get("QB_INSTALL_FROM")  # a local checkout instead of the repository\n'
        f'    source = pathlib.Path(local).resolve().as_uri() if local else f"git+{{REPO}}@{repo_branch()}"\n'
        '    missing = [f"{s} @ {source}" if s.startswith("qbcore") else s for s in missing]\n'
        '    print("installing", *missing)\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)\n'
        "    importlib.invalidate_caches()")


def install_cell(nb: dict) -> dict:
    return {"cell_type": "code", "execution_count": 0, "id": "qb-install", "outputs": [],
            "metadata": {"tags": ["remove-cell"]}, "source": install_cell_source(nb).splitlines(True)}


def is_install_cell(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "".join(cell["source"]).startswith(INSTALL_MARK)


def with_install_cell(nb: dict) -> dict:
    """``nb`` with its install cell (first cell) present and up to date; other cells untouched."""
    cell = install_cell(nb)
    if nb["cells"] and is_install_cell(nb["cells"][0]):
        old = nb["cells"][0]
        if "".join(old["source"]) == "".join(cell["source"]) and "remove-cell" in old.get("metadata", {}).get("tags", []):
            return nb
        cell["id"] = old.get("id", cell["id"])
        nb["cells"][0] = cell
    else:
        nb["cells"].insert(0, cell)
    return nb


# --------------------------------------------------------------------------- derived files
def binder_requirements() -> str:
    """binder/requirements.txt: the reader's environment, the exact versions of requirements.lock
    without the test tools (and what only they need)."""
    blocks: dict[str, tuple[str, set[str]]] = {}
    name = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][\w.-]*)==", line)
        if m:
            name = m.group(1).lower()
            blocks[name] = (line, set())
        elif name and re.match(r"^\s+#\s+(via\s+)?[-\w.]+", line):
            via = re.sub(r"^\s+#\s+(via\s+)?", "", line).strip()
            if via and via != "via":
                blocks[name][1].add(via.lower())
    dropped = set(TEST_TOOLS)
    changed = True
    while changed:  # drop what only dropped packages need
        changed = False
        for pkg, (_, via) in blocks.items():
            if pkg not in dropped and via and "-r requirements.txt" not in via and via <= dropped:
                dropped.add(pkg)
                changed = True
    keep = [line for pkg, (line, _) in blocks.items() if pkg not in dropped]
    return ("# The reader's environment (Binder): the exact versions of requirements.lock without the test\n"
            f"# tools ({', '.join(TEST_TOOLS)}) and what only they need. Written by `python3 dev.py sync`;\n"
            "# tests/test_kit_config.py checks that it is in sync with the lock.\n" + "\n".join(keep) + "\n")


RUN_IT_BEGIN = "<!-- written by python3 dev.py sync from _config.yml: begin -->"
RUN_IT_END = "<!-- written by python3 dev.py sync: end -->"


def run_it_yourself_text(text: str) -> str:
    """run_it_yourself.md with its commands (clone, Colab cell) written from _config.yml."""
    url, branch = repo_url(), repo_branch()
    folder = url.rsplit("/", 1)[1]
    clone = (f"{RUN_IT_BEGIN}\n```bash\ngit clone {url}\ncd {folder}\n"
             "python3 dev.py book              # creates .venv, installs everything, builds the HTML book\n"
             ".venv/bin/jupyter lab chapters/  # opens the notebooks with live widgets\n```\n" + RUN_IT_END)
    colab = (f"{RUN_IT_BEGIN}\n```python\n%pip install -q \"qbcore[widgets] @ git+{url}@{branch}\" "
             f"\"{requirement('myst-nb')}\" \"{requirement('qutip')}\"\n```\n" + RUN_IT_END)
    parts = re.split(rf"{re.escape(RUN_IT_BEGIN)}.*?{re.escape(RUN_IT_END)}", text, flags=re.S)
    if len(parts) != 3:
        sys.exit(f"dev.py: {RUN_IT.relative_to(ROOT)} needs exactly two generated blocks ({RUN_IT_BEGIN})")
    return parts[0] + clone + parts[1] + colab + parts[2]


def citation_text(text: str) -> str:
    """CITATION.cff with the version of pyproject.toml and the repository of _config.yml."""
    text = re.sub(r"(?m)^version:.*$", f'version: "{version()}"', text)
    return re.sub(r"(?m)^repository-code:.*$", f'repository-code: "{repo_url()}"', text)


def sync(check: bool = False) -> list[str]:
    """Write every file derived from _config.yml, requirements.lock and pyproject.toml: the install
    cell of each chapter, binder/requirements.txt, the commands on "Run it yourself", the version
    in CITATION.cff. With ``check``, write nothing and return the files that are out of date."""
    stale = []

    def put(path: Path, new: str) -> None:
        if path.read_text(encoding="utf-8") != new:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                path.write_text(new, encoding="utf-8")

    for p in chapter_notebooks():
        nb = json.loads(p.read_text(encoding="utf-8"))
        before = json.dumps(nb, sort_keys=True)
        nb = with_install_cell(nb)
        if json.dumps(nb, sort_keys=True) != before:
            put(p, json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    put(BINDER_REQ, binder_requirements())
    put(RUN_IT, run_it_yourself_text(RUN_IT.read_text(encoding="utf-8")))
    put(CITATION, citation_text(CITATION.read_text(encoding="utf-8")))
    if not check:
        for s in stale:
            print(f"wrote {s}")
        print(f"dev.py sync: {len(stale)} file(s) updated from _config.yml, requirements.lock and pyproject.toml")
    return stale


# --------------------------------------------------------------------------- PDF
PDF_DIR = ROOT / "_build" / "pdf"
PDF_SRC = PDF_DIR / "src"
PDF_NAME = "open-quantum-batteries.pdf"
TEX_PACKAGES = ["texlive-latex-recommended", "texlive-latex-extra", "texlive-fonts-recommended", "texlive-xetex",
                "latexmk", "lmodern", "fontconfig", "fonts-freefont-otf", "fonts-dejavu-core", "poppler-utils"]
FIGURE_RE = re.compile(r'<figure class="qb-figure"><img\b([^>]*)>.*?<figcaption[^>]*>(.*?)</figcaption></figure>', re.S)
# sphinx-jupyterbook-latex's class loads bbm (only in the 1.4 GB texlive-fonts-extra) for macros the book
# never uses; this stand-in, put beside the .tex file, gives \mathbbm from amssymb's \mathbb.
BBM_STUB = ("\\NeedsTeXFormat{LaTeX2e}\\ProvidesPackage{bbm}[2024/01/01 stand-in for bbm]\n"
            "\\RequirePackage{amssymb}\n\\providecommand{\\mathbbm}[1]{\\mathbb{#1}}\n")


def apt_install(packages: list[str], why: str) -> None:
    if not (shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0):
        sys.exit(f"dev.py: {why} needs the Debian packages {' '.join(packages)} (install them, or run as root)")
    e = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=e)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=e)


def tex_setup() -> None:
    """XeLaTeX, latexmk, the FreeFont fonts and pdftotext (Debian packages, about 450 MB)."""
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not (shutil.which("xelatex") and shutil.which("latexmk") and shutil.which("pdftotext")
            and "FreeSerif" in fonts and "DejaVu Sans Mono" in fonts):
        apt_install(TEX_PACKAGES, "the PDF")


def html_to_myst(s: str) -> str:
    """A figure caption (HTML with \\(...\\) math) as MyST markdown."""
    import html as _html

    s = re.sub(r"\\\((.+?)\\\)", lambda m: "$" + m.group(1).strip() + "$", s, flags=re.S)
    s = re.sub(r"\\\[(.+?)\\\]", lambda m: "$" + m.group(1).strip() + "$", s, flags=re.S)
    s = re.sub(r"</?(em|i)>", "*", s)
    s = re.sub(r"</?(strong|b)>", "**", s)
    s = re.sub(r"<sub>(.*?)</sub>", r"{sub}`\1`", s)
    s = re.sub(r"<sup>(.*?)</sup>", r"{sup}`\1`", s)
    s = re.sub(r"<code>(.*?)</code>", r"`\1`", s)
    s = re.sub(r"<br\s*/?>", " ", s)
    s = re.sub(r"<[^>]+>", "", s)
    return re.sub(r"\s+", " ", _html.unescape(s)).strip()


def figure_markdown(html_text: str, png_path: Path, rel: str) -> str | None:
    """A qbcore.viz figure (static, or an explorer's default frame) as a MyST figure; the PNG is
    written to ``png_path``. None if the HTML holds no qbcore.viz figure."""
    import base64
    import html as _html

    m = FIGURE_RE.search(html_text)
    if not m:
        return None
    img, caption = m.group(1), html_to_myst(m.group(2))
    src = re.search(r'\bsrc="data:image/png;base64,([^"]+)"', img)
    alt = re.search(r'\balt="([^"]*)"', img)
    if not src:
        return None
    png_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.write_bytes(base64.b64decode(src.group(1)))
    if 'class="qb-explorer"' in html_text:
        shown = [f"{html_to_myst(a)} = {html_to_myst(b)}"
                 for a, b in re.findall(r'<span class="qb-name">(.*?) = <output>(.*?)</output>', html_text)]
        fixed = re.search(r'<p class="qb-fixed">Fixed on this page: (.*?)\.</p>', html_text)
        shown += [html_to_myst(fixed.group(1))] if fixed else []
        caption += (f" *Interactive figure, printed at its default parameters ({', '.join(shown)}); "
                    f"the web page and the notebook vary them.*")
    alt_text = re.sub(r"\s+", " ", _html.unescape(alt.group(1))).strip() if alt else "figure"
    return f"```{{figure}} {rel}\n:alt: {alt_text}\n:width: 100%\n\n{caption}\n```\n"


def pdf_sources(src: Path = PDF_SRC) -> None:
    """(Runs in .venv.) A copy of the book for the LaTeX builder: each chapter notebook with the
    outputs of the last HTML build (execution cache), every qbcore.viz figure turned into a MyST
    figure of its PNG (an explorer: its default frame, with the parameters it shows)."""
    import nbformat
    import yaml
    from jupyter_cache import get_cache

    shutil.rmtree(src, ignore_errors=True)
    (src / "chapters").mkdir(parents=True)
    for name in ("_toc.yml", "references.bib", "pyproject.toml", "CITATION.cff"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "_static", src / "_static")
    shutil.copytree(ROOT / "_ext", src / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "benchmarks").mkdir()
    for p in (ROOT / "benchmarks").glob("*.md"):  # the performance page includes the measurements
        shutil.copy2(p, src / "benchmarks" / p.name)
    for p in sorted((ROOT / "chapters").iterdir()):
        if p.suffix == ".md":
            shutil.copy2(p, src / "chapters" / p.name)
    cache = get_cache(str(CACHE))
    stale, n_fig = [], 0
    for p in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        try:
            _, nb = cache.merge_match_into_notebook(nb)
        except KeyError:
            stale.append(p.name)
            continue
        k = 0
        for c in nb.cells:
            for i, o in enumerate(c.get("outputs", [])):
                html_text = o.get("data", {}).get("text/html") if o.get("output_type") in (
                    "display_data", "execute_result") else None
                if not html_text:
                    continue
                k += 1
                md = figure_markdown("".join(html_text), src / "chapters" / "_figures" / f"{p.stem}-{k}.png",
                                     f"_figures/{p.stem}-{k}.png")
                if md:
                    c.outputs[i] = nbformat.from_dict({"output_type": "display_data", "metadata": {},
                                                       "data": {"text/markdown": md}})
                    n_fig += 1
        nbformat.write(nb, src / "chapters" / p.name)
    if stale:
        sys.exit(f"dev.py pdf: not in the execution cache (build the HTML book first): {', '.join(stale)}")
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    cfg["execute"]["execute_notebooks"] = "off"  # outputs are in the copies
    conf = cfg["sphinx"]["config"]
    # bookext: reading times, quick checks and the "Reading the paper" part; not its web-only
    # MathJax copy (the site zip is made for the HTML builder only)
    conf["qb_offline_mathjax"] = False
    conf.pop("nb_mime_priority_overrides", None)
    conf.update({"nb_render_markdown_format": "myst", "release": version(), "version": version(),
                 "latex_use_xindy": False, "latex_show_urls": "no", "latex_show_pagerefs": False})
    conf["latex_elements"] = {"figure_align": "H", "papersize": "a4paper", "pointsize": "10pt", "fontpkg": (
        # FreeFont (Sphinx's XeLaTeX default) for text; DejaVu Sans Mono for code, which also has the
        # subscript letters (ᵢ) that the chapters' code uses
        "\\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic, BoldFont=*Bold, "
        "BoldItalicFont=*BoldItalic]\n\\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, "
        "ItalicFont=*Oblique, BoldFont=*Bold, BoldItalicFont=*BoldOblique]\n"
        "\\setmonofont{DejaVu Sans Mono}[Scale=0.9]\n")}
    cfg["latex"] = {"latex_engine": "xelatex", "use_jupyterbook_latex": True,
                    "latex_documents": {"targetname": "book.tex"}}
    cfg["title"] = cfg.get("title", "Open Quantum Batteries")
    (src / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"PDF sources in {src}: {n_fig} figures as PNG")


def exercise_refs(tex: str) -> str:
    """sphinx-exercise labels an exercise ``exercise:LABEL`` and prints its number as text, while a
    {numref} to it asks LaTeX for the number of ``DOC:LABEL``, which LaTeX never gets: point each
    such reference at the exercise and write its number (as the web page does)."""
    numbers = dict(re.findall(r"\\label\{exercise:([\w-]+)\}\s*\\begin\{sphinxadmonition\}\{note\}\{Exercise (\d+)", tex))

    def fix(m):
        label = m.group(2)
        if label not in numbers:
            return m.group(0)
        return f"\\hyperref[exercise:{label}]{{{m.group(3)}{numbers[label]}}}"

    return re.sub(r"\\hyperref\[\\detokenize\{([^}:]+):([\w-]+)\}\]\{([^{}]*?)\\ref\{\\detokenize\{\1:\2\}\}\}",
                  fix, tex)


def latex_problems(log_text: str) -> list[str]:
    """Characters the fonts lack and undefined references, from a LaTeX log."""
    out = sorted(set(re.findall(r"Missing character: There is no .*? in font [^!]*!", log_text)))
    out += sorted(set(re.findall(r"LaTeX Warning: (?:Reference|Citation) .*? undefined", log_text)))
    return out


def pdf(build_html: bool = True) -> Path:
    """The whole book as one PDF (XeLaTeX); copied into the site (and its zip) so that the site links it."""
    tex_setup()
    if build_html:
        book()
    t0 = time.perf_counter()
    run([PY, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import dev; dev.pdf_sources()", ROOT], env=env())
    run([BIN / "jupyter-book", "build", PDF_SRC, "--builder", "latex", "--keep-going"], env=env())
    latex = PDF_SRC / "_build" / "latex"
    (latex / "bbm.sty").write_text(BBM_STUB)
    tex = latex / "book.tex"
    tex.write_text(exercise_refs(tex.read_text(encoding="utf-8")), encoding="utf-8")
    res = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "book.tex"],
                         cwd=latex, capture_output=True, text=True)
    log = (latex / "book.log").read_text(encoding="utf-8", errors="replace") if (latex / "book.log").exists() else ""
    if res.returncode != 0 or not (latex / "book.pdf").exists():
        sys.exit(f"dev.py pdf: LaTeX failed (log: {latex / 'book.log'})\n{res.stdout[-3000:]}")
    problems = latex_problems(log)
    if problems:
        sys.exit("dev.py pdf: the PDF is incomplete:\n  " + "\n  ".join(problems[:20]))
    out = PDF_DIR / PDF_NAME
    shutil.copy2(latex / "book.pdf", out)
    link_into_site(out)
    pages = re.search(r"Output written on book\.\w+ \((\d+) pages", log)
    print(f"PDF built in {time.perf_counter() - t0:.1f} s: {pages.group(1) if pages else '?'} pages, "
          f"{out.stat().st_size / 1e6:.1f} MB")
    print(out)
    return out


def link_into_site(path: Path) -> None:
    """Put a download (the PDF) into the built site and its zip, where the pages link it."""
    if not SITE.exists():
        return
    shutil.copy2(path, SITE / path.name)
    z = SITE / "open-quantum-batteries-site.zip"
    if z.exists():
        import zipfile

        arc = f"open-quantum-batteries/{path.name}"
        with zipfile.ZipFile(z) as zf:
            present = arc in zf.namelist()
        if not present:
            with zipfile.ZipFile(z, "a", zipfile.ZIP_DEFLATED) as zf:
                zf.write(path, arc)


# --------------------------------------------------------------------------- student edition
STUDENT = ROOT / "_build" / "student"
YOUR_ANSWER = "# Your answer here.\n"


def _fence(kind: str) -> re.Pattern:
    return re.compile(r"(`{3,}|:{3,})\{" + kind + r"\}.*?^\1[ \t]*$\n?", re.S | re.M)


SOLUTION_START, SOLUTION_END, SOLUTION_BLOCK = _fence("solution-start"), _fence("solution-end"), _fence("solution")


def student_notebook(nb: dict) -> tuple[dict, int]:
    """``nb`` without solutions: every solution block (``solution-start`` ... ``solution-end``, which
    may span cells, or a ``{solution}`` block) with the code cells inside it removed, exercises kept,
    and an empty code cell for the answer where each solution was. Returns (notebook, solutions removed)."""
    cells, inside, removed = [], False, 0

    def answer():
        cells.append({"cell_type": "code", "execution_count": None, "id": f"qb-answer-{removed}",
                      "metadata": {}, "outputs": [], "source": YOUR_ANSWER})

    dropped_code = []
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            if not inside:
                cells.append(c)
            elif c["cell_type"] == "code":
                dropped_code.append("".join(c["source"]))
            continue
        text, kept = "".join(c["source"]), ""
        while text:
            if inside:
                m = SOLUTION_END.search(text)
                if not m:
                    break
                text, inside = text[m.end():], False
                continue
            starts = [m for m in (SOLUTION_START.search(text), SOLUTION_BLOCK.search(text)) if m]
            if not starts:
                kept += text
                break
            m = min(starts, key=lambda m: m.start())
            kept += text[:m.start()]
            if kept.strip():
                cells.append(dict(c, source=kept.strip("\n") + "\n", id=f"{c.get('id', 'md')}-{len(cells)}"))
            kept, removed = "", removed + 1
            answer()
            text, inside = text[m.end():], m.re is SOLUTION_START
        if kept.strip():
            cells.append(dict(c, source=kept.strip("\n") + "\n", id=f"{c.get('id', 'md')}-{len(cells)}"))
    if inside:
        raise ValueError("a solution-start without solution-end")
    graded = [c for c in cells if is_autograde(c)]
    without_solution_names([c for c in cells if not is_autograde(c)], dropped_code)
    for c in graded:
        c["source"] = autograde_source("".join(c["source"]))
        tags = c.setdefault("metadata", {}).setdefault("tags", [])
        if "raises-exception" not in tags:
            tags.append("raises-exception")
    for c in cells:
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    return dict(nb, cells=cells), removed


def is_autograde(cell: dict) -> bool:
    """A cell that checks a student's answer (tag ``autograde``, first line ``# Autograde: <label>``)."""
    return cell["cell_type"] == "code" and "autograde" in cell.get("metadata", {}).get("tags", [])


def autograde_source(src: str) -> str:
    """The student edition's form of an autograde cell: the same assertions, and a plain message
    (not a traceback) while the answer's variables are not defined yet."""
    head, _, body = src.partition("\n")
    return (f"{head}\ntry:\n" + "".join(f"    {l}\n" if l.strip() else "\n" for l in body.splitlines())
            + "    print('Checked: your answer passes.')\n"
            + "except NameError as missing:\n    print(f'Not answered yet: {missing}.')\n")


def _names(tree) -> tuple[set[str], set[str]]:
    """(names a piece of code binds, names it reads)."""
    import ast

    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound, read


def without_solution_names(cells: list[dict], dropped_code: list[str]) -> None:
    """A check after the exercises may use what a solution computed: in the student edition each
    top-level statement that reads a name only a removed solution defined is itself removed (and
    so, in turn, are statements that read what it defined), leaving a comment in its place."""
    import ast

    solution = set()
    for src in dropped_code:
        try:
            solution |= _names(ast.parse(src))[0]
        except SyntaxError:
            continue
    kept = set()
    for c in cells:
        if c["cell_type"] == "code":
            try:
                kept |= _names(ast.parse("".join(c["source"])))[0]
            except SyntaxError:
                pass
    missing = solution - kept
    for c in cells:
        if c["cell_type"] != "code" or not missing:
            continue
        src = "".join(c["source"])
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        lines, cut = src.splitlines(True), []
        for stmt in tree.body:
            bound, read = _names(stmt)
            if read & missing:
                missing |= bound
                cut.append((stmt.lineno - 1, stmt.end_lineno))
        for a, b in reversed(cut):
            lines[a:b] = [f"# (removed with the solutions: {lines[a].strip()[:60]} ...)\n"]
        if cut:
            c["source"] = "".join(lines)


def student(execute: bool = True) -> Path:
    """The student edition: every chapter notebook without solutions, in _build/student; each is
    executed (nbclient, in .venv) and must run cleanly. Returns (and prints last) the folder."""
    t0 = time.perf_counter()
    shutil.rmtree(STUDENT, ignore_errors=True)
    STUDENT.mkdir(parents=True)
    total = 0
    for p in chapter_notebooks():
        nb, n = student_notebook(json.loads(p.read_text(encoding="utf-8")))
        total += n
        (STUDENT / p.name).write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    (STUDENT / "README.md").write_text(
        f"# Open Quantum Batteries {version()}: student edition\n\nEvery chapter notebook with its exercises "
        "and without their solutions: an empty cell marks where each answer goes. Run the first cell "
        f"in Colab or a fresh Python to install what the chapter needs.\n\nSource: {repo_url()}\n", encoding="utf-8")
    print(f"student edition: {len(chapter_notebooks())} notebooks, {total} solutions removed", flush=True)
    if execute:
        code = ("import sys, pathlib, nbformat\nfrom nbclient import NotebookClient\n"
                "for a in sys.argv[1:]:\n"
                "    p = pathlib.Path(a); nb = nbformat.read(p, as_version=4)\n"
                "    NotebookClient(nb, timeout=600, kernel_name='python3', record_timing=False,\n"
                "                   resources={'metadata': {'path': str(p.parent)}}).execute()\n"
                "    bad = [o for c in nb.cells if c.cell_type == 'code' and 'autograde' not in c.metadata.get('tags', [])\n"
                "           for o in c.get('outputs', [])\n"
                "           if o.output_type == 'error' or o.get('name') == 'stderr']\n"
                "    if bad: sys.exit(f'{p.name}: error or stderr output: ' + str(bad[0])[:800])\n"
                "    print('ran', p.name, flush=True)\n")
        names = sorted(STUDENT.glob("*.ipynb"))
        # two kernels at a time (two cores); the notebooks are independent
        halves = [names[0::2], names[1::2]]
        one_thread = dict(env(), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")  # two kernels share two cores
        procs = [subprocess.Popen([str(PY), "-c", code, *map(str, h)], cwd=STUDENT, env=one_thread)
                 for h in halves if h]
        codes = [pr.wait() for pr in procs]
        if any(codes):
            sys.exit("dev.py student: a student notebook does not run (see above)")
        (STUDENT / ".executed").write_text(digest(names))
        print(f"student edition executed in {time.perf_counter() - t0:.1f} s", flush=True)
    print(STUDENT)
    return STUDENT


# --------------------------------------------------------------------------- release
RELEASE_DIR = ROOT / "_build" / "release"


def release(build: bool = True) -> Path:
    """One zip for a course: site (zip), PDF, chapter notebooks, student edition, lock file, citation."""
    import zipfile

    stale = sync(check=True)
    if stale:
        sys.exit(f"dev.py release: out of date, run python3 dev.py sync first: {', '.join(stale)}")
    if build:
        pdf(build_html=True)
        student()
    site_zip, pdf_file = SITE / "open-quantum-batteries-site.zip", PDF_DIR / PDF_NAME
    missing = [str(p) for p in (site_zip, pdf_file, STUDENT / ".executed") if not p.exists()]
    if missing:
        sys.exit(f"dev.py release: missing {', '.join(missing)}")
    name = f"open-quantum-batteries-{version()}"
    RELEASE_DIR.mkdir(parents=True, exist_ok=True)
    out = RELEASE_DIR / f"{name}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(site_zip, f"{name}/{site_zip.name}")
        zf.write(pdf_file, f"{name}/{pdf_file.name}")
        for p in chapter_notebooks():
            zf.write(p, f"{name}/notebooks/{p.name}")
        for p in sorted(STUDENT.iterdir()):
            if p.is_file() and not p.name.startswith("."):
                zf.write(p, f"{name}/student/{p.name}")
        for p in (LOCK, CITATION, ROOT / "LICENSE"):
            zf.write(p, f"{name}/{p.name}")
        zf.writestr(f"{name}/README.md",
                    f"# Open Quantum Batteries {version()}\n\n- `{site_zip.name}`: the web book; unzip and open "
                    "`open-quantum-batteries/index.html`\n- `" + pdf_file.name + "`: the whole book\n"
                    "- `notebooks/`: the chapters, to run in JupyterLab or Colab (first cell installs)\n"
                    "- `student/`: the chapters without solutions\n- `requirements.lock`: the exact versions "
                    f"the book's numbers were made with\n- `CITATION.cff`: how to cite it\n\nSource: {repo_url()}\n")
    print(f"release bundle: {out.stat().st_size / 1e6:.1f} MB")
    print(out)
    return out


# --------------------------------------------------------------------------- JupyterLab
def install_server_config() -> None:
    """The reader's Jupyter server saves chapters as stored (binder/jupyter_server_config.py), and
    its JupyterLab leaves the arrow keys to a focused slider or text box (binder/overrides.json).
    JupyterLab binds ArrowLeft/ArrowRight in command mode to moving the active cell between
    headings; on an explorer's slider every arrow press also did that, and the re-rendering it
    caused cost 80-150 ms per step (benchmarks/latency_lab.py)."""
    for src, dest in ((SERVER_CONFIG, VENV / "etc" / "jupyter" / "jupyter_server_config.py"),
                      (LAB_OVERRIDES, VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json")):
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copy2(src, dest)


# --------------------------------------------------------------------------- CITATION.cff
CFF_VENV = ROOT / ".cache" / "cffconvert-venv"


def cffconvert() -> Path:
    """cffconvert (the Citation File Format's validator, from PyPI) in its own venv in .cache
    (it pins jsonschema < 4, which the book's environment cannot have)."""
    exe = CFF_VENV / ("Scripts" if os.name == "nt" else "bin") / "cffconvert"
    if not exe.exists():
        run([sys.executable, "-m", "venv", CFF_VENV])
        run([exe.parent / "python", "-m", "pip", "install", "--quiet", "cffconvert==2.0.0"])
    return exe


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
    if cmd not in ("book", "test", "store", "lock", "sync", "pdf", "student", "release"):
        print(__doc__)
        return 2
    check_python()
    if cmd == "lock":
        lock()
        return 0
    if cmd == "sync":
        sync()
        return 0
    setup(deps_file(args))
    if cmd == "store":
        store([a for a in args[1:] if not a.startswith("--")])
        return 0
    try:
        {"book": book, "test": test, "pdf": pdf, "student": student, "release": release}[cmd]()
    except subprocess.CalledProcessError as exc:
        print(f"dev.py {cmd}: a step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
