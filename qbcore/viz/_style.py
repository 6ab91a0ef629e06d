"""The book's matplotlib style, figure legibility and defect checks, number formatting."""
from __future__ import annotations

import base64
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Okabe–Ito colour-blind-safe palette (black replaced by a dark grey for dark themes).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#4D4D4D"]

#: Sequential colour map for 2-D maps (perceptually uniform, colour-blind safe).
CMAP = "viridis"
#: Diverging colour map for signed 2-D maps.
CMAP_DIVERGING = "RdBu_r"

_RC = {
    "axes.prop_cycle": None,  # filled in style()
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "axes.labelsize": 12,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "figure.facecolor": "white",   # readable in the theme's dark mode too
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "image.cmap": CMAP,
    "figure.constrained_layout.use": True,
}

DPI = 80  # frames for the web page: small PNGs, sharp enough at page width
LIVE_DPI = DPI  # the live widget's image: as the page's frames (same pixels, same text extents)
CURVE_BUDGET_S = 0.1  # a live update of a curve should take at most this long
MAP_BUDGET_S = 0.3    # ... and of a 2-D map (which may redraw on release)


def _min_pt(width_in: float, dpi: float | None = None) -> float:
    """Smallest font size (pt) that shows at :data:`MIN_TEXT_PX` on the page for a figure this wide."""
    dpi = DPI if dpi is None else dpi
    return _TEXT_TARGET_PX * 72.0 / min(dpi, CONTENT_PX / width_in)


# rc font sizes of the book's style (pt), raised for wide figures by style(width)
_FONT_KEYS = {"font.size": 11.0, "axes.labelsize": 12.0, "axes.titlesize": 13.2, "legend.fontsize": 10.0,
              "legend.title_fontsize": 11.0, "xtick.labelsize": 11.0, "ytick.labelsize": 11.0,
              "figure.titlesize": 13.2, "figure.labelsize": 12.0}


def style(width: float | None = None) -> dict:
    """Return the book's matplotlib rc settings (apply with ``matplotlib.rc_context(style())``).

    Parameters
    ----------
    width : float, optional
        Width of the figure in inches. A figure wider than the page's content column is scaled
        down by the browser; its font sizes are then raised so that text still shows at
        :data:`MIN_TEXT_PX` or more (see :func:`legible`).

    Returns
    -------
    dict
        rc parameters: the colour-blind-safe :data:`PALETTE`, fonts, grid, constrained layout.
    """
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=PALETTE)
    if width is not None:
        m = _min_pt(width)
        rc.update({k: max(v, m) for k, v in _FONT_KEYS.items()})
    return rc


