"""The book's own commands (dev.py): stored-notebook stripping and the build checks that make a
failing notebook or an error on a page fail ``python3 dev.py book``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402


def _nb():
    return {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# T"},
        {"cell_type": "code", "execution_count": 3, "metadata": {"execution": {"x": 1}}, "source": "# NBVAL_CHECK_OUTPUT\nprint(1)",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "1.000000\n"},
                     {"output_type": "display_data", "metadata": {},
                      "data": {"application/papermill.record/text/plain": "0.30000000000000004"}},
                     {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<img>", "text/plain": "x"}}]},
        {"cell_type": "code", "execution_count": 4, "metadata": {}, "source": "plot()",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]},
    ], "metadata": {"widgets": {"state": {}}, "language_info": {"name": "python", "version": "3.11.7"}},
        "nbformat": 4, "nbformat_minor": 5}


def test_strip_keeps_only_compared_text():
    nb = dev.strip_notebook(_nb())
    checked, other = nb["cells"][1], nb["cells"][2]
    assert checked["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "1.000000\n"}]
    assert other["outputs"] == [] and checked["execution_count"] == 3
    assert "execution" not in checked["metadata"] and "widgets" not in nb["metadata"]
    assert nb["metadata"]["language_info"] == {"name": "python"}


def test_build_check_names_notebook_and_cell(tmp_path):
    site, chapters = tmp_path / "html", tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "demo.ipynb").write_text(json.dumps(_nb()))
    report = site / "reports" / "chapters" / "demo.err.log"
    report.parent.mkdir(parents=True)
    report.write_text("An error occurred while executing the following cell:\n------------------\n"
                      "plot()\n------------------\n\nTraceback ...\nAssertionError: W1 == 0.0\n")
    [line] = dev.execution_failures(site, chapters)
    assert "demo.ipynb" in line and "Cell 1 " in line and "cell 2 " in line and "AssertionError" in line
    assert dev.execution_failures(tmp_path / "nothing", chapters) == []


def test_build_check_finds_errors_and_figures_without_alt_text(tmp_path):
    site = tmp_path / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "chapters" / "ok.html").write_text(
        '<figure class="qb-figure"><img src="data:image/png;base64,AA" alt="a curve of W against T">'
        '<figcaption class="qb-caption">c</figcaption></figure>')
    assert dev.page_problems(site) == []
    (site / "chapters" / "bad.html").write_text(
        '<div class="cell_output docutils container"><div class="output traceback highlight-ipythontb">'
        'AssertionError</div></div><img src="data:image/png;base64,AA" alt="">')
    problems = dev.page_problems(site)
    assert any("bad.html: shows an error" in p for p in problems)
    assert any("bad.html: a figure without alt text" in p for p in problems)


def test_supported_pythons_match_the_lock_and_readme():
    lo, hi = dev.SUPPORTED
    lock = (ROOT / "requirements.lock").read_text()
    assert "python3 dev.py lock" in lock and "==" in lock
    readme = (ROOT / "README.md").read_text()
    assert f"Python {lo[0]}.{lo[1]}" in readme and f"{hi[0]}.{hi[1]}" in readme


def test_strip_stores_the_install_cell_as_in_0_and_keeps_the_chapters_numbers():
    nb = dev.with_install_cell(_nb())
    assert dev.is_install_cell(nb["cells"][0]) and nb["cells"][1]["source"] == "# T"
    # as a top-to-bottom run numbers them: the install cell 1, the chapter's cells 2, 3
    nb["cells"][0]["execution_count"] = 1
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "installing qbcore\n"}]
    nb["cells"][2]["execution_count"], nb["cells"][3]["execution_count"] = 2, 3
    out = dev.strip_notebook(nb)
    assert out["cells"][0]["execution_count"] == 0 and out["cells"][0]["outputs"] == []
    assert [c["execution_count"] for c in out["cells"][2:]] == [1, 2]
    assert "remove-cell" in out["cells"][0]["metadata"]["tags"]
    assert dev.with_install_cell(out) is out  # already up to date: unchanged


def test_sync_writes_nbformats_layout(tmp_path):
    """A chapter as dev.py sync writes it is byte-identical to what nbformat (and so the Jupyter
    server, and dev.py store) writes."""
    import nbformat

    nb = dev.with_install_cell(json.loads((ROOT / "chapters" / "ergotropy.ipynb").read_text(encoding="utf-8")))
    p = tmp_path / "x.ipynb"
    p.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    before = p.read_bytes()
    nbformat.write(nbformat.read(p, as_version=4), p)
    assert p.read_bytes() == before
