r"""Interactive figures with two renderings, one matplotlib style, and :func:`about`.

One API, :func:`explore`, serves both kinds of reader:

* **live** (a running Jupyter kernel): ipywidgets controls with bounded ranges redraw the
  figure; a bad parameter shows a message in place of the figure, never a traceback;
* **static** (the built web page, no kernel): the figure at its default parameters plus a
  kernel-free slider over precomputed frames of the main parameter(s), so no control on
  the page is dead.

In a kernel the default is ``"both"``: one output carrying the live widget *and* the static
HTML; Jupyter front ends show the widget, and the book (``nb_mime_priority_overrides`` in
``_config.yml``) shows the static HTML. The environment variable ``QBCORE_VIZ`` (``live``,
``static`` or ``both``) overrides the choice; the book build sets ``static``.

Every figure carries alt text and a caption: :func:`show` and :func:`explore` require them.
"""
from __future__ import annotations

from ._about import _blas, about, lock_mismatches  # noqa: F401
from ._explorer import Choice, Explorer, Slider, _fmt, explore, mode  # noqa: F401
from ._figures import _check_text, _quality, figure_data, figure_html, show  # noqa: F401
from ._style import (  # noqa: F401
    CMAP, CMAP_DIVERGING, CONTENT_PX, CURVE_BUDGET_S, DPI, LIVE_DPI, MAP_BUDGET_S, MIN_TEXT_PX, PALETTE, TINY,
    _drawn_texts, _encode_canvas, _overlapping, _png, _text_issues, figure_problems, fmt, legible, min_text_px,
    new_figure, style)

__all__ = ["PALETTE", "style", "new_figure", "legible", "figure_problems", "min_text_px", "show", "figure_html", "Slider", "Choice",
           "explore", "Explorer", "figure_data", "about", "mode", "fmt", "TINY"]

# Module constants, re-bound here so that their documentation belongs to qbcore.viz:
#: Okabe–Ito colour-blind-safe palette (black replaced by a dark grey for dark themes).
PALETTE = PALETTE
#: Magnitude below which a printed deviation is floating-point round-off and prints as "~0".
TINY = TINY
