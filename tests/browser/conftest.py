"""Shared fixtures of the browser tests: the built site on localhost, headless Chromium.

Every request that leaves the site is blocked: the pages must work offline (MathJax is served
from the site itself, see ``_ext/bookext.py``).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = sorted(str(p.relative_to(SITE)) for p in (SITE / "chapters").glob("*.html")) if SITE.exists() else []
# Locally the tests are skipped without a browser; in CI (CI=true) a missing browser is a failure.
SKIP = pytest.mark.skipif(not (SITE.exists() and CHROMIUM) and not os.environ.get("CI"),
                          reason="needs _build/html and chromium (python3 dev.py test installs it)")


@pytest.fixture(scope="session")
def server():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output readable
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def local_only(route):
    """Let requests to the site (localhost or file://) through; abort everything else."""
    u = route.request.url
    if u.startswith("http://127.0.0.1") or u.startswith("file://") or u.startswith("data:"):
        return route.continue_()
    return route.abort()


def open_page(browser, url, *, width=1200, height=900, scheme="light", media=None, touch=False,
              collapsed=False):
    """A page with console errors recorded and every external request blocked. The collapsed
    "Reading the paper" parts are opened (so that every test sees them) unless ``collapsed``."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                              has_touch=touch, is_mobile=touch)
    page = ctx.new_page()
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "file://", "data:", "blob:")) else None)
    page.route("**/*", local_only)
    if media:
        page.emulate_media(media=media)
    page.goto(url, wait_until="load")
    if not collapsed:
        page.evaluate("document.querySelectorAll('.qb-paper-toggle[aria-expanded=\"false\"]')"
                      ".forEach(b => b.click())")
    page.qb_errors, page.qb_external = errors, external
    return page, errors


def wait_for_math(page, timeout=20000):
    """Wait until MathJax has typeset the page (if it has math); return the number of equations."""
    n = page.evaluate("document.querySelectorAll('span.math, div.math').length")
    if n:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=timeout)
        page.evaluate("MathJax.startup.promise")
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=timeout)
    return n


def close(page):
    ctx = page.context
    page.close()
    ctx.close()
