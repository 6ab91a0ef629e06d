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

import base64
import hashlib
import html
import io
import itertools
import json
import os
import platform
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["PALETTE", "style", "new_figure", "show", "figure_html", "Slider", "Choice",
           "explore", "Explorer", "figure_data", "about", "mode", "fmt", "TINY"]

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
LIVE_DPI = 90  # the live widget's image
CURVE_BUDGET_S = 0.1  # a live update of a curve should take at most this long
MAP_BUDGET_S = 1.0    # ... and of a 2-D map


def style() -> dict:
    """Return the book's matplotlib rc settings (apply with ``matplotlib.rc_context(style())``).

    Returns
    -------
    dict
        rc parameters: the colour-blind-safe :data:`PALETTE`, fonts, grid, constrained layout.
    """
    from cycler import cycler

    rc = dict(_RC)
    rc["axes.prop_cycle"] = cycler(color=PALETTE)
    return rc


def new_figure(figsize: tuple[float, float] = (6.4, 4.0)) -> Figure:
    """A pyplot-free :class:`~matplotlib.figure.Figure` drawn with the book's style.

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

    with matplotlib.rc_context(style()):
        fig = Figure(figsize=figsize)
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
    >>> fmt(3.2e-17), fmt(0.0), fmt(-1.4e-6, ".2e"), fmt(0.123456, ".3f")
    ('~0', '~0', '-1.40e-06', '0.123')
    """
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    return "~0" if abs(x) < tiny else format(x, spec)


def _check_text(alt: str, caption: str) -> None:
    if not isinstance(alt, str) or len(alt.strip()) < 10:
        raise ValueError("alt must describe the figure in words (at least 10 characters)")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError("caption must be a non-empty string")


def figure_html(fig: Figure, *, alt: str, caption: str, dpi: int = 100) -> str:
    """HTML ``<figure>`` with the PNG of ``fig``, its alt text and caption.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    alt : str
        Alt text: what the figure shows, in words (at least 10 characters).
    caption : str
        Caption (HTML allowed).
    dpi : int
        Resolution of the embedded PNG.

    Returns
    -------
    str
        Self-contained HTML.

    Raises
    ------
    ValueError
        If ``alt`` or ``caption`` is missing or too short.
    """
    _check_text(alt, caption)
    return (f'<figure class="qb-figure"><img src="{_png(fig, dpi)}" alt="{html.escape(alt)}" '
            f'style="max-width:100%"><figcaption class="qb-caption">{caption}</figcaption></figure>')


class _HTML:
    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


def show(fig: Figure, *, alt: str, caption: str) -> None:
    """Display a static figure with alt text and caption (the only way chapters show plots).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    alt, caption : str
        Alt text and caption, as for :func:`figure_html`.

    Raises
    ------
    ImportError
        Outside IPython/Jupyter, with what to install (``pip install "qbcore[widgets]"``); use
        :func:`figure_html` or ``fig.savefig`` there.
    """
    try:
        from IPython.display import display
    except ImportError as exc:
        raise ImportError('qbcore.viz.show needs IPython (a Jupyter kernel): pip install "qbcore[widgets]"; '
                          'outside Jupyter use qbcore.viz.figure_html(fig, ...) or fig.savefig(...)') from exc

    display(_HTML(figure_html(fig, alt=alt, caption=caption)))


