"""Small Sphinx fixes for the web book (no content changes).

* sphinx-thebe registers its configuration script once per read of the environment; on
  incremental builds that happens twice and the page throws "THEBE_JS_URL has already been
  declared". We drop duplicate script entries per page.
* The theme needs an explicit default colour mode, or it logs "invalid theme mode" on load.
* MathJax is served from the site itself (``_static/mathjax``, SVG output: no web fonts), so
  that a copy of the site read without network, even from ``file://``, typesets every
  equation. ``python3 dev.py book`` fetches it from npm into ``.cache/mathjax-npm``; without
  that copy the build warns (and fails under ``-W``).
* After a successful HTML build the whole site is zipped into itself
  (``open-quantum-batteries-site.zip``), for readers who want it offline in one download.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
MATHJAX_NPM = ROOT / ".cache" / "mathjax-npm" / "node_modules" / "mathjax"
MATHJAX_STATIC = ROOT / ".cache" / "mathjax-static"  # added to html_static_path
# what the SVG component loads: itself, TeX extensions on demand (autoload), the menu's a11y parts
MATHJAX_PARTS = ["tex-svg.js", "input", "ui", "a11y", "sre", "adaptors", "LICENSE"]
SITE_ZIP = "open-quantum-batteries-site.zip"


def _version() -> str:
    """The book's one version number, from pyproject.toml."""
    import re

    m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return m.group(1) if m else "unknown"


def _config_inited(app, config):
    # the version on every page (footer) and in the HTML metadata
    config.version = config.release = _version()
    opts = dict(config.html_theme_options or {})
    opts["extra_footer"] = (opts.get("extra_footer") or "") + f" Version {config.version}."
    config.html_theme_options = opts
    es5 = MATHJAX_NPM / "es5"
    if not (es5 / "tex-svg.js").is_file():
        logger.warning("MathJax not found in .cache/mathjax-npm: pages will load it from a CDN and "
                       "will not typeset offline (python3 dev.py book fetches it)")
        return
    version = (MATHJAX_NPM / "package.json").read_text(encoding="utf-8")
    dest = MATHJAX_STATIC / "mathjax"
    stamp = MATHJAX_STATIC / "package.json"
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != version:
        shutil.rmtree(MATHJAX_STATIC, ignore_errors=True)
        dest.mkdir(parents=True)
        for part in MATHJAX_PARTS:
            src = es5 / part if (es5 / part).exists() else MATHJAX_NPM / part
            if src.is_dir():
                shutil.copytree(src, dest / part)
            elif src.is_file():
                shutil.copy2(src, dest / part)
        stamp.write_text(version, encoding="utf-8")
    config.html_static_path = list(config.html_static_path) + [str(MATHJAX_STATIC)]
    config.mathjax_path = "mathjax/tex-svg.js"


def _zip_site(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    target = out / SITE_ZIP
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(out.rglob("*")):
            if f.is_file() and f not in (target, tmp) and f.name != ".buildinfo" and "reports" not in f.parts:
                zf.write(f, Path("open-quantum-batteries") / f.relative_to(out))
    tmp.replace(target)


def _page_context(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for js in context.get("script_files", []):
        name = getattr(js, "filename", js) or ""  # the same script may come as None or ""
        key = (str(name), tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    context["script_files"] = unique
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _zip_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
