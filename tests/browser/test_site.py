"""The built web book, tested as a reader would, in headless Chromium (Playwright).

Run after the book build (``python3 dev.py test`` does): serves ``_build/html`` on localhost
and checks every page, with every external request blocked (the site serves its own MathJax).
See also ``test_reader.py``: dark mode, offline reading, figures, controls, print, search.
"""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import ARTIFACTS, PAGES, SITE, SKIP, close, open_page, wait_for_math

pytestmark = SKIP


def test_prerequisites():
    from conftest import CHROMIUM

    assert SITE.exists(), "build the book first"
    assert CHROMIUM, "chromium is not installed"
    assert PAGES, "no chapter pages found"
    assert (SITE / "_static" / "mathjax" / "tex-svg.js").is_file(), "MathJax is not served from the site"


def external_blocked(msg: str) -> bool:
    return "net::ERR_FAILED" in msg or "Failed to load resource" in msg


@pytest.mark.parametrize("path", PAGES)
def test_page(server, browser, path):
    page, errors = open_page(browser, server + path)
    if wait_for_math(page):
        assert page.evaluate("document.querySelectorAll('mjx-merror').length") == 0, "MathJax errors"
    assert not page.qb_external, f"requests leave the site: {page.qb_external[:3]}"
    import re as _re
    version = _re.search(r'(?m)^version\s*=\s*"([^"]+)"', (SITE.parents[1] / "pyproject.toml").read_text()).group(1)
    assert f"Version {version}" in page.inner_text("footer, .bd-footer-content, body"), "version not shown"
    # console errors other than blocked external resources
    real = [e for e in errors if not external_blocked(e)]
    assert not real, f"console errors on {path}: {real}"
    # every image loads
    broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.src.slice(0, 80))")
    assert not broken, f"broken images: {broken}"
    # every figure has alt text and a caption
    no_alt = page.evaluate("Array.from(document.querySelectorAll('article img')).filter(i => "
                           "!(i.getAttribute('alt') || '').trim()).length")
    assert no_alt == 0, f"{no_alt} images without alt text"
    uncaptioned = page.evaluate("Array.from(document.querySelectorAll('.cell_output img')).filter(i => "
                                "!i.closest('figure') || !i.closest('figure').querySelector('figcaption')).length")
    assert uncaptioned == 0, f"{uncaptioned} output figures without a caption"
    # no widget output that needs a kernel
    widgets = page.evaluate("document.querySelectorAll('.jupyter-widgets, script[type*=\"widget-view\"], "
                            "script[type*=\"widget-state\"]').length")
    assert widgets == 0, "widget output that needs a kernel"
    # every kernel-free slider changes the displayed frame
    n = page.evaluate("document.querySelectorAll('.qb-explorer input[type=range]').length")
    for k in range(n):
        changed = page.evaluate("""k => {
            const s = document.querySelectorAll('.qb-explorer input[type=range]')[k];
            const img = s.closest('.qb-explorer').querySelector('img.qb-frame');
            const before = img.getAttribute('data-frame'), src = img.src;
            s.value = (parseInt(s.value) + 1) % (parseInt(s.max) + 1);
            s.dispatchEvent(new Event('input'));
            return img.getAttribute('data-frame') !== before && img.src !== src;
        }""", k)
        assert changed, f"slider {k} on {path} does not change the frame"
    # internal links resolve
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    for h in hrefs:
        u = urlparse(h)
        if u.scheme.startswith("http") and u.hostname == "127.0.0.1":
            target = SITE / u.path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"broken internal link {h} on {path}"
            if u.fragment and target.suffix == ".html":
                text = target.read_text(encoding="utf-8")
                assert f'id="{u.fragment}"' in text, f"missing anchor {h} on {path}"
    close(page)


def test_screenshots(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("intro", "ergotropy"):
        page, _ = open_page(browser, server + f"chapters/{name}.html")
        wait_for_math(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
        close(page)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


@pytest.mark.parametrize("width", [390, 800])
def test_navigation_drawer_opens_on_phones_and_tablets(server, browser, width):
    """Below the desktop breakpoint the table of contents is a drawer: the menu button opens it and
    a chapter link in it works (broken with some theme versions; the lock pins ones that work)."""
    page, _ = open_page(browser, server + "chapters/ergotropy.html", width=width, height=800)
    link = page.locator(".bd-sidebar-primary a.reference.internal[href*='ising']").first
    assert not link.is_visible(), "the drawer should start closed"
    toggle = page.locator(".primary-toggle").first
    assert toggle.is_visible(), "no menu button"
    toggle.click()
    link.wait_for(state="visible", timeout=5000)
    page.wait_for_function("document.querySelector('.bd-sidebar-primary').getBoundingClientRect().left >= -1",
                           timeout=5000)  # the drawer slides in
    box = page.locator(".bd-sidebar-primary").first.bounding_box()
    assert box and box["width"] > 200, f"drawer not on screen: {box}"
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("chapters/ising.html"), page.url
    close(page)