# --------------------------------------------------------------------------- controls
@dataclass(frozen=True)
class Slider:
    """A bounded numeric control.

    Parameters
    ----------
    label : str
        Text shown next to the control (symbols welcome, e.g. ``"Δμ"``).
    lo, hi : float
        Bounds; the live slider cannot leave them.
    value : float
        Default value, ``lo <= value <= hi``.
    step : float, optional
        Slider step; default ``(hi - lo)/100``.
    heavy : bool
        ``True`` when one redraw costs more than ~50 ms: the live slider then updates on
        release only (``continuous_update=False``).
    integer : bool
        Integer-valued control.
    """

    label: str
    lo: float
    hi: float
    value: float
    step: float | None = None
    heavy: bool = False
    integer: bool = False

    def __post_init__(self):
        if not (np.isfinite(self.lo) and np.isfinite(self.hi) and self.lo < self.hi):
            raise ValueError(f"Slider '{self.label}': need finite lo < hi; got lo={self.lo}, hi={self.hi}")
        if not (self.lo <= self.value <= self.hi):
            raise ValueError(f"Slider '{self.label}': value {self.value} outside [{self.lo}, {self.hi}]")

    def validate(self, v: Any, name: str) -> float:
        """Return ``v`` if inside the bounds, else raise ``ValueError`` naming ``name``."""
        v = float(v)
        if not (self.lo <= v <= self.hi):
            raise ValueError(f"{name} must lie in [{self.lo}, {self.hi}]; got {v}")
        return int(round(v)) if self.integer else v


@dataclass(frozen=True)
class Choice:
    """A control with a finite set of options (dropdown / toggle).

    Parameters
    ----------
    label : str
        Text shown next to the control.
    options : tuple
        The allowed values.
    value : object
        Default, one of ``options``.
    """

    label: str
    options: tuple
    value: Any

    def __post_init__(self):
        if self.value not in self.options:
            raise ValueError(f"Choice '{self.label}': value {self.value!r} not in {self.options}")

    def validate(self, v: Any, name: str) -> Any:
        """Return ``v`` if it is an option, else raise ``ValueError`` naming ``name``."""
        if v not in self.options:
            raise ValueError(f"{name} must be one of {self.options}; got {v!r}")
        return v


def figure_data(fig: Figure) -> list[np.ndarray]:
    """The numerical content of a figure: line data, image arrays, mesh arrays and scatter offsets.

    Used by tests to compare the live figure with the precomputed frames.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A drawn figure.

    Returns
    -------
    list of ndarray
        One array per line, image, mesh or scatter collection, in axes order.
    """
    out: list[np.ndarray] = []
    for ax in fig.axes:
        for line in ax.get_lines():
            out.append(np.asarray(line.get_xydata(), dtype=float))
        for im in ax.get_images():
            out.append(np.asarray(im.get_array(), dtype=float))
        for coll in ax.collections:
            arr = coll.get_array()
            if arr is not None:
                out.append(np.asarray(arr, dtype=float))
            off = coll.get_offsets()
            if off is not None and len(off):
                out.append(np.asarray(off, dtype=float))
    return out


def mode() -> str:
    """The rendering mode: ``QBCORE_VIZ`` if set, else ``"both"`` in a kernel, else ``"static"``.

    Returns
    -------
    str
        ``"live"``, ``"static"`` or ``"both"``.
    """
    env = os.environ.get("QBCORE_VIZ", "").strip().lower()
    if env in ("live", "static", "both"):
        return env
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None and getattr(ip, "kernel", None) is not None:
            return "both"
    except ImportError:  # pragma: no cover
        pass
    return "static"


