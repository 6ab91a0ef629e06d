"""The student edition (`python3 dev.py student`) and the release bundle (`python3 dev.py release`)."""
from __future__ import annotations

import json
import zipfile

from conftest import ROOT, dev, need


def test_student_edition_has_every_exercise_no_solution_and_ran():
    folder = need(dev.STUDENT / ".executed", "python3 dev.py student").parent
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    assert names == sorted(p.name for p in dev.chapter_notebooks())
    assert (folder / ".executed").read_text() == dev.digest(sorted(folder.glob("*.ipynb"))), \
        "dev.py student executed exactly these notebooks"
    solutions = exercises = answers = 0
    for p in dev.chapter_notebooks():
        nb = json.loads((folder / p.name).read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in nb["cells"])
        solutions += text.count("{solution")
        exercises += text.count("{exercise}")
        answers += sum(c["cell_type"] == "code" and "".join(c["source"]) == dev.YOUR_ANSWER for c in nb["cells"])
        assert dev.is_install_cell(nb["cells"][0]), "the student edition keeps the install cell (Colab)"
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), "stored without outputs"
    assert solutions == 0
    assert exercises == answers >= 20


def test_release_bundle_holds_the_course():
    v = dev.version()
    bundle = need(dev.RELEASE_DIR / f"open-quantum-batteries-{v}.zip", "python3 dev.py release")
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        top = f"open-quantum-batteries-{v}/"
        want = {top + n for n in ("open-quantum-batteries-site.zip", dev.PDF_NAME, "requirements.lock",
                                  "CITATION.cff", "LICENSE", "README.md")}
        want |= {top + "notebooks/" + p.name for p in dev.chapter_notebooks()}
        want |= {top + "student/" + p.name for p in dev.chapter_notebooks()} | {top + "student/README.md"}
        assert want <= names, f"missing: {sorted(want - names)}"
        assert all(n.startswith(top) for n in names)
        assert zf.read(top + "requirements.lock") == (ROOT / "requirements.lock").read_bytes()
        assert zf.read(top + dev.PDF_NAME) == (dev.PDF_DIR / dev.PDF_NAME).read_bytes()
        assert zf.read(top + "notebooks/star.ipynb") == (ROOT / "chapters" / "star.ipynb").read_bytes()
        assert b"{solution" not in zf.read(top + "student/star.ipynb")
        with zf.open(top + "open-quantum-batteries-site.zip") as inner, zipfile.ZipFile(inner) as site:
            assert "open-quantum-batteries/chapters/teaching.html" in site.namelist()
