"""The PDF of the whole book (`python3 dev.py pdf`): complete text, every figure, no placeholder."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest

from conftest import ROOT, dev, need

#: 252 pages at the first release (A4, 10 pt); a chapter more or less moves it by tens of pages.
PAGES = (180, 420)


@pytest.fixture(scope="module")
def pdf():
    return need(dev.PDF_DIR / dev.PDF_NAME, "python3 dev.py pdf")


@pytest.fixture(scope="module")
def text(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout


def titles():
    """The title (first heading) of every page in _toc.yml."""
    out = []
    for f in re.findall(r"(?:file|root):\s*(\S+)", (ROOT / "_toc.yml").read_text()):
        md, nb = ROOT / f"{f}.md", ROOT / f"{f}.ipynb"
        if nb.exists():
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            src = next("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            src = md.read_text(encoding="utf-8")
        out.append(re.sub(r"[`*]", "", re.search(r"^#\s+(.+)$", src, re.M).group(1)).strip())
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00ad", "")).replace("- ", "-")


def test_every_chapter_title_is_in_the_pdf(text):
    body = squash(text)
    missing = [t for t in titles() if squash(t) not in body]
    assert len(titles()) >= 18 and not missing, f"titles not in the PDF: {missing}"


def test_no_placeholder_and_no_missing_character(text, pdf):
    assert "<interactive figure" not in text and "_HTML object" not in text and "IPython.core.display" not in text
    assert "\ufffd" not in text, "a replacement character: a glyph the fonts lack"
    roles = re.findall(r"\{(?:glue(?::\w+)?|cite(?::\w+)?|numref|ref|eq|term|doc|readtime)\}`|\breadtime\b", text)
    assert not roles, f"roles printed as source: {roles[:5]}"
    assert "??" not in text, "an unresolved reference"
    log = (dev.PDF_SRC / "_build" / "latex" / "book.log").read_text(encoding="utf-8", errors="replace")
    assert dev.latex_problems(log) == []


def test_every_figure_is_printed_with_its_caption(text, pdf):
    site = ROOT / "_build" / "html" / "chapters"
    pages = [p.read_text(encoding="utf-8") for p in site.glob("*.html")]
    web = sum(p.count('class="qb-figure"') for p in pages)
    explorers = sum(p.count('class="qb-explorer"') for p in pages)
    listing = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True, check=True).stdout
    images = [l for l in listing.splitlines()[2:] if l.split()[2] == "image"]
    assert web >= 40 and len(images) == web, f"{len(images)} images in the PDF, {web} figures on the web pages"
    body = squash(text)
    assert explorers >= 10 and body.count("Interactive figure, printed at its default parameters") == explorers


def test_page_count_bibliography_version_and_site_link(pdf, text):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert PAGES[0] <= pages <= PAGES[1], f"{pages} pages"
    body = squash(text)
    assert "Bibliography" in body and "Allahverdyan" in body and "Hadipour" in body
    assert f"Release {dev.version()}" in body
    exercises = re.findall(r"Exercise (\d+)", body)
    assert exercises and max(map(int, exercises)) >= 25, "exercise references carry their numbers"
    site = ROOT / "_build" / "html"
    assert (site / dev.PDF_NAME).read_bytes() == pdf.read_bytes(), "the site serves the PDF it links"
    with zipfile.ZipFile(site / "open-quantum-batteries-site.zip") as zf:
        assert f"open-quantum-batteries/{dev.PDF_NAME}" in zf.namelist()


def test_chapters_print_their_measured_reading_times(text):
    """The book's extension runs for the PDF too: reading times under the titles and in the syllabus."""
    body = squash(text)
    assert body.count(squash("Reading time: about")) >= 9
    assert re.search(r"\(\d+ min\)", text), "the syllabus quotes the chapters' reading times"
