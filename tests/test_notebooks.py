"""Static checks of the stored chapter notebooks (the teaching apparatus and accessibility).

nbval re-executes the notebooks; these checks read what is stored: the teaching apparatus, and
that only the text nbval compares is stored (figures and widgets are made by the build).
"""
import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
NOTEBOOKS = sorted(p for p in CHAPTERS.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
TEACHING = [p for p in NOTEBOOKS if p.stem not in ("about_build", "use_qbcore")]  # reference pages


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


CHECK = "NBVAL_CHECK_OUTPUT"
#: A decimal number in printed text (integers without a point or exponent are exact counts).
NUMBER = re.compile(r"(?<![\w.])[-+]?(\d+\.\d*|\d+(?=[eE]))([eE][-+]?\d+)?")
MAX_DIGITS = 10


def significant_digits(mantissa: str) -> int:
    """Significant digits of a printed mantissa: '0.001250' -> 4, '12.5' -> 3."""
    return len(mantissa.replace(".", "").lstrip("+-").lstrip("0")) or 1


def printed_number_problems(text: str, source: str = "") -> list[str]:
    """Numbers in compared output that would make nbval compare round-off instead of physics.

    A number that appears literally in the cell's ``source`` (a stated tolerance such as
    "agree to 1e-12: True") is a constant, not a computed value.
    """
    bad = []
    # Stated constants, not computed values: ranges "[a, b]" in messages and "rtol=..." settings.
    text = re.sub(r"\[[^\]\n]*,[^\]\n]*\]|\b\w*tol=\S+", "", text)
    for m in NUMBER.finditer(text):
        if m.group(0) in source:
            continue
        if significant_digits(m.group(1)) > MAX_DIGITS:
            bad.append(f"{m.group(0)} has more than {MAX_DIGITS} significant digits")
        if m.group(2) and (int(m.group(2)[1:]) <= -13 or not m.group(1).strip("0.+-")):
            bad.append(f"{m.group(0)} is round-off: print it with qbcore.viz.fmt, which gives '~0'")
        elif m.group(2) and -12 <= int(m.group(2)[1:]) <= -9:
            bad.append(f"{m.group(0)} is at round-off scale but not below the sanitizer's 1e-13 (print a "
                       f"statement such as 'agrees to 1e-10: True' instead)")
    return bad


def test_printed_number_rule_catches_full_precision_and_roundoff():
    assert printed_number_problems("W = 0.23354126538114306") != []
    assert printed_number_problems("dev = 3e-11") != []
    assert printed_number_problems("agree to 1e-11: True", 'print(f"agree to 1e-11: {d < 1e-11}")') == []
    assert printed_number_problems("T must lie in [1e-12, 1e+06]; pass a smaller rtol (now rtol=1e-12)") == []
    assert printed_number_problems("dev = 4.4e-16") != [] and printed_number_problems("W = 0.0e+00") != []
    assert printed_number_problems("W = 0.233541, dev = ~0, N = 723513048618236776790, T = 1.0e-02") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_holds_only_compared_text(path):
    """Stored chapters are reviewable: no figures, widgets or glue records; text only where nbval compares.

    ``python3 dev.py store chapters/NAME.ipynb`` executes a notebook and stores it this way; the
    book build makes every figure.
    """
    nb = load(path)
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: stored widget state"
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code":
            continue
        if "".join(c["source"]).strip():
            assert c.get("execution_count") is not None, f"{path.name} cell {i}: stored unexecuted"
        assert "execution" not in c.get("metadata", {}), f"{path.name} cell {i}: stored timing metadata"
        checked = CHECK in "".join(c["source"])
        for o in c.get("outputs", []):
            assert checked, f"{path.name} cell {i}: output stored in a cell nbval does not compare"
            assert o["output_type"] in ("stream", "execute_result"), f"{path.name} cell {i}: {o['output_type']}"
            assert o.get("name", "stdout") == "stdout", f"{path.name} cell {i}: stderr stored"
            assert set(o.get("data", {})) <= {"text/plain"}, \
                f"{path.name} cell {i}: stored {sorted(o['data'])} (only text is stored; no image, HTML or glue)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_compared_cells_print_physics_not_roundoff(path):
    """Every number nbval compares is printed at a stated precision (<= 10 significant digits)."""
    nb = load(path)
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "code" or CHECK not in "".join(c["source"]):
            continue
        assert c.get("outputs"), f"{path.name} cell {i}: a compared cell with no stored output"
        for o in c["outputs"]:
            text = "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
            problems = printed_number_problems(text, "".join(c["source"]))
            assert not problems, f"{path.name} cell {i}: " + "; ".join(problems[:3])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_go_through_viz(path):
    """Figures carry alt text and captions: chapters show them only via qbcore.viz (checked on the
    built pages by ``dev.py book``)."""
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    assert "plt.show(" not in code and "savefig(" not in code, f"{path.name}: a figure outside qbcore.viz"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_teaching_apparatus(path):
    nb = load(path)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "Learning goals" in md and "Prerequisites" in md
    assert "Estimated time" not in md, "reading times are measured by the build (_ext/bookext.py), not typed"
    assert re.search(r"\$\$ *\(eq-", md), "no numbered equation"
    assert "{eq}`" in md, "equations are never referenced"
    assert md.count("{exercise}") >= 3 and md.count("{solution-start}") >= 3, "needs >= 3 exercises with solutions"
    assert ":class: dropdown" in md, "solutions must be hidden by default"
    assert "{cite}`" in md and "{term}`" in md
    last_code = next("".join(c["source"]) for c in reversed(nb["cells"]) if c["cell_type"] == "code")
    assert "## Checks" in md and "assert " in last_code, "must end with a Checks section of asserts"
    assert "Where to go next" in md
    assert "hbar = k_B = 1" in md.replace("\\", "")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_timed_assertions(path):
    """Speed is measured in benchmarks/, never asserted: wall-clock times depend on the machine."""
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    bad = re.findall(r"^\s*assert\b[^\n]*(?:_seconds|perf_counter|time\.time)[^\n]*", code, re.M)
    assert not bad, f"{path.name}: timed assertions {bad}"
