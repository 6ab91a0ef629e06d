"""The course apparatus of every chapter (issue 20), read from the stored notebooks.

A chapter teaches before it audits: numbered learning goals that the exercises name; quick
concept checks in every section; a predict-then-move prompt before every explorer; sections
headed by physics, not by a paper's figure numbers; symbols and key takeaways boxes; at least six
homework exercises labelled by type and difficulty, with prose in every solution and autograding
cells; the paper audit in a "Reading the paper" part; textbook further reading. The web page's
behaviour of these blocks is checked in ``tests/browser/test_reader.py``; their form is also
checked by the build (``_ext/bookext.py`` warns, ``-W`` fails).
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"


def toc_parts() -> dict[str, list[str]]:
    parts, current = {}, None
    for line in (ROOT / "_toc.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*- caption:\s*(.+)", line)
        if m:
            current = parts.setdefault(m.group(1).strip(), [])
            continue
        m = re.match(r"\s*- file:\s*chapters/(\S+)", line)
        if m and current is not None:
            current.append(m.group(1))
    return parts


PARTS = toc_parts()
FOUNDATIONS = [s for s in PARTS["Foundations"] if (CHAPTERS / f"{s}.ipynb").exists()]
MODELS = [s for s in PARTS["Models"] if s != "compare"]
COURSE = FOUNDATIONS + PARTS["Models"]
TYPES = ("Concept", "Pen and paper", "Numerical", "Build it yourself", "Mini-project", "Critique")
TITLE = re.compile(r"^(★{1,3}) (" + "|".join(TYPES) + r"): \S.*$")
NOT_CONCEPT = ("Exercises", "Reading the paper", "Where to go next", "Checks", "Further reading")


def load(stem: str) -> dict:
    return json.loads((CHAPTERS / f"{stem}.ipynb").read_text(encoding="utf-8"))


def markdown(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def fenced(md: str, name: str) -> list[tuple[str, str]]:
    """(argument, body) of every ```{name} ... ``` block (any fence length of backticks or colons)."""
    pat = re.compile(r"^(`{3,}|:{3,})\{" + re.escape(name) + r"\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
    return [(m.group(2).strip(), m.group(3)) for m in pat.finditer(md)]


def admonitions(md: str, cls: str) -> list[str]:
    return [body for _, body in fenced(md, "admonition") if re.search(rf"^:class:.*\b{cls}\b", body, re.M)]


def goals(md: str) -> int:
    m = re.search(r"\*\*Learning goals\.\*\*[^\n]*\n((?:\s*\d+\.\s.*\n?(?:[ \t]+\S.*\n?)*)+)", md)
    assert m, "no numbered 'Learning goals.' list"
    return len(re.findall(r"^\s*\d+\.\s", m.group(1), re.M))


def exercises(md: str) -> list[dict]:
    out = []
    for title, body in fenced(md, "exercise"):
        label = re.search(r"^:label:\s*(\S+)", body, re.M)
        text = "\n".join(l for l in body.splitlines() if not l.startswith(":")).strip()
        out.append({"title": title, "label": label.group(1) if label else None, "text": text})
    return out


def h2_sections(md: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## +(.+)$", md, flags=re.M)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def without_paper(md: str) -> str:
    return "\n".join(f"## {t}\n{b}" for t, b in h2_sections(md) if t != "Reading the paper")


def test_course_chapters_found():
    assert len(FOUNDATIONS) >= 2 and len(MODELS) == 5 and "compare" in PARTS["Models"], PARTS
    assert PARTS["Models"][-1] == "compare", "the capstone comes after the model chapters"


@pytest.mark.parametrize("stem", COURSE)
def test_no_typed_reading_time(stem):
    """Reading times are measured by the build (bookext), never typed."""
    assert "Estimated time" not in markdown(load(stem))


@pytest.mark.parametrize("stem", COURSE)
def test_six_typed_exercises_tied_to_goals(stem):
    md = markdown(load(stem))
    n_goals, ex = goals(md), exercises(md)
    assert len(ex) >= 6, f"{stem}: {len(ex)} exercises, at least 6 wanted"
    for e in ex:
        assert e["label"] and not re.search(r"-\d+$", e["label"]) or e["label"] in LEGACY, \
            f"{stem}: label {e['label']!r}: name exercises, do not number them"
        assert TITLE.match(e["title"]), f"{stem}/{e['label']}: title {e['title']!r} is not '<★..> <type>: <title>'"
        m = re.match(r"\*Learning goals? ([\d, and]+)\.\*", e["text"])
        assert m, f"{stem}/{e['label']}: the text must start with '*Learning goal N.*'"
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        assert nums and all(1 <= k <= n_goals for k in nums), f"{stem}/{e['label']}: goal {nums} of {n_goals}"
    kinds = {TITLE.match(e["title"]).group(2) for e in ex}
    want = {"Pen and paper", "Build it yourself"} | ({"Mini-project"} if stem in PARTS["Models"] else set())
    assert want <= kinds, f"{stem}: missing exercise types {want - kinds}"


#: labels that existed before issue 20 and are cited by the syllabus and other pages
LEGACY = {f"ex-{c}-{k}" for c in ("erg", "os", "ising", "xxz", "cq", "star", "dot") for k in range(1, 5)}


@pytest.mark.parametrize("stem", COURSE)
def test_every_solution_explains_in_prose(stem):
    nb = load(stem)
    inside, prose, label, bad = False, "", None, []
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            continue
        for chunk in re.split(r"(^`{3,}\{solution-(?:start|end)\}[^\n]*$)", "".join(c["source"]), flags=re.M):
            m = re.match(r"`{3,}\{solution-(start|end)\}\s*(\S*)", chunk)
            if m and m.group(1) == "start":
                inside, prose, label = True, "", m.group(2)
            elif m:
                text = re.sub(r"^(:\w+:.*|`{3,}.*)$", "", prose, flags=re.M)
                if len(re.findall(r"[.!?](\s|$)", text)) < 2:
                    bad.append(label)
                inside = False
            elif inside:
                prose += chunk
    assert not bad, f"{stem}: solutions without explanatory prose (two sentences at least): {bad}"


@pytest.mark.parametrize("stem", COURSE)
def test_autograde_cells_check_named_answers(stem):
    nb = load(stem)
    labels = {e["label"] for e in exercises(markdown(nb))}
    ended, graded = set(), []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            ended |= set(re.findall(r"\{solution-start\}\s*(\S+)", src))
        elif "autograde" in tags(c):
            m = re.match(r"# Autograde: (\S+)", src)
            assert m and m.group(1) in labels, f"{stem}: autograde cell must start '# Autograde: <label>': {src[:80]!r}"
            assert m.group(1) in ended, f"{stem}: autograde cell for {m.group(1)} before its solution"
            assert "assert " in src, f"{stem}: autograde cell for {m.group(1)} asserts nothing"
            graded.append(m.group(1))
    assert len(graded) >= 2, f"{stem}: {len(graded)} autograde cells, at least 2 wanted"


def quick_check_problems(body: str) -> list[str]:
    opts = re.findall(r"^\d+\.\s", body, re.M)
    ans = re.search(r"\{dropdown\}\s*Answer[^\n]*\n\s*\*\*(\d+)\.\*\*", body)
    probs = []
    if not 2 <= len(opts) <= 5:
        probs.append(f"{len(opts)} options")
    if not ans:
        probs.append("no '{dropdown} Answer' starting with **n.**")
    elif not 1 <= int(ans.group(1)) <= len(opts):
        probs.append(f"answer {ans.group(1)} of {len(opts)} options")
    return probs


def test_quick_check_rule_catches_malformed_blocks():
    good = ":class: qb-check\n\nQ?\n\n1. a\n2. b\n\n```{dropdown} Answer\n**2.** Because.\n```\n"
    assert quick_check_problems(good) == []
    assert quick_check_problems(good.replace("**2.**", "**3.**")) != []
    assert quick_check_problems(good.replace("2. b\n", "")) != []


@pytest.mark.parametrize("stem", COURSE)
def test_quick_checks_in_every_section(stem):
    md = markdown(load(stem))
    for body in admonitions(md, "qb-check"):
        assert not quick_check_problems(body), f"{stem}: quick check {body[:80]!r}: {quick_check_problems(body)}"
    thin = [(t, len(admonitions(b, "qb-check"))) for t, b in h2_sections(md)
            if t not in NOT_CONCEPT and len(admonitions(b, "qb-check")) < 2]
    assert not thin, f"{stem}: sections with fewer than 2 quick checks: {thin}"


@pytest.mark.parametrize("stem", COURSE)
def test_predict_then_move_before_every_explorer(stem):
    last_md, bad = "", []
    for c in load(stem)["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            last_md = src
        elif re.search(r"\bexplore\(", src) and "def explore" not in src:
            if "qb-predict" not in last_md:
                bad.append(src.strip().splitlines()[0][:70])
    assert not bad, f"{stem}: explorers without a 'Predict, then move' prompt just before: {bad}"


@pytest.mark.parametrize("stem", COURSE)
def test_sections_are_headed_by_concepts_not_figure_numbers(stem):
    heads = re.findall(r"^#{1,4} +(.+)$", without_paper(markdown(load(stem))), re.M)
    bad = [h for h in heads if re.search(r"\bFigs?\.", h)]
    assert not bad, f"{stem}: headings naming paper figures: {bad}"


@pytest.mark.parametrize("stem", COURSE)
def test_symbols_takeaways_and_further_reading(stem):
    md = markdown(load(stem))
    assert admonitions(md, "qb-symbols"), f"{stem}: no 'Symbols in this chapter' box (class qb-symbols)"
    assert admonitions(md, "qb-takeaways"), f"{stem}: no 'Key takeaways' box (class qb-takeaways)"
    further = re.search(r"^### Further reading\n(.*?)(?=^##? |\Z)", md, re.S | re.M)
    assert further and len(re.findall(r"\{cite\}`", further.group(1))) >= 2, \
        f"{stem}: '### Further reading' with at least two cited sources"


@pytest.mark.parametrize("stem", MODELS)
def test_model_chapter_teaches_then_audits(stem):
    titles = [t for t, _ in h2_sections(markdown(load(stem)))]
    assert "Reading the paper" in titles, f"{stem}: no '## Reading the paper' part"
    order = [titles.index(t) for t in ("Exercises", "Reading the paper", "Where to go next", "Checks")]
    assert order == sorted(order), f"{stem}: parts out of order: {titles}"
    paper = dict(h2_sections(markdown(load(stem))))["Reading the paper"]
    assert "| panel |" in paper, f"{stem}: the 'Every panel judged' table belongs in Reading the paper"


@pytest.mark.parametrize("stem", COURSE)
def test_plotting_and_checks_code_is_folded(stem):
    nb = load(stem)
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "remove-cell" not in tags(c)]
    assert "hide-input" in tags(code[-1]) or "remove-input" in tags(code[-1]), f"{stem}: Checks code not folded"
    bad = [("".join(c["source"]).strip().splitlines() or [""])[0][:60] for c in code
           if re.search(r"\bviz\.(explore|show)\(", "".join(c["source"]))
           and not {"hide-input", "remove-input"} & set(tags(c)) and "autograde" not in tags(c)
           and not re.search(r"^#.*(solution|Solution)", "".join(c["source"]), re.M)]
    # code inside solutions is shown (the solution is the point); only the chapter's own figures fold
    inside = solution_code_sources(nb)
    bad = [b for b in bad if not any(s.strip().startswith(b) for s in inside)]
    assert not bad, f"{stem}: plotting cells shown on the page (tag them hide-input): {bad}"


def solution_code_sources(nb: dict) -> list[str]:
    inside, out = False, []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            for m in re.finditer(r"\{solution-(start|end)\}", src):
                inside = m.group(1) == "start"
        elif inside:
            out.append(src)
    return out


def test_intro_states_the_order_and_what_is_out_of_scope():
    intro = (CHAPTERS / "intro.md").read_text(encoding="utf-8")
    assert re.search(r"(?i)out of scope", intro), "the intro says what the book does not cover"
    for stem in COURSE:
        assert f"{stem}." in intro or f"{stem}.ipynb" in intro, f"the intro does not link {stem}"
