"""The teacher's and local reader's kit, static parts: one repository address, the chapters'
install cells (Colab), the reader's environment (Binder), the citation file, the student edition's
solution removal, the PDF's figure conversion, and the teaching page."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402

CHAPTERS = dev.chapter_notebooks()



def load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def markdown_of(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


EXERCISE_LABELS = sorted(set(re.findall(r"\{exercise\}[^\n]*\n:label: ([\w-]+)",
                                        "\n".join(markdown_of(load(p)) for p in CHAPTERS))))


def test_every_derived_file_is_in_sync():
    """Install cells, binder/requirements.txt, "Run it yourself" and CITATION.cff are what
    `python3 dev.py sync` writes from _config.yml, requirements.lock and pyproject.toml."""
    assert dev.sync(check=True) == [], "run python3 dev.py sync"


def test_sync_notices_a_changed_repository_address(tmp_path, monkeypatch):
    cfg = tmp_path / "_config.yml"
    cfg.write_text(dev.CONFIG.read_text().replace(dev.repo_url(), "https://github.com/someone/elsewhere"))
    monkeypatch.setattr(dev, "CONFIG", cfg)
    stale = dev.sync(check=True)
    assert "chapters/run_it_yourself.md" in stale and "CITATION.cff" in stale
    assert all(str(p.relative_to(ROOT)) in stale for p in CHAPTERS)


def test_repository_address_is_written_only_where_it_derives_from_config():
    url = dev.repo_url()
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    holders = sorted(f for f in files if (ROOT / f).is_file() and (ROOT / f).suffix in
                     (".md", ".py", ".yml", ".yaml", ".txt", ".cff", ".ipynb", ".cfg", ".toml", ".json", "")
                     and url.split("//")[1] in (ROOT / f).read_text(encoding="utf-8", errors="ignore"))
    derived = {"_config.yml", "CITATION.cff", "chapters/run_it_yourself.md"} | {
        str(p.relative_to(ROOT)) for p in CHAPTERS}
    assert set(holders) <= derived, f"the address is also written in {sorted(set(holders) - derived)}"
    # launch buttons: Jupyter Book builds them from repository.url; nothing else names a repository
    cfg = (ROOT / "_config.yml").read_text()
    launch = dev.config_block("launch_buttons")
    assert launch["colab_url"] == "https://colab.research.google.com" and launch["binderhub_url"]
    assert cfg.count("github.com") == 1 and dev.config_block("repository")["branch"] == "main"
    # the install cells and Run it yourself use exactly this address and branch
    for p in CHAPTERS:
        src = "".join(load(p)["cells"][0]["source"])
        assert f'REPO = "{url}"' in src and '@main"' in src, p.name
    run_it = dev.RUN_IT.read_text()
    assert f"git clone {url}\n" in run_it and f"git+{url}@main" in run_it
    readme = (ROOT / "README.md").read_text()
    assert "repository.url" in readme and "python3 dev.py sync" in readme, "README: how to change the address"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_starts_with_its_install_cell(path):
    nb = load(path)
    cell = nb["cells"][0]
    assert dev.is_install_cell(cell), f"{path.name}: the first cell is not the install cell (dev.py sync)"
    assert "remove-cell" in cell["metadata"].get("tags", []), "the install cell must be hidden on the web page"
    assert cell["execution_count"] == 0 and cell["outputs"] == []
    src = "".join(cell["source"])
    needs = json.loads(re.search(r"^NEEDS = (\{.*\})$", src, re.M).group(1))
    imported = dev.notebook_imports(nb)
    assert "qbcore" in needs and needs["qbcore"] == "qbcore[widgets]"
    for m in imported:  # each imported package is installed by the cell (numpy etc. come with qbcore)
        assert m in needs or dev.PROVIDED_BY[m] == "qbcore", f"{path.name} imports {m}: not installed"
    for module, spec in needs.items():
        if module != "qbcore":
            assert spec == dev.requirement(dev.PROVIDED_BY[module]), "ranges come from requirements.txt"
    compile(src, path.name, "exec")
    # the other cells keep their numbers 1, 2, ... (nbval compares only counted cells)
    counts = [c["execution_count"] for c in nb["cells"][1:] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_install_cell_refuses_an_import_it_cannot_install():
    nb = {"cells": [{"cell_type": "code", "source": "import pandas\nfrom qbcore import thermo\n"}]}
    assert dev.notebook_imports(nb) == ["pandas", "qbcore"]
    with pytest.raises(SystemExit, match="pandas"):
        dev.install_cell_source(nb)
    nb["cells"][0]["source"] = "import qutip, os\nimport myst_nb\n%matplotlib inline\n"
    src = dev.install_cell_source(nb)
    assert '"qutip": "qutip>=' in src and '"myst_nb": "myst-nb>=' in src
    again = dev.with_install_cell(dev.with_install_cell(nb))
    assert sum(dev.is_install_cell(c) for c in again["cells"]) == 1


def test_binder_gets_the_readers_environment_at_the_locked_versions():
    lines = [l for l in dev.BINDER_REQ.read_text().splitlines() if l and not l.startswith("#")]
    lock = dev.LOCK.read_text().splitlines()
    names = {re.match(r"[\w.-]+", l).group(0).lower() for l in lines}
    assert all(l in lock for l in lines), "every pin is the lock's"
    assert not names & {"pytest", "nbval", "playwright", "pluggy", "iniconfig", "coverage"}, "test tools in Binder"
    assert {"jupyterlab", "jupyterlab-myst", "myst-nb", "qutip", "ipywidgets", "numpy", "jupyter-book"} <= names
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post and "binder/jupyter_server_config.py" in post


def test_citation_file_validates_and_carries_the_version(tmp_path):
    cff = dev.CITATION.read_text()
    assert f'version: "{dev.version()}"' in cff and f'repository-code: "{dev.repo_url()}"' in cff
    exe = dev.cffconvert()
    ok = subprocess.run([exe, "--validate", "-i", dev.CITATION], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "CITATION.cff"
    bad.write_text(cff.replace("cff-version: 1.2.0", "cff-version: 1.2.0\nauthors-typo: 1"))
    assert subprocess.run([exe, "--validate", "-i", bad], capture_output=True).returncode != 0


def test_one_version_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+", dev.version())
    assert (ROOT / "pyproject.toml").read_text().count("version = ") == 1
    teaching = (ROOT / "chapters" / "teaching.md").read_text()
    assert "literalinclude} ../pyproject.toml" in teaching and ":start-at: version =" in teaching


# --------------------------------------------------------------------------- student edition
def _md(s):
    return {"cell_type": "markdown", "metadata": {}, "id": "m", "source": s}


def _code(s):
    return {"cell_type": "code", "metadata": {}, "id": f"c{abs(hash(s))}", "source": s, "outputs": [],
            "execution_count": 3}


def test_student_notebook_removes_solutions_across_cells_and_keeps_exercises():
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _code("import numpy"),
        _md("## Exercises\n\n```{exercise}\n:label: ex-a\nDo A.\n```\n\n```{solution-start} ex-a\n:class: dropdown\n```\n\nHint A."),
        _code("answer_a = 1"),
        _md("More of A.\n\n```{solution-end}\n```\n\n```{exercise}\n:label: ex-b\nDo B.\n```\n\n"
            "````{solution} ex-b\n:class: dropdown\nB is\n```python\nb = 2\n```\n````\n\n"
            "```{exercise}\n:label: ex-c\nDo C.\n```\n\n:::{solution-start} ex-c\n:::\nC text\n:::{solution-end}\n:::\n\n## Checks"),
        _code("assert True"),
    ]}
    out, n = dev.student_notebook(nb)
    text = "\n".join("".join(c["source"]) for c in out["cells"])
    assert n == 3
    assert "solution" not in text and "Hint A" not in text and "answer_a" not in text and "B is" not in text
    assert "C text" not in text and all(f"Do {x}." in text for x in "ABC") and "## Checks" in text
    kinds = [(c["cell_type"], "".join(c["source"])[:12]) for c in out["cells"]]
    assert kinds.count(("code", dev.YOUR_ANSWER[:12])) == 3
    assert "import numpy" in text and "assert True" in text
    assert len({c["id"] for c in out["cells"]}) == len(out["cells"]), "unique cell ids"
    with pytest.raises(ValueError):
        dev.student_notebook({"cells": [_md("```{solution-start} x\n```\nno end")]})


def test_student_edition_keeps_autograde_cells_which_wait_for_an_answer_then_grade_it():
    grade = dict(_code("# Autograde: ex-a\nassert abs(answer_a - 1) < 0.1, 'answer_a should be 1'\n"),
                 metadata={"tags": ["autograde"]})
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _md("```{exercise}\n:label: ex-a\nStore it in `answer_a`.\n```\n\n```{solution-start} ex-a\n```\n"),
        _code("answer_a = 1.02"), _md("```{solution-end}\n```\n"), grade]}
    out, _ = dev.student_notebook(nb)
    cell = out["cells"][-1]
    src = "".join(cell["source"])
    assert src.startswith("# Autograde: ex-a\n") and "assert abs(answer_a - 1) < 0.1" in src
    assert "raises-exception" in cell["metadata"]["tags"] and "autograde" in cell["metadata"]["tags"]
    import contextlib
    import io

    def run(ns):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(src, ns)
        return buf.getvalue()

    assert "Not answered yet" in run({}), "no traceback before the student answers"
    assert "passes" in run({"answer_a": 0.98})
    with pytest.raises(AssertionError, match="answer_a should be 1"):
        run({"answer_a": 3.0})


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_edition_of_each_chapter_has_exercises_and_no_solutions(path):
    nb = load(path)
    md = markdown_of(nb)
    out, n = dev.student_notebook(nb)
    text = "\n".join("".join(c["source"]) for c in out["cells"])
    assert n == md.count("{solution-start}") + md.count("{solution}")
    assert "{solution" not in text and text.count("{exercise}") == md.count("{exercise}")
    ids = [c["id"] for c in out["cells"]]
    assert len(ids) == len(set(ids)), "cell ids must stay unique"


# --------------------------------------------------------------------------- PDF helpers
def test_explorer_prints_as_its_default_frame_with_its_parameters(tmp_path):
    from qbcore import viz

    def plot(fig, a):
        ax = fig.subplots()
        ax.plot([0, 1], [0, a])
        ax.set_xlabel("x")

    ex = viz.explore(plot, {"a": viz.Slider("Δμ", 0.0, 2.0, 0.5)}, alt="a line whose slope is the bias",
                     caption=r"A line of slope \(\Delta\mu\); <em>see</em> the text.")
    md = dev.figure_markdown(ex.static_html(), tmp_path / "f.png", "_figures/f.png")
    assert md.startswith("```{figure} _figures/f.png\n:alt: a line whose slope is the bias\n")
    assert r"A line of slope $\Delta\mu$; *see* the text." in md and "Δμ = 0.5" in md
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dev.figure_markdown("<p>no figure</p>", tmp_path / "g.png", "g.png") is None


def test_latex_log_problems_are_found():
    log = ("Missing character: There is no ⟩ (U+27E9) in font [lmroman10-regular]:mapping=tex-text;!\n"
           "LaTeX Warning: Reference `chapters/x:eq' on page 3 undefined on input line 5.\n")
    assert len(dev.latex_problems(log)) == 2 and dev.latex_problems("Output written on book.pdf") == []


# --------------------------------------------------------------------------- teaching page
def test_teaching_page_maps_every_exercise_to_a_week_by_label():
    page = (ROOT / "chapters" / "teaching.md").read_text()
    assert "chapters/teaching" in (ROOT / "_toc.yml").read_text()
    assert len(EXERCISE_LABELS) >= 20
    refs = re.findall(r"\{(?:num)?ref\}`([\w-]+)`", page)
    assert sorted(set(refs)) == EXERCISE_LABELS, "every exercise, each once, by its label"
    assert len(refs) == len(set(refs))
    assert not re.search(r"\bExercises? \d", page), "no typed exercise numbers: use {numref}"
    weeks = re.findall(r"^\* - (\d)$", page, re.M)
    assert weeks == [str(w) for w in range(1, 7)]
    for p in CHAPTERS:
        if p.stem not in ("about_build",):
            assert f"({p.name})" in page, f"{p.name} has no place in the syllabus"
    for word in ("Prerequisites", "offline", "open-quantum-batteries-site.zip", "open-quantum-batteries.pdf",
                 "python3 dev.py student", "python3 dev.py release", "min"):
        assert word in page
