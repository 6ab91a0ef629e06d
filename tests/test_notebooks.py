"""Static checks of the stored chapter notebooks (the teaching apparatus and accessibility).

nbval re-executes the notebooks; these checks read what is stored and what readers see.
"""
import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
NOTEBOOKS = sorted(p for p in CHAPTERS.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
TEACHING = [p for p in NOTEBOOKS if p.stem not in ("about_build",)]


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


def outputs(nb):
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            for o in c.get("outputs", []):
                yield c, o


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_without_errors_or_warnings(path):
    nb = load(path)
    for c in nb["cells"]:
        if c["cell_type"] == "code" and "".join(c["source"]).strip():
            assert c.get("execution_count") is not None, f"unexecuted cell in {path.name}"
    for _, o in outputs(nb):
        assert o["output_type"] != "error", f"error output in {path.name}"
        assert o.get("name") != "stderr", f"stderr output in {path.name}: {''.join(o.get('text', ''))[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_alt_text_and_caption(path):
    for _, o in outputs(load(path)):
        data = o.get("data", {})
        assert "image/png" not in data and "image/svg+xml" not in data, \
            f"raw figure output in {path.name}: use qbcore.viz.show/explore (alt text + caption)"
        html = "".join(data.get("text/html", ""))
        for img in re.findall(r"<img\b[^>]*>", html):
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1).strip()) >= 10, f"image without alt text in {path.name}"
        if "<img" in html:
            assert "<figcaption" in html, f"figure without caption in {path.name}"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_teaching_apparatus(path):
    nb = load(path)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "Learning goals" in md and "Prerequisites" in md and "Estimated time" in md
    assert re.search(r"\$\$ *\(eq-", md), "no numbered equation"
    assert "{eq}`" in md, "equations are never referenced"
    assert md.count("{exercise}") >= 3 and md.count("{solution-start}") >= 3, "needs >= 3 exercises with solutions"
    assert ":class: dropdown" in md, "solutions must be hidden by default"
    assert "{cite}`" in md and "{term}`" in md
    last_code = next("".join(c["source"]) for c in reversed(nb["cells"]) if c["cell_type"] == "code")
    assert "## Checks" in md and "assert " in last_code, "must end with a Checks section of asserts"
    assert "Where to go next" in md
    assert "hbar = k_B = 1" in md.replace("\\", "")