class _BookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` whose axes, colour bars and legends get the book's style.

    Axes read the colour cycle and grid settings when they are created, so every method that
    creates axes runs inside ``matplotlib.rc_context`` of the figure's style, whenever it is called.

    For live redraws the figure can also *recycle* its axes (:meth:`_qb_recycle`): between
    ``_qb_recycle(True)`` and ``_qb_recycle(False)`` a call that creates axes with the same
    arguments as on the previous redraw, in the same order, gets the previous axes (or colour bar)
    back, emptied of their artists, instead of new ones. Creating axes (ticks, grid lines, spines) is the
    costliest part of a small figure's redraw; recycling keeps a slider step within budget.
    """

    def _styled(name):  # noqa: N805 - a decorator factory used in the class body
        def method(self, *args, **kwargs):
            import matplotlib

            pool = getattr(self, "_qb_pool", None)
            outer = getattr(self, "_qb_depth", 0) == 0  # subplots() calls add_subplot(): count it once
            use_pool = pool is not None and name in _RECYCLABLE and outer
            if use_pool and name == "colorbar" and not _recyclable_mappable(args[0] if args else kwargs.get("mappable")):
                use_pool = False  # a new colour bar; the previous one, not asked for again, goes at the end
            if use_pool:
                key = (name, *_call_key(self, name, args, kwargs))
                got = pool.take(key)
                if got is not None:
                    if name == "colorbar":  # the previous colour bar, now showing the new mappable
                        _rebind_colorbar(got, args[0] if args else kwargs["mappable"])
                    return got
            self._qb_depth = getattr(self, "_qb_depth", 0) + 1
            try:
                with matplotlib.rc_context(getattr(self, "_qb_rc", None) or style()):
                    out = getattr(Figure, name)(self, *args, **kwargs)
            finally:
                self._qb_depth -= 1
            if use_pool:
                pool.made(key, out)
            return out

        method.__name__ = name
        method.__doc__ = f"``Figure.{name}`` in the book's style."
        return method

    add_subplot = _styled("add_subplot")
    add_axes = _styled("add_axes")
    subplots = _styled("subplots")
    subplot_mosaic = _styled("subplot_mosaic")
    colorbar = _styled("colorbar")
    legend = _styled("legend")
    del _styled

    def _qb_recycle(self, start: bool) -> None:
        """Start (``True``) or end (``False``) a redraw that recycles the previous redraw's axes.

        At the start the figure-level artists go and the previous redraw's axes wait in a pool;
        at the end pooled axes that were not asked for again are removed. A colour bar asked for
        again (same arguments, same parent axes) is kept and shown for the new mappable
        (``Colorbar.update_normal``). A figure with axes made other than through the figure's own
        methods is cleared instead (nothing is recycled wrongly).
        """
        if start:
            calls = getattr(self, "_qb_last_calls", [])
            made = [ax for _, out in calls for ax in _axes_of(out)]
            if (not calls or len({id(a) for a in made}) != len(self.axes)
                    or any(ax not in self.axes for ax in made)):
                self.clear()
                calls = []
            else:
                for art in (*self.texts, *self.legends):
                    art.remove()
                for attr in ("_suptitle", "_supxlabel", "_supylabel"):
                    if getattr(self, attr, None) is not None:
                        getattr(self, attr).remove()
                        setattr(self, attr, None)
            self._qb_pool = _AxesPool(calls)
        else:
            pool = getattr(self, "_qb_pool", None)
            if pool is None:
                return
            for key, out in pool.unused():
                if key[0] == "colorbar":  # its mappable is gone with the emptied axes: drop the bar's axes
                    cax = out.ax
                    for parent in getattr(cax, "_colorbar_info", {}).get("parents", []):
                        if cax in getattr(parent, "_colorbars", []):
                            parent._colorbars.remove(cax)
                    if cax in self.axes:
                        cax.remove()
                    continue
                for ax in _axes_of(out):
                    if ax in self.axes:
                        ax.remove()
            self._qb_pool = None
            self._qb_last_calls = pool.new_calls


_RECYCLABLE = ("add_subplot", "add_axes", "subplots", "subplot_mosaic", "colorbar")


def _call_key(fig, name: str, args: tuple, kwargs: dict) -> tuple:
    """What identifies an axes-creating call from one redraw to the next.

    Axes passed as arguments (a colour bar's ``ax=``, ``cax=``) count by their index in the
    figure; a colour bar's mappable (new at every redraw) does not count.
    """
    from matplotlib.axes import Axes

    def norm(v):
        if isinstance(v, Axes):
            return ("axes", fig.axes.index(v)) if v in fig.axes else ("axes", None)
        if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.dtype == object):
            return tuple(norm(x) for x in v)
        return v

    if name == "colorbar":
        args = args[1:]
        kwargs = {k: v for k, v in kwargs.items() if k != "mappable"}
    return repr(tuple(norm(a) for a in args)), repr(sorted(((k, norm(v)) for k, v in kwargs.items()), key=lambda kv: kv[0]))


def _recyclable_mappable(mappable) -> bool:
    """Whether a colour bar for ``mappable`` can be a recycled one: images and meshes with a plain
    linear norm (a contour set fixes the bar's boundaries at creation; other norms other scales)."""
    from matplotlib import colors
    from matplotlib.contour import ContourSet

    return not isinstance(mappable, ContourSet) and type(getattr(mappable, "norm", None)) is colors.Normalize


def _rebind_colorbar(cb, mappable) -> None:
    """Point a recycled colour bar at this redraw's mappable (as ``Figure.colorbar`` would link it).

    Both norms are plain linear ones (:func:`_recyclable_mappable`): the bar takes the new norm
    first, so that ``update_normal`` keeps the locator and formatter the plot asked for
    (``format=``, ``ticks=``) instead of resetting them.
    """
    cb.norm = mappable.norm
    cb.update_normal(mappable)
    mappable.colorbar = cb
    mappable.colorbar_cid = mappable.callbacks.connect("changed", cb.update_normal)


def _axes_of(out) -> list:
    """The axes in what an axes-creating call returned (one axes, an array or a dict of them, or a
    colour bar's axes)."""
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar

    if isinstance(out, Colorbar):
        return [out.ax]
    if isinstance(out, Axes):
        return [out]
    if isinstance(out, dict):
        return [a for a in out.values() if isinstance(a, Axes)]
    return [a for a in np.ravel(np.asarray(out, dtype=object)) if isinstance(a, Axes)]


def _empty(ax) -> None:
    """Remove what a plot function drew on ``ax`` and reset what it may set, keeping the axes."""
    from matplotlib.ticker import AutoLocator, NullLocator, ScalarFormatter

    for art in (*ax.lines, *ax.collections, *ax.patches, *ax.images, *ax.texts, *ax.tables, *ax.artists):
        art.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_title("", loc="left")
    ax.set_title("", loc="right")
    ax.set_xlabel("")
    ax.set_ylabel("")
    if ax.get_xscale() != "linear":
        ax.set_xscale("linear")
    if ax.get_yscale() != "linear":
        ax.set_yscale("linear")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_locator(NullLocator())
    ax.dataLim.set_points(np.array([[np.inf, np.inf], [-np.inf, -np.inf]]))
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)
    ax.set_prop_cycle(None)
    ax.set_in_layout(True)  # a fixed layout (set_position) took it out of the layout engine


class _AxesPool:
    """The axes-creating calls of the previous redraw, handed out again in order."""

    def __init__(self, calls: list):
        self.calls = calls          # [(key, returned)] of the previous redraw
        self.pos = 0
        self.new_calls: list = []
        self.broken = False

    def take(self, key):
        if self.broken or self.pos >= len(self.calls) or self.calls[self.pos][0] != key:
            self.broken = True
            return None
        out = self.calls[self.pos][1]
        self.pos += 1
        if key[0] != "colorbar":  # a colour bar keeps its axes' artists: update_normal redraws them
            for ax in _axes_of(out):
                _empty(ax)
        self.new_calls.append((key, out))
        return out

    def made(self, key, out):
        self.new_calls.append((key, out))

    def unused(self):
        return self.calls[self.pos:]


def new_figure(figsize: tuple[float, float] = (6.4, 4.0)) -> Figure:
    """A pyplot-free :class:`~matplotlib.figure.Figure` drawn with the book's style.

    Axes added later (``fig.add_subplot()``, ``fig.subplots()``, ...) get the style too.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
        With an Agg canvas attached.
    """
    import matplotlib

    rc = style(figsize[0])  # font sizes legible at this width
    with matplotlib.rc_context(rc):
        fig = _BookFigure(figsize=figsize)
    fig._qb_rc = rc
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure, dpi: int = DPI) -> str:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(style()):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _encode_canvas(fig: Figure) -> str:
    """PNG data URI of an already drawn Agg canvas (fast compression: live images only)."""
    from PIL import Image

    w, h = fig.canvas.get_width_height(physical=True)
    img = Image.frombuffer("RGBA", (w, h), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="png", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


#: Width in CSS px of the book's content column at a 1280 px desktop window (measured in the
#: browser test): a wider PNG is scaled down to it.
CONTENT_PX = 672
#: Smallest text size, in CSS px at that width, that a figure may show (the browser test's bound).
MIN_TEXT_PX = 9.0
_TEXT_TARGET_PX = 9.5  # what legible() aims for, a little above the bound


def _drawn_texts(fig: Figure) -> list:
    """The visible, non-empty text artists a draw of ``fig`` puts on the image."""
    from matplotlib.text import Text

    texts, ticklabels = [], set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for t in list(axis.majorTicks) + list(axis.minorTicks):  # every tick label ...
                ticklabels.update((id(t.label1), id(t.label2)))
            drawn = axis._update_ticks() if hasattr(axis, "_update_ticks") else axis.get_major_ticks()
            for t in drawn:  # ... but only those in the view are drawn
                for lab in (t.label1, t.label2):
                    if lab.get_visible() and lab.get_text().strip():
                        texts.append(lab)
    for t in fig.findobj(Text):
        if id(t) in ticklabels or not t.get_visible() or not t.get_text().strip():
            continue
        texts.append(t)
    seen, out = set(), []
    for t in texts:
        if id(t) not in seen:
            seen.add(id(t))
            out.append(t)
    return out


def legible(fig: Figure, dpi: float = None) -> Figure:
    """Raise every text of ``fig`` to the size that stays legible on the book's page.

    A figure wider than the content column (:data:`CONTENT_PX`) is scaled down by the browser;
    its text must be larger in points for it to show at :data:`MIN_TEXT_PX` or more. Text
    smaller than that is enlarged (never shrunk), so wide multi-panel figures get larger fonts.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, modified in place.
    dpi : float, optional
        Resolution at which the figure is saved for the page (default :data:`DPI`).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig``.
    """
    min_pt = _min_pt(fig.get_figwidth(), dpi)
    for ax in fig.axes:  # tick labels: one tick tells (they share their size); tick_params keeps new ones
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if axis.majorTicks[0].label1.get_fontsize() < min_pt:
                ax.tick_params(axis=name, which="both", labelsize=min_pt)
    for t in _non_tick_texts(fig):
        if t.get_fontsize() < min_pt:
            t.set_fontsize(min_pt)
    return fig


def _non_tick_texts(fig: Figure) -> list:
    """Titles, axis labels, texts, annotations and legends of ``fig`` (everything but tick labels)."""
    out = list(fig.texts)
    for attr in ("_suptitle", "_supxlabel", "_supylabel"):
        t = getattr(fig, attr, None)
        if t is not None:
            out.append(t)
    legends = list(fig.legends)
    for ax in fig.axes:
        out += list(ax.texts) + [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
                                 ax.xaxis.offsetText, ax.yaxis.offsetText]
        if ax.get_legend() is not None:
            legends.append(ax.get_legend())
    for leg in legends:
        out += list(leg.get_texts()) + [leg.get_title()]
    return out


def min_text_px(fig: Figure, dpi: float = None) -> float:
    """Smallest drawn text of ``fig`` in image pixels at ``dpi`` (default :data:`DPI`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure.
    dpi : float, optional
        Resolution of the image.

    Returns
    -------
    float
        ``inf`` for a figure without text.
    """
    dpi = DPI if dpi is None else dpi
    sizes = [t.get_fontsize() for t in _drawn_texts(fig)]
    return min(sizes) * dpi / 72.0 if sizes else float("inf")


def _allowed_colours() -> set[str]:
    import matplotlib

    lut = matplotlib.colormaps[CMAP].resampled(256)(np.linspace(0, 1, 256))
    out = {c.lower() for c in PALETTE} | {matplotlib.colors.to_hex(c) for c in lut}
    return out


def _text_issues(fig: Figure, first_only: bool = False) -> list[str]:
    """Cut-off and overlapping texts of an already laid-out, drawn figure."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for t in _drawn_texts(fig):
        try:
            bb = t.get_window_extent(renderer)
        except (RuntimeError, ValueError):  # pragma: no cover - e.g. unrenderable math
            continue
        if bb.width > 0 and bb.height > 0:
            boxes.append((t.get_text(), bb))
    out: list[str] = []
    W, H = fig.bbox.width, fig.bbox.height
    for text, bb in boxes:
        if bb.x0 < -1 or bb.y0 < -1 or bb.x1 > W + 1 or bb.y1 > H + 1:
            out.append(f"text {text!r} is cut off at the figure's edge")
            if first_only:
                return out
    pad = 1.0  # px: boxes include a little leading; only a real overlap counts
    for i in range(len(boxes)):
        a, A = boxes[i]
        for j in range(i + 1, len(boxes)):
            b, B = boxes[j]
            if (min(A.x1, B.x1) - max(A.x0, B.x0) > pad) and (min(A.y1, B.y1) - max(A.y0, B.y0) > pad):
                out.append(f"text {a!r} overlaps {b!r}")
                if first_only:
                    return out
    return out


def _overlapping(fig: Figure) -> bool:
    """Whether a drawn figure has a text overlapping another or cut off at its edge."""
    return bool(_text_issues(fig, first_only=True))


def figure_problems(fig: Figure) -> list[str]:
    """What a reader would see as a defect in ``fig``: overlapping or cut-off text, lines drawn
    outside the book's palette, and a printed negative zero.

    The figure is laid out and drawn (without rendering) first.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure.

    Returns
    -------
    list of str
        One sentence per problem; empty for a clean figure. Line colours may be the
        :data:`PALETTE`, a grey, or a colour of the sequential map :data:`CMAP`.
    """
    import re

    import matplotlib

    fig.draw_without_rendering()
    out = _text_issues(fig)
    allowed = _allowed_colours()
    for ax in fig.axes:
        for line in ax.get_lines():
            if not line.get_visible():
                continue
            c = matplotlib.colors.to_hex(line.get_color())
            r, g, b = (int(c[k:k + 2], 16) for k in (1, 3, 5))
            if c not in allowed and not (r == g == b):
                out.append(f"line {line.get_label()!r} has colour {c}, not the book's palette")
    for t in _drawn_texts(fig):
        text = t.get_text()
        if re.search(r"(?<![\w.])[-\u2212]0(\.0+)?(?![\d.])", text):
            out.append(f"text {text!r} shows a negative zero")
    return out


#: Magnitude below which a printed deviation is floating-point round-off and prints as "~0".
TINY = 1e-13


def fmt(x: float, spec: str = ".1e", tiny: float = TINY) -> str:
    """Format a number for printing at its real precision: ``"~0"`` when ``|x| < tiny``.

    Use it for deviations and quantities that vanish in theory, whose computed value is
    round-off (``3e-17`` on one machine, ``1e-16`` or ``0.0`` on another).

    Parameters
    ----------
    x : float
        The value.
    spec : str
        Format specification for values that are not round-off (default ``".1e"``).
    tiny : float
        Threshold (default :data:`TINY` = 1e-13, the nbval sanitizer's).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt(3.2e-17), fmt(0.0), fmt(-1.4e-6, ".2e"), fmt(0.123456, ".3f"), fmt(-2e-5, ".3f")
    ('~0', '~0', '-1.40e-06', '0.123', '0.000')
    """
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    if abs(x) < tiny:
        return "~0"
    out = format(x, spec)
    if out.startswith("-") and float(out) == 0.0:  # "-0.000": a value that rounds to zero has no sign
        out = out[1:]
    return out