class Explorer:
    """An interactive figure: live callback, precomputed frames, and both renderings.

    Create it with :func:`explore`, which takes the same parameters.

    Parameters
    ----------
    plot_fn : callable
        ``plot_fn(fig, **params)`` draws on the cleared figure.
    controls : dict of str to Slider or Choice
        One bounded control per parameter.
    frames : dict, optional
        Values precomputed for the kernel-free page (see :func:`explore`).
    alt, caption : str
        Alt text and caption.
    figsize : tuple of float
        Figure size in inches.

    Attributes useful in tests:

    ``defaults``
        the default parameters;
    ``update(**params)``
        the live callback: redraws and returns the figure (raises ``ValueError`` on bad input);
    ``frames``
        list of ``(params, png_data_uri, figure_data)`` precomputed for the web page;
    ``render(**params)``
        what a slider move does live: ``update`` and the PNG the widget shows;
    ``last_update_seconds``, ``last_render_seconds``
        wall time of the last ``update`` (computation and artists) and of the last ``render``
        (that plus drawing and encoding: what the reader waits for).
    """

    def __init__(self, plot_fn: Callable[..., None], controls: dict[str, Slider | Choice], *,
                 frames: dict[str, Sequence] | None, alt: str, caption: str,
                 figsize: tuple[float, float]):
        _check_text(alt, caption)
        if not controls:
            raise ValueError("controls must name at least one parameter")
        self.plot_fn = plot_fn
        self.controls = dict(controls)
        self.alt, self.caption, self.figsize = alt, caption, figsize
        self.defaults = {k: c.value for k, c in self.controls.items()}
        self.frame_values = self._frame_values(frames)
        self.fig = new_figure(figsize)
        self.last_update_seconds = self.last_render_seconds = float("nan")
        self._layout: list | None = None           # axes positions reused by render()
        self.frames: list[tuple[dict, str, list[np.ndarray]]] = []
        self._widget = None

    # ---- parameters
    def _frame_values(self, frames: dict[str, Sequence] | None) -> dict[str, list]:
        if frames is None:  # default: 9 frames of the first control
            name, c = next(iter(self.controls.items()))
            frames = {name: (list(c.options) if isinstance(c, Choice) else np.linspace(c.lo, c.hi, 9))}
        out = {}
        for name, vals in frames.items():
            if name not in self.controls:
                raise ValueError(f"frames names an unknown control {name!r}")
            c = self.controls[name]
            vals = [c.validate(v, name) for v in vals]
            if isinstance(c, Slider):
                vals = sorted(set(vals) | {c.value})  # the default is always a frame
            elif c.value not in vals:
                vals = [c.value] + vals
            out[name] = vals
        n = int(np.prod([len(v) for v in out.values()]))
        if n > 64:
            raise ValueError(f"frames would need {n} images; keep the product of frame counts <= 64")
        return out

    def params(self, **changes) -> dict:
        """Defaults with ``changes`` applied, each validated against its control."""
        unknown = set(changes) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}; controls are {sorted(self.controls)}")
        p = dict(self.defaults)
        for k, v in changes.items():
            p[k] = self.controls[k].validate(v, k)
        return p

    # ---- live callback
    def update(self, **changes) -> Figure:
        """Redraw the figure with the given parameters and return it."""
        p = self.params(**changes)
        import matplotlib

        t0 = time.perf_counter()
        with matplotlib.rc_context(style()):
            self.fig.clear()
            self.fig.set_layout_engine("constrained")
            self.plot_fn(self.fig, **p)
        self.last_update_seconds = time.perf_counter() - t0
        return self.fig

    def render(self, **changes) -> str:
        """What a live slider move does: :meth:`update`, then the PNG the widget shows (data URI).

        Speed: the constrained layout (the costliest part of a redraw) is solved on the first render
        and its axes positions reused while the figure keeps the same number of axes; the canvas is
        drawn once at the widget's resolution and encoded with light PNG compression. Sets
        ``last_render_seconds``, the whole time a reader waits (computation, drawing, encoding).
        """
        import matplotlib

        t0 = time.perf_counter()
        fig = self.update(**changes)
        with matplotlib.rc_context(style()):
            fig.set_dpi(LIVE_DPI)
            reuse = self._layout is not None and len(self._layout) == len(fig.axes)
            if reuse:
                fig.set_layout_engine("none")
                for ax, pos in zip(fig.axes, self._layout):
                    ax.set_position(pos)
            fig.canvas.draw()
            if not reuse:
                self._layout = [ax.get_position(original=False).frozen() for ax in fig.axes]
            uri = _encode_canvas(fig)
        self.last_render_seconds = time.perf_counter() - t0
        return uri

    def kind(self) -> str:
        """``"map"`` when the figure shows a 2-D array (budget 1 s), else ``"curve"`` (budget 0.1 s)."""
        from matplotlib.collections import PolyQuadMesh, QuadMesh
        from matplotlib.contour import ContourSet

        if not self.fig.axes:
            self.update()
        is_map = any(ax.get_images() or any(isinstance(c, (QuadMesh, PolyQuadMesh, ContourSet))
                                            for c in ax.collections)
                     for ax in self.fig.axes)
        return "map" if is_map else "curve"

    def budget(self) -> float:
        """Latency budget of this figure in seconds: 0.1 for a curve, 1 for a map."""
        return MAP_BUDGET_S if self.kind() == "map" else CURVE_BUDGET_S

    def latency_probe(self) -> dict:
        """Time the live callback at min, mid and max of every control (others at defaults).

        Two times per point: ``update`` (the recomputation: physics and artists) and ``render``
        (what the reader waits for: that plus drawing and PNG encoding). Each point is done twice
        and the faster kept, so that a burst of unrelated load is not mistaken for the figure's
        cost. Parameters a model rejects (ValueError) are skipped, as the widget shows a message.

        Returns ``{"worst_seconds", "worst_render_seconds", "kind", "budget_seconds", "live",
        "updates"}``: ``worst_seconds`` is the worst recomputation, ``live`` is ``"continuous"``
        when the worst full redraw meets the budget and ``"on release"`` otherwise (the widget's
        sliders then redraw when let go, see :meth:`widget`).
        """
        worst, worst_r, n = 0.0, 0.0, 0
        for name, c in self.controls.items():
            values = list(c.options) if isinstance(c, Choice) else [c.lo, 0.5 * (c.lo + c.hi), c.hi]
            for v in values:
                try:
                    t_u, t_r = [], []
                    for _ in range(2):
                        self.render(**{name: v})
                        t_u.append(self.last_update_seconds)
                        t_r.append(self.last_render_seconds)
                except ValueError:
                    continue
                worst, worst_r, n = max(worst, min(t_u)), max(worst_r, min(t_r)), n + 1
        self.update()
        kind = self.kind()
        budget = MAP_BUDGET_S if kind == "map" else CURVE_BUDGET_S
        return {"worst_seconds": worst, "worst_render_seconds": worst_r, "kind": kind,
                "budget_seconds": budget, "live": "continuous" if worst_r <= budget else "on release",
                "updates": n}

    # ---- static rendering
    def compute_frames(self) -> None:
        """Precompute every frame (PNG + data) for the kernel-free page."""
        if self.frames:
            return
        names = list(self.frame_values)
        for combo in itertools.product(*(self.frame_values[n] for n in names)):
            p = dict(zip(names, combo))
            fig = self.update(**p)
            self.frames.append((self.params(**p), _png(fig), figure_data(fig)))

    def _uid(self) -> str:
        return "qb-" + hashlib.sha1((self.alt + self.caption).encode()).hexdigest()[:10]

    def static_html(self) -> str:
        """Self-contained HTML: default figure, kernel-free sliders over frames, a note."""
        self.compute_frames()
        uid = self._uid()
        names = list(self.frame_values)
        idx0 = [self.frame_values[n].index(self.defaults[n]) for n in names]
        sizes = [len(self.frame_values[n]) for n in names]
        flat0 = int(np.ravel_multi_index(idx0, sizes))
        uris = [f[1] for f in self.frames]
        rows = []
        for i, n in enumerate(names):
            vals = self.frame_values[n]
            labels = [_fmt(v) for v in vals]
            rows.append(
                f'<label class="qb-control">{html.escape(self.controls[n].label)} = '
                f'<output>{labels[idx0[i]]}</output><br><input type="range" min="0" max="{len(vals) - 1}" '
                f'step="1" value="{idx0[i]}" data-labels=\'{html.escape(json.dumps(labels))}\' '
                f'aria-label="{html.escape(self.controls[n].label)}" style="width:16em"></label>')
        live = ", ".join(html.escape(c.label) for c in self.controls.values())
        note = (f'<p class="qb-note" style="font-size:0.85em;opacity:0.8">On this page the slider'
                f'{"s step" if len(names) > 1 else " steps"} through {len(uris)} precomputed frames. '
                f'Run the notebook (see <em>Run it yourself</em>) for live controls of: {live}.</p>')
        script = (
            "<script>(function(){var r=document.getElementById('%s');if(!r)return;"
            "var f=JSON.parse(r.querySelector('script.qb-frames').textContent);"
            "var s=%s;var ins=r.querySelectorAll('input[type=range]');var img=r.querySelector('img.qb-frame');"
            "function go(){var k=0;for(var i=0;i<ins.length;i++){var v=parseInt(ins[i].value);k=k*s[i]+v;"
            "var l=JSON.parse(ins[i].getAttribute('data-labels'));ins[i].parentNode.querySelector('output')"
            ".textContent=l[v];}img.src=f[k];img.setAttribute('data-frame',k);}"
            "for(var i=0;i<ins.length;i++){ins[i].addEventListener('input',go);}})();</script>"
        ) % (uid, json.dumps(sizes))
        return (
            f'<div class="qb-explorer" id="{uid}">'
            f'<figure class="qb-figure"><img class="qb-frame" data-frame="{flat0}" src="{uris[flat0]}" '
            f'alt="{html.escape(self.alt)}" style="max-width:100%">'
            f'<figcaption class="qb-caption">{self.caption}</figcaption></figure>'
            f'<div class="qb-controls">{"".join(rows)}</div>{note}'
            f'<script type="application/json" class="qb-frames">{json.dumps(uris)}</script>{script}</div>')

    # ---- live rendering
    def widget(self):
        """The ipywidgets UI (built on first use)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        ws = {}
        for name, c in self.controls.items():
            if isinstance(c, Choice):
                ws[name] = W.Dropdown(options=list(c.options), value=c.value, description=c.label)
            elif c.integer:
                ws[name] = W.IntSlider(min=int(c.lo), max=int(c.hi), step=int(c.step or 1), value=int(c.value),
                                       description=c.label, continuous_update=not c.heavy)
            else:
                ws[name] = W.FloatSlider(min=c.lo, max=c.hi, step=c.step or (c.hi - c.lo) / 100, value=c.value,
                                         description=c.label, continuous_update=not c.heavy, readout_format=".3g")
        out = W.HTML()
        msg = W.HTML()

        def redraw(_change=None):
            try:
                uri = self.render(**{k: w.value for k, w in ws.items()})
                out.value = f'<img src="{uri}" alt="{html.escape(self.alt)}" style="max-width:100%">'
                msg.value = ""
            except ValueError as exc:  # bad parameters: a message, not a traceback
                msg.value = f'<p style="color:#D55E00"><b>Cannot compute:</b> {html.escape(str(exc))}</p>'

        for w in ws.values():
            w.observe(redraw, names="value")
        redraw()
        # Sliders follow the drag only if a full redraw meets the budget on this machine (timed on a
        # second, warm redraw); otherwise they redraw when released, so no backlog builds up.
        note = ""
        if msg.value == "":
            self.render(**{k: w.value for k, w in ws.items()})
            if self.last_render_seconds > self.budget():
                for w in ws.values():
                    if hasattr(w, "continuous_update"):
                        w.continuous_update = False
                note = (f" <i>(A redraw takes {self.last_render_seconds:.2f} s here, so the sliders update "
                        f"when released.)</i>")
        self._widget = W.VBox([W.HBox(list(ws.values()), layout=W.Layout(flex_flow="row wrap")), msg, out,
                               W.HTML(f'<p style="font-size:0.9em">{html.escape(self.caption)}{note}</p>')])
        self._widget.qb_controls = ws  # for headless tests
        self._widget.qb_message = msg
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        m = mode()
        bundle: dict[str, Any] = {"text/plain": f"<interactive figure: {self.alt}>"}
        if m in ("static", "both"):
            bundle["text/html"] = self.static_html()
        if m in ("live", "both"):
            wb = self.widget()._repr_mimebundle_()
            if isinstance(wb, tuple):
                wb = wb[0]
            bundle.update({k: v for k, v in wb.items() if k != "text/plain"})
        return bundle


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.4g}"
    return str(v)


def explore(plot_fn: Callable[..., None], controls: dict[str, Slider | Choice], *,
            alt: str, caption: str, frames: dict[str, Sequence] | None = None,
            figsize: tuple[float, float] = (6.4, 4.0)) -> Explorer:
    """Build an interactive figure; display the returned object (last line of a cell).

    Parameters
    ----------
    plot_fn : callable
        ``plot_fn(fig, **params)`` draws on the (cleared) figure ``fig``. It must raise
        ``ValueError`` for parameters outside the model's validity.
    controls : dict
        ``{parameter: Slider(...) | Choice(...)}``; defaults are the controls' values.
    alt, caption : str
        Alt text (what the figure shows, in words) and caption. Required.
    frames : dict, optional
        ``{parameter: values}`` precomputed for the kernel-free page (at most 64 frames in
        all; the default value is always included). Default: 9 frames of the first control.
    figsize : tuple
        Figure size in inches.

    Returns
    -------
    Explorer
        Displays as live widgets in a kernel and as a static figure with frame sliders on
        the web page.
    """
    ex = Explorer(plot_fn, controls, frames=frames, alt=alt, caption=caption, figsize=figsize)
    ex.update()  # fail early, at the default parameters
    log = os.environ.get("QBCORE_LATENCY_LOG")
    if log:  # benchmarks/run_all.py: record the live-update latency of every figure
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"caption": caption[:80], **ex.latency_probe()}) + "\n")
    return ex


def _blas() -> str:
    """numpy's BLAS library as built (name and version), e.g. ``scipy-openblas 0.3.28``."""
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg["Build Dependencies"]["blas"]
        return f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # pragma: no cover - very old numpy
        return "unknown"


