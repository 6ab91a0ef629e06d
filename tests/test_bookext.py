"""The book's Sphinx extension (``_ext/bookext.py``) on a tiny book: measured reading times, the
form of quick checks (a malformed one fails the strict build) and the "Reading the paper" part."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = f"""
import sys; sys.path.insert(0, {str(ROOT / '_ext')!r})
extensions = ["myst_nb", "sphinx_design", "sphinx_exercise", "bookext"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
nb_execution_mode = "off"
html_theme = "sphinx_book_theme"
exclude_patterns = ["_build", "jupyter_execute"]
qb_offline_mathjax = False  # the site's own MathJax copy is tested with the real book
"""
CHECK = ("````{{admonition}} Quick check\n:class: qb-check\n\nWhy?\n\n1. a\n2. b\n\n"
         "```{{dropdown}} Answer\n**{answer}.** Because. Yes.\n```\n````\n")


def book(tmp_path: Path, answer: str = "2") -> subprocess.CompletedProcess:
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "index.md").write_text("# Title\n\nThe page takes {readtime}`page`.\n\n```{toctree}\npage\n```\n")
    prose = "# A page\n\n" + "word " * 450 + "\n\n$$ x = 1 $$\n\n$$ y = 2 $$\n\n"
    ex = ("```{exercise} ★ Concept: x\n:label: ex-a\n*Learning goal 1.* Do.\n```\n\n"
          "```{solution-start} ex-a\n:class: dropdown\n```\n" + "sol " * 3000 + "\n```{solution-end}\n```\n")
    paper = "## Reading the paper\n\n" + "audit " * 300 + "\n\n(lbl-in)=\n### Every panel\n\ntext\n"
    cells = [("markdown", prose + CHECK.format(answer=answer), []), ("code", "1 + 1", ["hide-input"]),
             ("code", "2 + 2", []), ("markdown", "## Exercises\n\n" + ex + paper, [])]
    nb = {"cells": [dict({"cell_type": t, "metadata": {"tags": g}, "source": s},
                         **({"outputs": [], "execution_count": None} if t == "code" else {})) for t, s, g in cells],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "page.ipynb").write_text(json.dumps(nb))
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(tmp_path),
                           str(tmp_path / "_build")], capture_output=True, text=True)


def test_reading_time_is_measured_and_quick_checks_and_paper_part_are_marked(tmp_path):
    run = book(tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (tmp_path / "_build" / "page.html").read_text()
    m = re.search(r'class="qb-readtime"><em>Reading time: about (\d+) min, measured from this page '
                  r'\(([\d,]+) words, 2 display equations, 0 figures; solutions not counted\), '
                  r'plus about (\d+) min for Reading the paper\.', page)
    assert m, re.findall(r"Reading time[^<]*", page)
    words = int(m.group(2).replace(",", ""))
    assert 450 <= words < 600, "prose and the exercise count, the 3000 words of the solution do not"
    # 450+ words at 150 words/min, 2 equations at 15 s, 1 visible code cell at 10 s: about 4 min
    assert m.group(1) == "4" and m.group(3) == "2"
    assert re.search(r'class="[^"]*qb-check[^"]*qb-answer-2', page)
    assert re.search(r'<section class="qb-paper" id="reading-the-paper">', page)
    index = (tmp_path / "_build" / "index.html").read_text()
    assert "The page takes 4 min." in index


@pytest.mark.parametrize("answer", ["3", "x"])
def test_a_quick_check_without_a_valid_answer_fails_the_strict_build(tmp_path, answer):
    run = book(tmp_path, answer)
    assert run.returncode != 0 and "quick check" in run.stderr, run.stderr[-1500:]
