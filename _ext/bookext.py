"""Small Sphinx fixes for the web book (no content changes).

* sphinx-thebe registers its configuration script once per read of the environment; on
  incremental builds that happens twice and the page throws "THEBE_JS_URL has already been
  declared". We drop duplicate script entries per page.
* The theme needs an explicit default colour mode, or it logs "invalid theme mode" on load.
"""
from __future__ import annotations


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
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
