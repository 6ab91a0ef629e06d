"""The web book for every reader (headless Chromium; runs after the book build).

Each test is one promise of the book to a reader: text is readable in light and dark mode,
the site works offline (also from ``file://``), figures are legible and open at full size on
a phone, controls are clear and all work, figures have no overlapping text and use the book's
palette, captions use real notation, equations fit the printed page, search results show the
matching sentence, cross-references say what they link to, and every citation can be followed.
The course apparatus (issue 20): quick checks answer at once, the paper audit is folded away but
opens from any link into it, and every chapter shows its measured reading time.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from conftest import PAGES, ROOT, SITE, SKIP, close, open_page, wait_for_math

pytestmark = SKIP

CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
FIGURE_PAGES = [p for p in PAGES if SITE.exists() and 'class="qb-figure"' in (SITE / p).read_text(encoding="utf-8")]
EXPLORER_PAGES = [p for p in PAGES if SITE.exists() and 'class="qb-explorer"' in (SITE / p).read_text(encoding="utf-8")]


# ----------------------------------------------------------------------------- 2. contrast
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(server, browser, scheme):
    """WCAG AA: a contrast of at least 4.5:1 for every visible text, in both colour modes."""
    failures = []
    for path in PAGES:
        page, _ = open_page(browser, server + path, width=1280, scheme=scheme)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme, "theme ignores the OS mode"
        # measure the settled page, not a colour transition of the theme's mode switch
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
        page.wait_for_timeout(200)
        bad = page.evaluate(CONTRAST_JS)
        failures += [f"{path}: {b['text']!r} ({b['tag']}.{b['cls']}) {b['ratio']}:1 {b['fg']} on {b['bg']}"
                     for b in bad]
        if scheme == "dark":  # figures stay readable: drawn on white, not on the dark page
            dark_figs = page.evaluate("""Array.from(document.querySelectorAll('.qb-figure img'))
                .filter(i => getComputedStyle(i).backgroundColor !== 'rgb(255, 255, 255)').length""")
            if dark_figs:
                failures.append(f"{path}: {dark_figs} figures without their white background")
        close(page)
    assert not failures, f"{len(failures)} texts below 4.5:1 in {scheme} mode:\n" + "\n".join(failures[:30])


# ----------------------------------------------------------------------------- 3. offline
@pytest.mark.parametrize("path", PAGES)
def test_page_typesets_all_math_from_file_url_without_network(browser, path):
    """Opened from disk (file://) with every non-local request blocked, every equation renders."""
    page, errors = open_page(browser, (SITE / path).as_uri())
    n = wait_for_math(page)
    if n:
        page.wait_for_function("document.querySelectorAll('span.math mjx-container, div.math mjx-container')"
                               ".length >= document.querySelectorAll('span.math, div.math').length", timeout=20000)
        assert page.evaluate("document.querySelectorAll('mjx-merror').length") == 0
        raw = page.evaluate("Array.from(document.querySelectorAll('span.math, div.math'))"
                            ".filter(e => !e.querySelector('mjx-container')).length")
        assert raw == 0, f"{raw} of {n} equations left as raw TeX"
    assert not page.qb_external, f"requests leave the site: {page.qb_external[:3]}"
    close(page)


def test_site_zip_download_is_linked_and_complete(server, browser):
    z = SITE / "open-quantum-batteries-site.zip"
    assert z.is_file(), "the site zip is missing"
    with zipfile.ZipFile(z) as zf:
        names = set(zf.namelist())
    for need in ("index.html", "chapters/intro.html", "_static/mathjax/tex-svg.js", "chapters/star.html"):
        assert f"open-quantum-batteries/{need}" in names, need
    page, _ = open_page(browser, server + "chapters/run_it_yourself.html")
    assert page.locator("a[href$='open-quantum-batteries-site.zip']").count() >= 1, "no link to the zip"
    close(page)


# ----------------------------------------------------------------------------- 4. legible figures
def _explorer_quality(page):
    return page.evaluate("""Array.from(document.querySelectorAll('.qb-explorer')).map(r => ({
        id: r.id, q: JSON.parse(r.querySelector('script.qb-quality').textContent)}))""")


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figure_text_at_least_9px_on_desktop(server, browser, path):
    page, _ = open_page(browser, server + path, width=1280)
    imgs = page.evaluate("""Array.from(document.querySelectorAll('.qb-figure img')).map(i => ({
        alt: i.alt.slice(0, 50), px: parseFloat(i.dataset.minTextPx), scale: i.clientWidth / i.naturalWidth,
        explorer: i.closest('.qb-explorer') ? i.closest('.qb-explorer').id : null}))""")
    frames = {e["id"]: e["q"] for e in _explorer_quality(page)}
    small = []
    for im in imgs:
        pxs = [f["min_text_px"] for f in frames[im["explorer"]]] if im["explorer"] else [im["px"]]
        worst = min(pxs) * im["scale"]
        if not worst >= 9.0:
            small.append(f"{im['alt']!r}: {worst:.1f} px (scale {im['scale']:.2f})")
    close(page)
    assert imgs, "no figures found"
    assert not small, f"figure text below 9 CSS px at 1280 px: {small}"


def test_tap_opens_a_figure_at_full_size_on_a_phone(server, browser):
    for path in ("chapters/dot_negf.html", "chapters/coupled_qubits.html"):
        page, _ = open_page(browser, server + path, width=390, height=800, touch=True)
        img = page.locator(".qb-figure img").first
        img.scroll_into_view_if_needed()
        natural, shown = img.evaluate("i => [i.naturalWidth, i.clientWidth]")
        assert shown < natural, "expected a figure scaled down on a phone"
        img.tap()
        big = page.locator(".qb-lightbox img")
        big.wait_for(state="visible", timeout=3000)
        assert abs(big.evaluate("i => i.getBoundingClientRect().width") - natural) <= 1
        page.keyboard.press("Escape")
        assert page.locator(".qb-lightbox").count() == 0
        close(page)


# ----------------------------------------------------------------------------- 5. clear controls
@pytest.mark.parametrize("width", [1280, 390])
def test_controls_are_separated_labelled_and_all_work(server, browser, width):
    failures = []
    for path in EXPLORER_PAGES:
        page, _ = open_page(browser, server + path, width=width)
        res = page.evaluate("""() => Array.from(document.querySelectorAll('.qb-explorer')).map(r => {
            const cs = Array.from(r.querySelectorAll('.qb-control')).map(c => c.getBoundingClientRect());
            let gap = 1e9;
            for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++) {
                const a = cs[i], b = cs[j];
                const dx = Math.max(b.left - a.right, a.left - b.right), dy = Math.max(b.top - a.bottom, a.top - b.bottom);
                gap = Math.min(gap, Math.max(dx, dy));
            }
            const twoPos = Array.from(r.querySelectorAll('input[type=range]')).filter(s => parseInt(s.max) < 2).length;
            const text = r.innerText;
            const missing = JSON.parse(r.dataset.params).filter(l => !text.includes(l + ' ='));
            return {id: r.id, gap, twoPos, missing, n: cs.length};
        })""")
        for r in res:
            if r["n"] > 1 and r["gap"] < 8:
                failures.append(f"{path} {r['id']}: controls {r['gap']:.0f} px apart")
            if r["twoPos"]:
                failures.append(f"{path} {r['id']}: an either/or choice drawn as a 2-position slider")
            if r["missing"]:
                failures.append(f"{path} {r['id']}: values of {r['missing']} not shown")
        # every option button changes the frame and shows as pressed
        nb = page.evaluate("document.querySelectorAll('.qb-explorer .qb-option').length")
        for k in range(nb):
            ok = page.evaluate("""k => {
                const b = document.querySelectorAll('.qb-explorer .qb-option')[k];
                const r = b.closest('.qb-explorer'), img = r.querySelector('img.qb-frame');
                if (b.getAttribute('aria-pressed') === 'true') return true;
                const before = img.getAttribute('data-frame');
                b.click();
                return img.getAttribute('data-frame') !== before && b.getAttribute('aria-pressed') === 'true';
            }""", k)
            if not ok:
                failures.append(f"{path}: option button {k} does not change the frame")
        close(page)
    assert not failures, "\n".join(failures)


# ----------------------------------------------------------------------------- 6./7. figure defects
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_no_figure_or_frame_has_overlapping_text_or_off_palette_lines(server, browser, path):
    """Every static figure and every precomputed frame: no overlapping or cut-off text, lines in
    the book's palette, no negative zero (``qbcore.viz.figure_problems``, recorded at build)."""
    page, _ = open_page(browser, server + path, width=1280)
    statics = page.evaluate("""Array.from(document.querySelectorAll('.qb-figure img')).filter(i =>
        !i.closest('.qb-explorer')).map(i => ({alt: i.alt.slice(0, 40), p: i.dataset.problems}))""")
    bad = []
    for s in statics:
        assert s["p"] is not None, f"figure {s['alt']!r} was not made with qbcore.viz"
        bad += [f"{s['alt']!r}: {m}" for m in json.loads(s["p"])]
    for e in _explorer_quality(page):
        for k, q in enumerate(e["q"]):
            bad += [f"{e['id']} frame {k}: {m}" for m in q["problems"]]
    close(page)
    assert not bad, "\n".join(bad[:30])


# ----------------------------------------------------------------------------- 8. notation
PLAIN_MATH = re.compile(r"(?<![\w\\])[A-Za-zα-ωΑ-Ω]+_[A-Za-z0-9{]|\^[A-Za-z{(]|(?<![\w.])-0\.0+(?!\d)")


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_captions_use_math_and_alt_texts_read_aloud(server, browser, path):
    page, _ = open_page(browser, server + path)
    wait_for_math(page)
    caps = page.evaluate("""Array.from(document.querySelectorAll('.qb-caption')).map(c => {
        const d = c.cloneNode(true); d.querySelectorAll('mjx-container, .math').forEach(m => m.remove());
        return d.textContent; })""")
    alts = page.evaluate("Array.from(document.querySelectorAll('article img')).map(i => i.alt)")
    close(page)
    bad = [f"caption: ...{m.group(0)}... in {c[:70]!r}" for c in caps for m in [PLAIN_MATH.search(c)] if m]
    bad += [f"alt text with TeX or markup: {a[:70]!r}" for a in alts if re.search(r"[\\$_^]", a)]
    assert not bad, "\n".join(bad)


# ----------------------------------------------------------------------------- 9. print
@pytest.mark.parametrize("path", PAGES)
def test_display_equations_fit_the_printed_page(browser, path):
    page, _ = open_page(browser, (SITE / path).as_uri(), width=800, media="print")
    if wait_for_math(page):
        page.evaluate("MathJax.startup.promise")
        wide = page.evaluate("""Array.from(document.querySelectorAll('mjx-container[display="true"]')).filter(c => {
            const box = c.parentElement.getBoundingClientRect(), s = c.querySelector('svg');
            return s && s.getBoundingClientRect().right > box.right + 1; }).length""")
        assert wide == 0, f"{wide} display equations clipped in print"
    close(page)


# ----------------------------------------------------------------------------- 10. search
@pytest.mark.parametrize("query", ["ergotropy", "chemical potential", "Landauer"])
def test_search_results_show_the_matching_sentence(server, browser, query):
    page, _ = open_page(browser, server + f"search.html?q={query.replace(' ', '+')}")
    page.wait_for_selector("#search-results li p.context", timeout=20000)
    page.wait_for_timeout(1500)  # all summaries arrive
    snippets = page.evaluate("Array.from(document.querySelectorAll('#search-results li p.context'))"
                             ".map(p => p.textContent)")
    close(page)
    assert snippets
    word = query.split()[0].lower()[:6]
    bad = [s[:90] for s in snippets
           if "\\(" in s or "\\[" in s or re.match(r"\W*(Binder|Colab|\.md|\.ipynb)", s) or word not in s.lower()]
    assert not bad, f"snippets that do not show the matching sentence: {bad}"


# ----------------------------------------------------------------------------- 11. cross-references
@pytest.mark.parametrize("path", PAGES)
def test_numbered_references_match_their_targets(server, browser, path):
    page, _ = open_page(browser, server + path)
    wrong = page.evaluate(r"""() => Array.from(document.querySelectorAll('article a[href*="#"]')).map(a => {
        const m = a.textContent.match(/^\s*(Exercise|Solution|Fig\.|Figure|Table)\s+(\d+)/);
        if (!m) return null;
        const id = decodeURIComponent(a.hash.slice(1)), url = a.href.split('#')[0];
        if (url !== location.href.split('#')[0]) return null;   // other pages: checked on theirs
        const t = document.getElementById(id);
        if (!t) return a.textContent + ' -> missing #' + id;
        // only links to the book's own numbered elements; "Fig. 3" of a paper may link to a section
        const numbered = t.matches('.exercise, .solution, figure, table, div.figure') ||
                         t.querySelector(':scope > .admonition-title, :scope > figcaption .caption-number');
        if (!numbered) return null;
        const title = (t.querySelector('.admonition-title, .caption-number, caption') || t).textContent;
        const n = title.match(new RegExp(m[1].replace('.', '\\.') + '\\s+(\\d+)'));
        return (n && n[1] === m[2]) ? null : a.textContent.trim() + ' -> ' + title.trim().slice(0, 40);
    }).filter(x => x)""")
    close(page)
    assert not wrong, wrong


def test_no_hard_coded_exercise_numbers_in_sources():
    """Exercise numbers come from {numref}; a typed number goes stale when exercises move."""
    bad = []
    for nb in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                text = re.sub(r"\{numref\}`[^`]*`", "", text)
                bad += [f"{nb.name}: {m.group(0)!r}" for m in re.finditer(r"\bExercises? \d+", text)]
    assert not bad, bad


# ----------------------------------------------------------------------------- 12. bibliography
def test_every_bibliography_entry_links_out(server, browser):
    page, _ = open_page(browser, server + "chapters/bibliography.html")
    rows = page.evaluate("""Array.from(document.querySelectorAll('.citation, div[role=list] > div, dl.citation > dt'))
        .filter(e => e.matches('.citation') || e.closest('.bibliography')).map(e => ({
            text: e.textContent.trim().slice(0, 60),
            links: Array.from(e.querySelectorAll('a[href^="http"]')).map(a => a.href)}))""")
    close(page)
    assert len(rows) >= 20, f"only {len(rows)} bibliography entries found"
    bad = [r["text"] for r in rows if not any("doi.org" in h or "arxiv.org" in h for h in r["links"])]
    assert not bad, f"entries without a DOI or arXiv link: {bad}"


# ----------------------------------------------------------------------------- course apparatus
CHECK_PAGES = [p for p in PAGES if SITE.exists() and "qb-check" in (SITE / p).read_text(encoding="utf-8")]
PAPER_PAGES = [p for p in PAGES if SITE.exists() and 'class="qb-paper"' in (SITE / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("width", [1280, 390])
def test_quick_checks_answer_at_once(server, browser, width):
    assert len(CHECK_PAGES) >= 8, CHECK_PAGES
    failures, total = [], 0
    for path in CHECK_PAGES:
        page, errors = open_page(browser, server + path, width=width)
        res = page.evaluate("""() => Array.from(document.querySelectorAll('.qb-check')).map((box, k) => {
            const right = parseInt(/qb-answer-(\\d+)/.exec(box.className)[1]);
            const opts = Array.from(box.querySelectorAll('button.qb-choice'));
            const fb = box.querySelector('.qb-feedback'), ans = box.querySelector('details');
            if (opts.length < 2 || !fb || !ans) return {k, problem: 'not set up as buttons'};
            const small = opts.filter(b => b.getBoundingClientRect().height < 32).length;
            const wrong = opts.findIndex((b, i) => i + 1 !== right);
            opts[wrong].click();
            const afterWrong = [fb.classList.contains('qb-wrong'), ans.open, fb.textContent];
            opts[right - 1].click();
            const afterRight = [fb.classList.contains('qb-right'), ans.open];
            return {k, small, afterWrong, afterRight};
        })""")
        for r in res:
            total += 1
            if "problem" in r:
                failures.append(f"{path} check {r['k']}: {r['problem']}")
                continue
            if r["small"]:
                failures.append(f"{path} check {r['k']}: option buttons under 32 px tall")
            if not r["afterWrong"][0] or r["afterWrong"][1] or not r["afterWrong"][2]:
                failures.append(f"{path} check {r['k']}: a wrong option gives no 'not this one' feedback")
            if not all(r["afterRight"]):
                failures.append(f"{path} check {r['k']}: the right option does not confirm and open the answer")
        if errors:
            failures.append(f"{path}: console errors {errors[:2]}")
        close(page)
    assert total >= 60, f"only {total} quick checks in the book"
    assert not failures, "\n".join(failures)


def test_paper_audit_is_folded_and_opens_from_a_link_into_it(server, browser):
    assert len(PAPER_PAGES) == 5, PAPER_PAGES
    failures = []
    for path in PAPER_PAGES:
        page, _ = open_page(browser, server + path, collapsed=True)
        state = page.evaluate("""() => {
            const s = document.querySelector('section.qb-paper'), b = s.querySelector('.qb-paper-toggle');
            const body = s.querySelector('.qb-paper-body'), inner = body.querySelector('[id]');
            return {button: !!b && b.offsetHeight > 0, hidden: body.hidden, inner: inner && inner.id};
        }""")
        if not state["button"] or not state["hidden"]:
            failures.append(f"{path}: Reading the paper is not folded behind a visible button: {state}")
            close(page)
            continue
        page.click(".qb-paper-toggle")
        if page.evaluate("document.querySelector('.qb-paper-body').hidden"):
            failures.append(f"{path}: the button does not open Reading the paper")
        close(page)
        page, _ = open_page(browser, f"{server}{path}#{state['inner']}", collapsed=True)
        if page.evaluate("document.querySelector('.qb-paper-body').hidden"):
            failures.append(f"{path}#{state['inner']}: a link into Reading the paper leaves it folded")
        close(page)
    assert not failures, "\n".join(failures)


def test_every_chapter_shows_its_measured_reading_time(server, browser):
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from test_course import COURSE

    failures = []
    for stem in COURSE:
        page, _ = open_page(browser, f"{server}chapters/{stem}.html")
        text = page.evaluate("(document.querySelector('.qb-readtime') || {}).innerText || ''")
        if not re.match(r"Reading time: about \d+ min, measured from this page \([\d,]+ words", text):
            failures.append(f"{stem}: no measured reading time under the title ({text!r})")
        close(page)
    assert not failures, "\n".join(failures)
