"""Every result panel of every source paper has a verdict row in its chapter's "Every panel judged" table.

The panels are listed in ``tests/paper_panels.json`` (extracted from the papers' figure captions), so the
main test runs on a clean clone without the papers; when the papers are present (``../shared/papers`` next
to the repository, or ``$QB_PAPERS``) a second test re-extracts the list and compares.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
DATA = json.loads((Path(__file__).with_name("paper_panels.json")).read_text(encoding="utf-8"))
PAPERS = DATA["papers"]
VERDICTS = ("reproduced", "partly", "not reproduced", "not applicable")
HEADING = "## Every panel judged"
CAPTION = re.compile(r"^(?:FIG\.|Figure)\s+(\d+)\.\s+(.*)$")
PANEL_LETTER = re.compile(r"\((?:\d+)?([a-h])\)")
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.M)
REF = re.compile(r"\{ref\}`(?:[^`<]*<([^`>]+)>|([^`<>]+))`|\]\(#?([A-Za-z0-9_-]+)\)")


def papers_dir() -> Path | None:
    env = os.environ.get("QB_PAPERS")
    for p in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "papers"]:
        if p.is_dir() and any(p.glob("0*.txt")):
            return p
    return None


def extract_panels(text: str) -> tuple[list[str], list[str]]:
    """(result panels, figures that are not results) named by the captions of a paper's plain text."""
    panels, others = [], []
    for line in text.splitlines():
        m = CAPTION.match(line.strip())
        if not m:
            continue
        fig, caption = f"Fig. {int(m.group(1))}", m.group(2)
        if not re.search(r"versus|function of", caption, re.I) or re.search(r"schematic", caption, re.I):
            others.append(fig)
            continue
        letters = sorted(set(PANEL_LETTER.findall(caption)))
        panels += [fig + x for x in letters] or [fig]
    return panels, others


def markdown(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def verdict_rows(cells: list[str]) -> list[dict]:
    """The rows of the table under ``## Every panel judged``: panel, verdict, the labels its links point to."""
    blocks = [c for c in cells if HEADING in c]
    if len(blocks) != 1:
        raise AssertionError(f"expected one '{HEADING}' section, found {len(blocks)}")
    lines = blocks[0].split(HEADING, 1)[1].splitlines()
    table = [ln.strip() for ln in lines if ln.strip().startswith("|")]
    if len(table) < 3:
        raise AssertionError("no table under the heading")
    header = [h.strip().lower() for h in table[0].strip("|").split("|")]
    if header[0] != "panel" or "verdict" not in header:
        raise AssertionError(f"the table needs the columns 'panel' and 'verdict'; got {header}")
    k = header.index("verdict")
    rows = []
    for ln in table[2:]:
        cols = [c.strip() for c in ln.strip("|").split("|")]
        if len(cols) != len(header):
            raise AssertionError(f"row with {len(cols)} columns instead of {len(header)}: {ln}")
        refs = [next(g for g in m.groups() if g) for m in REF.finditer(ln)]
        rows.append({"panel": cols[0], "verdict": cols[k], "refs": refs, "line": ln})
    return rows


def table_problems(cells: list[str], panels: list[str]) -> list[str]:
    labels = set(LABEL.findall("\n".join(cells)))
    rows = verdict_rows(cells)
    bad = []
    seen = [r["panel"] for r in rows]
    for p in panels:
        if seen.count(p) != 1:
            bad.append(f"{p}: {seen.count(p)} rows")
    bad += [f"{p}: not a result panel of the paper" for p in seen if p not in panels]
    for r in rows:
        if r["verdict"] not in VERDICTS:
            bad.append(f"{r['panel']}: verdict {r['verdict']!r} is not one of {VERDICTS}")
        if not r["refs"]:
            bad.append(f"{r['panel']}: no link to the cell that shows it")
        bad += [f"{r['panel']}: link to {x!r}, which is no label of this notebook" for x in r["refs"] if x not in labels]
    return bad


def test_panel_counts():
    counts = {DATA["papers"][k]["chapter"]: len(v["panels"]) for k, v in PAPERS.items()}
    assert counts == {"dot_negf": 32, "coupled_qubits": 10, "spin_chain": 14, "star": 5, "ising": 9}
    assert sum(counts.values()) == 70
    for v in PAPERS.values():
        assert len(set(v["panels"])) == len(v["panels"])


@pytest.mark.parametrize("key", sorted(PAPERS), ids=lambda k: PAPERS[k]["chapter"])
def test_every_panel_has_a_verdict_row(key):
    info = PAPERS[key]
    problems = table_problems(markdown(CHAPTERS / f"{info['chapter']}.ipynb"), info["panels"])
    assert not problems, f"{info['chapter']}: " + "; ".join(problems)


@pytest.mark.skipif(papers_dir() is None, reason="the source papers are not next to the repository")
@pytest.mark.parametrize("key", sorted(PAPERS), ids=lambda k: PAPERS[k]["chapter"])
def test_panel_list_matches_the_papers(key):
    files = sorted(papers_dir().glob(f"{key}_*.txt"))
    assert len(files) == 1, files
    panels, others = extract_panels(files[0].read_text(encoding="utf-8"))
    assert panels == PAPERS[key]["panels"]
    assert others == PAPERS[key]["not_result_figures"]


def test_extraction_and_table_checks_on_examples():
    text = ("FIG. 1. The schematic diagram of the battery.\n"
            "FIG. 2. (a) The ergotropy as a function of T. (b) The energy versus T.\n"
            "Figure 3. Work versus the level (3a) full and (3c) empty; see panels (b).\n"
            "Fig. 2(a) shows ...\nFigure 4. The entropy versus bias.\n")
    assert extract_panels(text) == (["Fig. 2a", "Fig. 2b", "Fig. 3a", "Fig. 3b", "Fig. 3c", "Fig. 4"], ["Fig. 1"])
    good = ["(x-a)=\n## A section", HEADING + "\n\n| panel | what | verdict | where |\n|---|---|---|---|\n"
            "| Fig. 2a | W | reproduced | ({ref}`A <x-a>`) |\n| Fig. 2b | U | partly | {ref}`x-a` |"]
    assert table_problems(good, ["Fig. 2a", "Fig. 2b"]) == []
    problems = table_problems(good, ["Fig. 2a", "Fig. 2b", "Fig. 3"])
    assert problems == ["Fig. 3: 0 rows"]
    bad = [good[0], good[1].replace("partly", "mostly").replace("{ref}`x-a`", "{ref}`x-b`")]
    problems = table_problems(bad, ["Fig. 2a", "Fig. 2b"])
    assert any("mostly" in p for p in problems) and any("x-b" in p for p in problems)