def lock_mismatches(lock_path: str | os.PathLike | None = None) -> list[str] | None:
    """Installed packages whose version differs from ``requirements.lock``.

    Returns ``None`` when no lock file is found (``qbcore`` installed without the book), else a
    list of ``"name installed X, locked Y"`` strings (empty when the environment is exact).
    Markers of other Python versions are skipped.

    Parameters
    ----------
    lock_path : path-like, optional
        The lock file; default ``requirements.lock`` next to the ``qbcore`` package.

    Returns
    -------
    list of str or None
    """
    import importlib.metadata as md
    from pathlib import Path

    path = Path(lock_path) if lock_path else Path(__file__).resolve().parents[1] / "requirements.lock"
    if not path.is_file():
        return None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        spec, _, marker = line.partition(";")
        name, version = (x.strip() for x in spec.split("=="))
        if marker.strip() and not _marker_holds(marker):
            continue
        try:
            have = md.version(name)
        except md.PackageNotFoundError:
            out.append(f"{name} not installed, locked {version}")
            continue
        if have != version:
            out.append(f"{name} installed {have}, locked {version}")
    return out


def _marker_holds(marker: str) -> bool:
    """Evaluate an environment marker of the lock file for this interpreter (``packaging``)."""
    try:
        from packaging.markers import Marker
    except ImportError:  # pragma: no cover - packaging ships with pip/setuptools environments
        return True
    return Marker(marker).evaluate()


def about() -> None:
    """Print the versions of qbcore and of the libraries every result depends on.

    Also prints numpy's BLAS library and whether the environment matches the book's
    ``requirements.lock`` (when qbcore runs from the book's repository).
    """
    import importlib.metadata as md

    from . import __version__

    print(f"qbcore      {__version__}")
    for pkg in ("qutip", "numpy", "scipy", "matplotlib", "ipywidgets", "jupyter-book", "myst-nb"):
        try:
            print(f"{pkg:<11} {md.version(pkg)}")
        except md.PackageNotFoundError:
            print(f"{pkg:<11} (not installed)")
    print(f"python      {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"BLAS        {_blas()} (results agree across CPUs and BLAS kernels at the printed precision)")
    bad = lock_mismatches()
    if bad is None:
        print("lock file   requirements.lock not found (qbcore installed on its own)")
    elif not bad:
        print("lock file   every installed package matches requirements.lock")
    else:
        print(f"lock file   {len(bad)} package(s) differ from requirements.lock: " + "; ".join(bad[:8]))
