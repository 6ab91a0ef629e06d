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

Course furniture (issue 20), checked here so that a malformed block fails the strict build:

* **Reading time**, measured from the page, never typed: words of prose (exercises included,
  solutions not) at ``WORDS_PER_MIN``, plus ``EQUATION_S`` per display equation, ``FIGURE_S`` per
  figure and ``CODE_S`` per visible code cell. It is inserted under the title of every notebook
  page, and the ``{readtime}`\`chapters/ising\``` role prints it anywhere (the syllabus).
  The "Reading the paper" part is counted separately.
* **Quick checks**: an admonition with class ``qb-check`` must hold a numbered list of 2–5
  options and a dropdown whose text starts with the correct option's number in bold
  (``**2.**``); ``_static/qb.js`` turns the options into buttons with immediate feedback.
* **Reading the paper**: a section with exactly this title gets the class ``qb-paper``; the
  page shows it collapsed behind a button (``_static/qb.js``) and prints it in full.
"""
from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

from docutils import nodes
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
    if not config.qb_offline_mathjax:  # tests/test_bookext.py: a tiny book without math
        return
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


# --------------------------------------------------------------------------- course furniture
WORDS_PER_MIN = 150  # careful reading of technical prose with equations inline
EQUATION_S = 15      # per display equation
FIGURE_S = 30        # per figure (static or explorer frame)
CODE_S = 10          # per visible code cell (folded ones are not counted)
PAPER_TITLE = "Reading the paper"
_FIG_RE = re.compile(r'class="qb-figure|<img\b')


class readtime_node(nodes.Inline, nodes.TextElement):
    """Placeholder for a page's reading time, resolved once every page has been read."""


def _readtime_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    import posixpath

    node = readtime_node(rawtext, "")
    target = text.strip().removesuffix(".ipynb").removesuffix(".md")
    if "/" not in target:  # a page next to this one: {readtime}`ising` in chapters/teaching.md
        here = posixpath.dirname(inliner.document.settings.env.docname)
        target = posixpath.join(here, target) if here else target
    node["target"] = target
    return [node], []


def _is(node, cls: str) -> bool:
    return cls in node.get("classes", []) if isinstance(node, nodes.Element) else False


def _count(node, tally: dict, part: str = "main") -> None:
    """Walk ``node`` in document order and add its reading load to ``tally[part]``."""
    name = type(node).__name__
    if name in ("solution_node", "solution_start_node"):
        tally["_skip"] = name == "solution_start_node"
        return
    if name == "solution_end_node":
        tally["_skip"] = False
        return
    if tally.get("_skip"):
        return
    t = tally.setdefault(part, {"words": 0, "equations": 0, "figures": 0, "code": 0})
    if isinstance(node, nodes.section) and node.children and node[0].astext().strip() == PAPER_TITLE:
        part = "paper"
        t = tally.setdefault(part, {"words": 0, "equations": 0, "figures": 0, "code": 0})
    if isinstance(node, nodes.Text):
        t["words"] += len(node.astext().split())
        return
    if isinstance(node, nodes.math_block):
        t["equations"] += 1
        return
    if isinstance(node, nodes.math):
        t["words"] += 1
        return
    if isinstance(node, nodes.image):
        t["figures"] += 1
        return
    if isinstance(node, nodes.raw):
        t["figures"] += min(1, len(_FIG_RE.findall(node.astext())))
        return
    if isinstance(node, (nodes.literal_block, nodes.comment, nodes.system_message)):
        return
    if isinstance(node, nodes.container) and node.get("cell_type") == "code" or _is(node, "cell"):
        if not any(c.startswith("tag_hide-input") or c.startswith("tag_remove-input") for c in node["classes"]):
            t["code"] += 1
    for child in node.children:
        _count(child, tally, part)


def _minutes(t: dict) -> int:
    s = 60 * t["words"] / WORDS_PER_MIN + EQUATION_S * t["equations"] + FIGURE_S * t["figures"] + CODE_S * t["code"]
    return max(1, math.ceil(s / 60 / 5) * 5) if s > 600 else max(1, round(s / 60))


def _readtime_text(info: dict) -> str:
    m = info["main"]
    def n(k: int, what: str) -> str:
        return f"{k:,} {what}" + ("" if k == 1 else "s")

    text = (f"Reading time: about {_minutes(m)} min, measured from this page ({n(m['words'], 'word')}, "
            f"{n(m['equations'], 'display equation')}, {n(m['figures'], 'figure')}; solutions not counted)")
    if "paper" in info:
        text += f", plus about {_minutes(info['paper'])} min for Reading the paper"
    return text + "."


def _check_quick_check(node, docname: str) -> None:
    where = f"{docname}: quick check '{node.astext()[:60]}...'"
    lists = [c for c in node.children if isinstance(c, nodes.enumerated_list)]
    drops = [c for c in node.findall(nodes.container) if c.get("design_component") == "dropdown"]
    if len(lists) != 1 or not 2 <= len(lists[0].children) <= 5:
        logger.warning(f"{where}: needs exactly one numbered list of 2 to 5 options")
        return
    if len(drops) != 1:
        logger.warning(f"{where}: needs exactly one {{dropdown}} Answer")
        return
    strong = next(iter(drops[0].findall(nodes.strong)), None)
    m = re.match(r"\s*(\d+)\.?\s*$", strong.astext()) if strong is not None else None
    if not m or not 1 <= int(m.group(1)) <= len(lists[0].children):
        logger.warning(f"{where}: the answer must start with the correct option's number in bold (**2.**)")
        return
    node["classes"].append(f"qb-answer-{int(m.group(1))}")


def _doctree_read(app, doctree):
    docname = app.env.docname
    for adm in doctree.findall(nodes.Element):
        if _is(adm, "qb-check"):
            _check_quick_check(adm, docname)
    for sec in doctree.findall(nodes.section):
        if sec.children and sec[0].astext().strip() == PAPER_TITLE:
            sec["classes"].append("qb-paper")
    tally: dict = {}
    _count(doctree, tally)
    tally.pop("_skip", None)
    if not hasattr(app.env, "qb_readtime"):
        app.env.qb_readtime = {}
    app.env.qb_readtime[docname] = tally
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        top = next(iter(doctree.findall(nodes.section)), None)
        if top is not None and tally["main"]["words"] > 200:
            para = nodes.paragraph("", "", readtime_node("", "", target=docname), classes=["qb-readtime"])
            top.insert(1, para)


def _doctree_resolved(app, doctree, docname):
    times = getattr(app.env, "qb_readtime", {})
    for node in list(doctree.findall(readtime_node)):
        info = times.get(node["target"])
        if info is None:
            logger.warning(f"{docname}: reading time of unknown page {node['target']!r}", location=node)
            node.replace_self(nodes.Text("?"))
        elif node.parent is not None and "qb-readtime" in node.parent.get("classes", []):
            node.replace_self(nodes.emphasis("", _readtime_text(info)))
        else:
            node.replace_self(nodes.Text(f"{_minutes(info['main'])} min"))


def _merge_info(app, env, docnames, other):
    if not hasattr(env, "qb_readtime"):
        env.qb_readtime = {}
    env.qb_readtime.update(getattr(other, "qb_readtime", {}))


def _purge_doc(app, env, docname):
    getattr(env, "qb_readtime", {}).pop(docname, None)


def setup(app):
    app.add_config_value("qb_offline_mathjax", True, "html")
    app.add_node(readtime_node, html=(lambda self, node: None, lambda self, node: None),
                 latex=(lambda self, node: None, lambda self, node: None))
    app.add_role("readtime", _readtime_role)
    app.connect("doctree-read", _doctree_read)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("env-merge-info", _merge_info)
    app.connect("env-purge-doc", _purge_doc)
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _zip_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
