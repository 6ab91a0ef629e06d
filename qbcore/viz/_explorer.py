"""Interactive figures: bounded controls, live widgets and precomputed frames for the web page."""
from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from matplotlib.figure import Figure

from ._figures import _check_text, _quality, figure_data
from ._style import (CURVE_BUDGET_S, DPI, LIVE_DPI, MAP_BUDGET_S, _encode_canvas, _overlapping, _png, _text_issues,
                     legible, new_figure, style)


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
        (that plus drawing and encoding: what the reader waits for);
    ``last_render_blitted``
        whether the last ``render`` kept the previous background (frame, ticks, labels) and
        drew only the data over it (see :meth:`render`).
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
        self.last_render_blitted = False
        self._layout: list | None = None           # axes positions reused by render()
        self.frames: list[tuple[dict, str, list[np.ndarray]]] = []
        self.frame_quality: list[dict] = []  # per frame: smallest text (px) and figure defects
        self.frame_positions: list[list] = []     # per frame: axes positions (figure coordinates)
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
            if len(vals) < 2:  # a control on the page that cannot move would be a dead control
                raise ValueError(f"frames[{name!r}] gives only the default value {_fmt(vals[0])}: leave {name!r} "
                                 f"out of frames (the page then lists it as fixed) or give it two or more values")
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
        with matplotlib.rc_context(getattr(self.fig, "_qb_rc", None) or style()):
            recycle = hasattr(self.fig, "_qb_recycle")
            if recycle:  # the previous redraw's axes, emptied (see qbcore.viz._style._BookFigure)
                self.fig._qb_recycle(True)
            else:
                self.fig.clear()
            self.fig.set_layout_engine("constrained")
            try:
                self.plot_fn(self.fig, **p)
            finally:
                if recycle:
                    self.fig._qb_recycle(False)
            legible(self.fig, DPI)
        self.last_update_seconds = time.perf_counter() - t0
        return self.fig

    def render(self, **changes) -> str:
        """What a live slider move does: :meth:`update`, then the PNG the widget shows (data URI).

        Speed: the constrained layout (the costliest part of a redraw) is not solved live. The
        figure uses the layout of the nearest precomputed frame (:meth:`frame_layout`), or else the
        first render's, while the figure keeps the same number of axes;
        should a label then overlap or run off the figure, that redraw lays out anew. The canvas is
        drawn once at the widget's resolution and encoded with light PNG compression. When the
        axes' frames, limits, ticks and labels are those of the previous render (a plot that fixes
        its limits), only the data artists are drawn, over a copy of the previous background
        (blitting). Sets ``last_render_seconds``, the whole time a reader waits (computation,
        drawing, encoding), and ``last_render_blitted``.
        """
        import matplotlib

        t0 = time.perf_counter()
        self.last_render_blitted = False
        fig = self.update(**changes)
        with matplotlib.rc_context(getattr(fig, "_qb_rc", None) or style()):
            steadied = self._steady_limits(fig)
            fig.set_dpi(LIVE_DPI)
            layout = self.frame_layout(self.params(**changes)) or self._layout
            reuse = layout is not None and len(layout) == len(fig.axes)
            if reuse:
                _apply_layout(fig, layout)
                self.last_render_blitted = self._blit(fig)
                if self.last_render_blitted:  # only the data changed: repaint it over the kept background
                    uri = _encode_canvas(fig)
                    self.last_render_seconds = time.perf_counter() - t0
                    return uri
            self._background = None
            if reuse:
                self._draw_keeping_background(fig)
            else:
                fig.canvas.draw()
            if reuse and steadied and _overlapping(fig):
                # the kept limits' tick labels do not fit this layout: autoscale, as the frames do
                self._limits = None
                uri = self.render(**changes)
                self.last_render_seconds = time.perf_counter() - t0
                return uri
            if reuse and _overlapping(fig):
                # labels of another size than the first layout's (e.g. a colour bar's): lay out anew
                reuse = False
                for ax in fig.axes:  # set_position took them out of the layout
                    ax.set_in_layout(True)
                fig.set_layout_engine("constrained")
                fig.canvas.draw()
            if not reuse:
                self._background = None
                self._layout = _positions(fig)
            uri = _encode_canvas(fig)
        self.last_render_seconds = time.perf_counter() - t0
        return uri

    # Steady axes. An autoscaled axis would change its limits (and so its ticks) at every step of a
    # slider, and every step would be a full draw. Live, an axis the plot function leaves to
    # autoscaling keeps the previous step's limits while the new data fits inside them and fills at
    # least STEADY_FILL of their span; otherwise it autoscales afresh. The data are never clipped.
    _limits: list | None = None
    STEADY_FILL = 0.6

    def _steady_limits(self, fig: Figure) -> bool:
        """Keep the previous step's limits where they still fit; whether any was kept."""
        old = self._limits if self._limits is not None and len(self._limits) == len(fig.axes) else None
        now, kept = [], False
        for i, ax in enumerate(fig.axes):
            lims = []
            for k, axis in enumerate((ax.xaxis, ax.yaxis)):
                auto = ax.get_autoscalex_on() if k == 0 else ax.get_autoscaley_on()
                lim = ax.get_xlim() if k == 0 else ax.get_ylim()  # autoscales now, if it is on
                scale = axis.get_scale()
                if auto and old is not None and old[i][k] is not None and old[i][k][0] == scale:
                    keep = _steady(lim, old[i][k][1], scale, self.STEADY_FILL)
                    if keep is not None:
                        (ax.set_xlim if k == 0 else ax.set_ylim)(keep)  # autoscale off until next step
                        lim, kept = keep, kept or tuple(keep) != tuple(lim)
                lims.append((scale, tuple(lim)) if auto else None)
            now.append(lims)
        self._limits = now
        return kept

    # Blitting. A slider step usually changes only the data: the axes' frames, limits, ticks,
    # labels and titles stay. A full draw draws the background (the figure without its data
    # artists) first, keeps a copy with the signature of everything in it, then draws the data
    # artists (lines, markers, images, texts and legends inside the axes) and the spines on top:
    # no dearer than a plain draw. A later render with the same signature restores the copy and
    # draws only the data. Figures with 3-D, polar or inset axes always draw in full.
    _background = None

    def _draw_keeping_background(self, fig: Figure) -> None:
        sig = _background_signature(fig)
        if sig is None:
            fig.canvas.draw()
            return
        data = [a for ax in fig.axes for a in _data_artists(ax)]
        for a in data:
            a.set_animated(True)  # Axes.draw skips animated artists: this draw is the background
        try:
            fig.canvas.draw()
            self._background = (sig, fig.canvas.copy_from_bbox(fig.bbox))
        finally:
            for a in data:
                a.set_animated(False)
        _draw_data(fig)

    def _blit(self, fig: Figure) -> bool:
        if self._background is None:
            return False
        sig, region = self._background
        if _background_signature(fig) != sig:
            return False
        fig.canvas.restore_region(region)
        _draw_data(fig)
        return True

    def step_seconds(self, params: dict | None = None) -> float:
        """What a slider step costs here: the median of three redraws one step apart.

        From ``params`` (default: the defaults) the first slider moves one step and back and
        forth again, as a reader dragging it does, so that blitted steps and full draws count
        as often as a drag meets them. A figure whose first slider cannot step (a choice only,
        or a step the model refuses) is timed at ``params`` three times. Leaves the figure at
        ``params``.

        Parameters
        ----------
        params : dict, optional
            Full parameter set to start from.

        Returns
        -------
        float
            Seconds: the median of the three full render times (``last_render_seconds``).
        """
        p = dict(self.defaults if params is None else params)
        moves = [p, p, p]
        for name, c in self.controls.items():
            if isinstance(c, Slider):
                d = c.step or (c.hi - c.lo) / 100
                v = p[name] + d if p[name] + d <= c.hi else p[name] - d
                if c.lo <= v <= c.hi:
                    moves = [{**p, name: v}, p, {**p, name: v}]
                break
        times = []
        try:
            for m in moves:
                self.render(**m)
                times.append(self.last_render_seconds)
        except ValueError:  # the step leaves the model's validity: time redraws at params instead
            times = []
            for _ in range(3):
                self.render(**p)
                times.append(self.last_render_seconds)
        self.render(**p)
        return sorted(times)[1]

    def kind(self) -> str:
        """``"map"`` when the figure shows a 2-D array (budget 0.3 s), else ``"curve"`` (budget 0.1 s)."""
        from matplotlib.collections import PolyQuadMesh, QuadMesh
        from matplotlib.contour import ContourSet

        if not self.fig.axes:
            self.update()
        is_map = any(ax.get_images() or any(isinstance(c, (QuadMesh, PolyQuadMesh, ContourSet))
                                            for c in ax.collections)
                     for ax in self.fig.axes)
        return "map" if is_map else "curve"

    def budget(self) -> float:
        """Latency budget of this figure in seconds: 0.1 for a curve, 0.3 for a map (CURVE_BUDGET_S, MAP_BUDGET_S)."""
        return MAP_BUDGET_S if self.kind() == "map" else CURVE_BUDGET_S

    def latency_probe(self) -> dict:
        """Time the live callback at min, mid and max of every control (others at defaults).

        Two times per point: ``update`` (the recomputation: physics and artists) and ``render``
        (what the reader waits for: that plus drawing and PNG encoding). Each point is done twice
        and the faster kept, so that a burst of unrelated load is not mistaken for the figure's
        cost. Parameters a model rejects (ValueError) are skipped, as the widget shows a message.

        Returns ``{"worst_seconds", "worst_render_seconds", "kind", "budget_seconds",
        "step_seconds", "live", "updates"}``: ``worst_seconds`` is the worst
        recomputation, ``worst_render_seconds`` the worst full redraw (a jump to either end of a
        slider, laid out anew), and ``live`` what the widget does by its own rule: ``"continuous"``
        (the sliders follow the drag) when a slider step at the defaults meets the budget
        (:meth:`step_seconds`), ``"on release"`` otherwise (see :meth:`widget`).
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
        # the widget's own rule (see widget()): a slider step at the defaults within budget
        self.render()
        at_defaults = self.step_seconds()
        self.update()
        kind = self.kind()
        budget = MAP_BUDGET_S if kind == "map" else CURVE_BUDGET_S
        return {"worst_seconds": worst, "worst_render_seconds": worst_r, "kind": kind,
                "budget_seconds": budget, "step_seconds": at_defaults,
                "live": "continuous" if at_defaults <= budget else "on release", "updates": n}

    def check_live(self) -> list[str]:
        """Step the live figure through every frame's parameters (last to first, as a reader
        dragging back would) and return the defects of each live image: text overlapping other
        text or running off the figure, and a layout other than the static frame's.

        The live path does not solve the layout (:meth:`render`); this checks that it still
        leaves room for every label and that the page's frames and the live figure agree.

        Returns
        -------
        list of str
            ``"<params>: <problem>"`` per defect; empty when every live image is clean.
        """
        self.compute_frames()
        out = []
        for k in reversed(range(len(self.frames))):
            p = {n: self.frames[k][0][n] for n in self.frame_values}
            try:
                self.render(**p)
            except ValueError:
                continue
            out += [f"{p}: {msg}" for msg in _text_issues(self.fig)]
            live = _positions(self.fig)
            static = self.frame_positions[k]
            if len(live) != len(static) or any(
                    not np.allclose(a.extents, b.extents, atol=1e-3) for a, b in zip(live, static)):
                out.append(f"{p}: the live layout differs from the static frame's")
        self.update()
        return out

    # ---- static rendering
    def _frame_params(self) -> list[dict]:
        names = list(self.frame_values)
        return [dict(zip(names, combo)) for combo in itertools.product(*(self.frame_values[n] for n in names))]

    def frame_layout(self, params: dict) -> list | None:
        """The layout the live figure uses at ``params``: that of the nearest precomputed frame.

        Every frame is laid out (constrained layout) when it is computed; the live figure reuses
        the positions of the frame nearest to its parameters (same options, nearest numeric values
        relative to each slider's range), so that at a frame's parameters the live figure and the
        page's frame have the same layout. ``None`` before the frames are computed.

        Parameters
        ----------
        params : dict
            Full parameter set.

        Returns
        -------
        list of matplotlib.transforms.Bbox or None
            Axes positions in figure coordinates, in ``fig.axes`` order.
        """
        if not self.frame_positions:
            return None
        best, best_d = None, np.inf
        for (fp, _, _), pos in zip(self.frames, self.frame_positions):
            d = 0.0
            for n in self.frame_values:
                c = self.controls[n]
                if isinstance(c, Choice):
                    d += 0.0 if fp[n] == params[n] else np.inf
                else:
                    d += abs(float(fp[n]) - float(params[n])) / (c.hi - c.lo)
            if d < best_d:
                best, best_d = pos, d
        return best

    def compute_frames(self) -> None:
        """Precompute every frame (PNG + data) for the kernel-free page, all in :meth:`frame_layout`."""
        if self.frames:
            return
        for p in self._frame_params():
            self.fig._qb_last_calls = []  # fresh axes: a frame's layout does not depend on the one before
            fig = self.update(**p)
            fig.set_dpi(DPI)  # lay out, save and check the frame at the page's resolution
            fig.draw_without_rendering()  # the constrained layout settles in two passes
            uri = _png(fig)
            self.frame_positions.append(_positions(fig))
            _apply_layout(fig, self.frame_positions[-1])  # check exactly what the PNG shows
            self.frames.append((self.params(**p), uri, figure_data(fig)))
            self.frame_quality.append(_quality(fig, DPI))

    def _uid(self) -> str:
        return "qb-" + hashlib.sha1((self.alt + self.caption).encode()).hexdigest()[:10]

    def static_html(self) -> str:
        """Self-contained HTML: default figure, kernel-free controls over frames, a note.

        Numeric frame parameters get a slider; either/or parameters (a choice, or two frame
        values) a group of toggle buttons;
        every control shows its symbol and value, and the parameters that the page does not vary
        are listed with their values, so that every frame states all of its parameters.
        """
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
            lab = html.escape(self.controls[n].label)
            data = f'data-labels=\'{html.escape(json.dumps(labels))}\''
            if isinstance(self.controls[n], Choice) or len(vals) == 2:  # either/or: toggle buttons
                buttons = "".join(
                    f'<button type="button" class="qb-option" data-index="{j}" '
                    f'aria-pressed="{"true" if j == idx0[i] else "false"}">{html.escape(v)}</button>'
                    for j, v in enumerate(labels))
                rows.append(f'<div class="qb-control qb-choice" role="group" aria-label="{lab}" {data} '
                            f'data-value="{idx0[i]}"><span class="qb-name">{lab} = <output>{labels[idx0[i]]}'
                            f'</output></span><span class="qb-options">{buttons}</span></div>')
            else:
                rows.append(
                    f'<div class="qb-control qb-slider" {data}><label><span class="qb-name">{lab} = '
                    f'<output>{labels[idx0[i]]}</output></span><input type="range" min="0" max="{len(vals) - 1}" '
                    f'step="1" value="{idx0[i]}" aria-label="{lab}"></label></div>')
        fixed = [f"{html.escape(c.label)} = {html.escape(_fmt(c.value))}"
                 for k, c in self.controls.items() if k not in self.frame_values]
        fixed_html = (f'<p class="qb-fixed">Fixed on this page: {", ".join(fixed)}.</p>' if fixed else "")
        live = ", ".join(html.escape(c.label) for c in self.controls.values())
        note = (f'<p class="qb-note">On this page the control'
                f'{"s step" if len(names) > 1 else " steps"} through {len(uris)} precomputed frames. '
                f'Run the notebook (see <em>Run it yourself</em>) for live controls of: {live}.</p>')
        script = (
            "<script>(function(){var r=document.getElementById('%s');if(!r)return;"
            "var f=JSON.parse(r.querySelector('script.qb-frames').textContent);"
            "var q=JSON.parse(r.querySelector('script.qb-quality').textContent);"
            "var s=%s;var cs=r.querySelectorAll('.qb-control');var img=r.querySelector('img.qb-frame');"
            "function val(c){var i=c.querySelector('input');return parseInt(i?i.value:c.getAttribute('data-value'));}"
            "function go(){var k=0;for(var i=0;i<cs.length;i++){var v=val(cs[i]);k=k*s[i]+v;"
            "var l=JSON.parse(cs[i].getAttribute('data-labels'));cs[i].querySelector('output').textContent=l[v];"
            "cs[i].querySelectorAll('button').forEach(function(b){b.setAttribute('aria-pressed',"
            "String(parseInt(b.getAttribute('data-index'))===v));});}"
            "img.src=f[k];img.setAttribute('data-frame',k);img.setAttribute('data-min-text-px',q[k].min_text_px);"
            "img.setAttribute('data-problems',JSON.stringify(q[k].problems));}"
            "cs.forEach(function(c){var i=c.querySelector('input');if(i){i.addEventListener('input',go);}"
            "c.querySelectorAll('button').forEach(function(b){b.addEventListener('click',function(){"
            "c.setAttribute('data-value',b.getAttribute('data-index'));go();});});});})();</script>"
        ) % (uid, json.dumps(sizes))
        q0 = self.frame_quality[flat0]
        return (
            f'<div class="qb-explorer" id="{uid}" data-params=\'{html.escape(json.dumps([c.label for c in self.controls.values()]))}\'>'
            f'<figure class="qb-figure"><img class="qb-frame" data-frame="{flat0}" src="{uris[flat0]}" '
            f'alt="{html.escape(self.alt)}" data-min-text-px="{q0["min_text_px"]}" '
            f'data-problems="{html.escape(json.dumps(q0["problems"]))}" style="max-width:100%">'
            f'<figcaption class="qb-caption mathjax_process">{self.caption}</figcaption></figure>'
            f'<div class="qb-controls">{"".join(rows)}</div>{fixed_html}{note}'
            f'<script type="application/json" class="qb-frames">{json.dumps(uris)}</script>'
            f'<script type="application/json" class="qb-quality">{json.dumps(self.frame_quality)}</script>'
            f'{script}</div>')

    # ---- live rendering
    def widget(self):
        """The ipywidgets UI (built on first use)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        ws = {}
        # every control labelled in full, with room around it (neighbouring sliders never touch)
        common = dict(description=None, style={"description_width": "initial"},
                      layout=W.Layout(margin="4px 24px 4px 0"))
        for name, c in self.controls.items():
            common["description"] = c.label
            if isinstance(c, Choice):  # either/or: toggle buttons, not a 2-position slider
                ws[name] = W.ToggleButtons(options=[(_fmt(o), o) for o in c.options], value=c.value, **common)
            elif c.integer:
                ws[name] = W.IntSlider(min=int(c.lo), max=int(c.hi), step=int(c.step or 1), value=int(c.value),
                                       continuous_update=not c.heavy, readout=False, **common)
            else:
                ws[name] = W.FloatSlider(min=c.lo, max=c.hi, step=c.step or (c.hi - c.lo) / 100, value=c.value,
                                         continuous_update=not c.heavy, readout=False, **common)
        out = W.HTML()
        msg = W.HTML()

        def error(text: str) -> str:
            return f'<p style="color:#D55E00"><b>Cannot compute:</b> {html.escape(text)}</p>'

        # A typed value goes through a text box of our own (the slider's readout would silently
        # revert a bad entry or clamp it to the range): a bad one gets a message and changes nothing.
        boxes = {}
        for name, c in self.controls.items():
            if isinstance(c, Slider):
                boxes[name] = W.Text(value=_fmt(c.value), continuous_update=False,
                                     layout=W.Layout(width="6.5em", margin="4px 24px 4px 0"))

        def typed(name):
            c = self.controls[name]

            def handler(change):
                if echoing:  # the box only shows a slider move: nothing to check, nothing to redraw
                    return
                raw = str(change["new"]).strip()
                rng = f"[{_fmt(c.lo)}, {_fmt(c.hi)}]"
                try:
                    v = float(raw)
                except ValueError:
                    msg.value = error(f"{c.label}: '{raw}' is not a number; type a value in {rng}.")
                    return
                if not np.isfinite(v):
                    msg.value = error(f"{c.label}: '{raw}' is not a finite number; type a value in {rng}.")
                elif not c.lo <= v <= c.hi:
                    msg.value = error(f"{c.label} must lie in {rng}; got {raw} (nothing was changed).")
                elif c.integer and v != round(v):
                    msg.value = error(f"{c.label} must be a whole number in {rng}; got {raw}.")
                elif ws[name].value == (int(v) if c.integer else v):
                    if msg.value:
                        redraw()  # same value: clear the message of an earlier bad entry
                else:
                    ws[name].value = int(v) if c.integer else v
            return handler

        echoing = False

        def echo(name):
            def handler(change):
                nonlocal echoing
                echoing = True
                try:
                    boxes[name].value = _fmt(change["new"])
                finally:
                    echoing = False
            return handler

        trace = os.environ.get("QBCORE_LATENCY_TRACE")  # benchmarks/latency_lab.py: kernel-side times

        # Sliders follow the drag while a slider step meets the budget on this machine (0.1 s for a
        # curve, 0.3 s for a map); otherwise they redraw when released, so that no backlog builds up.
        # The decision starts from step_seconds (timed when the widget is made, perhaps while the
        # notebook is still running) and follows the median of the last five redraws after that.
        cap = W.HTMLMath()
        recent: deque = deque(maxlen=5)

        def decide() -> None:
            step = float(np.median(recent))
            follow = step <= self.budget()
            for w in ws.values():
                if hasattr(w, "continuous_update") and w.continuous_update != follow:
                    w.continuous_update = follow
            note = "" if follow else (f" <i>(A redraw takes {step:.2f} s here, so the sliders update "
                                      f"when released.)</i>")
            show_caption(note)

        def show_caption(note: str = "") -> None:
            text = f'<p style="font-size:0.9em">{self.caption}{note}</p>'
            if cap.value != text:
                cap.value = text

        def redraw(_change=None):
            t_in = time.time()
            try:
                uri = self.render(**{k: w.value for k, w in ws.items()})
                # the image's size is stated, so that replacing it never collapses the output for
                # a moment: no re-layout of the notebook around it at every step
                w_px, h_px = self.fig.canvas.get_width_height()
                out.value = (f'<img src="{uri}" alt="{html.escape(self.alt)}" data-kind="{self.kind()}" '
                             f'width="{w_px}" height="{h_px}" style="max-width:100%;height:auto">')
                msg.value = ""
                if recent:  # after start-up: this step counts towards the decision
                    recent.append(self.last_render_seconds)
                    decide()
            except ValueError as exc:  # bad parameters: a message, not a traceback, and no stale picture
                out.value = ""
                msg.value = f'<p style="color:#D55E00"><b>Cannot compute:</b> {html.escape(str(exc))}</p>'
            if trace:
                with open(trace, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"t_in": t_in, "t_out": time.time(), "render_s": self.last_render_seconds,
                                         "update_s": self.last_update_seconds}) + "\n")

        for w in ws.values():
            w.observe(redraw, names="value")
        for name, box in boxes.items():
            ws[name].observe(echo(name), names="value")
            box.observe(typed(name), names="value")
        redraw()
        if msg.value == "":
            recent.append(self.step_seconds({k: w.value for k, w in ws.items()}))
            decide()
        else:
            show_caption()
        rows = [W.HBox([w, boxes[n]]) if n in boxes else w for n, w in ws.items()]
        self._widget = W.VBox([W.HBox(rows, layout=W.Layout(flex_flow="row wrap")), msg, out, cap])
        self._widget.qb_controls = ws  # for headless tests
        self._widget.qb_message = msg
        self._widget.qb_boxes = boxes
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


def _steady(new: tuple, old: tuple, scale: str, fill: float) -> tuple | None:
    """Limits for this step, given the autoscaled ``new`` and the previous step's ``old``.

    ``old`` if ``new`` lies inside it and spans at least ``fill`` of it; if the data outgrew
    ``old`` (but not by much), ``new`` widened on the side that grew by ``HEADROOM`` of its span,
    so that the next steps of a growing curve fit; ``None`` (plain autoscaling) otherwise.
    """
    if scale not in ("linear", "log") or not (new[0] < new[1] and old[0] < old[1]):
        return None
    if scale == "log" and min(*new, *old) <= 0:
        return None
    f, g = (np.log10, lambda v: 10.0 ** v) if scale == "log" else ((lambda v: v), (lambda v: v))
    a, b, c, d = f(new[0]), f(new[1]), f(old[0]), f(old[1])
    if c <= a and b <= d:
        return old if (b - a) >= fill * (d - c) else None
    if (b - a) > 1.5 * (d - c) or (b - a) < fill * (d - c):  # a jump, not a drift: autoscale
        return None
    span = b - a
    lo = min(a, c) - (HEADROOM * span if a < c else 0.0)
    hi = max(b, d) + (HEADROOM * span if b > d else 0.0)
    if (b - a) < fill * (hi - lo):
        return None
    return (float(g(lo)), float(g(hi)))


#: extra room an outgrown live axis gets on the side that grew (fraction of the data's span)
HEADROOM = 0.15


def _data_artists(ax) -> list:
    """What a slider step redraws in ``ax``: every child except its background patch and its two
    axes (ticks, tick labels, grid, axis labels). Titles often show the parameters and spines lie
    above the data, so both are redrawn."""
    frame = {id(ax.patch), id(ax.xaxis), id(ax.yaxis)}
    return [a for a in ax.get_children() if id(a) not in frame]


def _draw_data(fig: Figure) -> None:
    """Draw the data artists of every axes in z-order, as a full draw does after the axes."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for a in sorted(_data_artists(ax), key=lambda a: a.get_zorder()):
            if a.get_visible():
                a.draw(renderer)


def _text_sig(t) -> tuple:
    return (t.get_text(), t.get_visible(), round(float(t.get_fontsize()), 2), t.get_color(),
            tuple(np.round(np.asarray(t.get_position(), float), 6)))


def _background_signature(fig: Figure) -> tuple | None:
    """Everything a background shows, or ``None`` when the figure cannot be blitted."""
    if fig.texts or fig.legends or fig.images or fig.patches or fig.lines or fig.artists:
        return None
    out = [tuple(fig.bbox.bounds)]
    for ax in fig.axes:
        if getattr(ax, "name", "") != "rectilinear" or ax.child_axes or not ax.get_visible():
            return None
        below = max(ax.xaxis.get_zorder(), ax.yaxis.get_zorder())
        if any(a.get_zorder() < below for a in _data_artists(ax)):  # data under the grid: no blit
            return None
        axes = []
        for axis in (ax.xaxis, ax.yaxis):
            locs = np.asarray(axis.get_majorticklocs(), float)
            axes.append((axis.get_scale(), tuple(np.round(locs, 12)),
                         tuple(axis.get_major_formatter().format_ticks(locs)),
                         len(axis.get_minorticklocs()), _text_sig(axis.label), axis.get_visible(),
                         axis.get_label_position(), axis.get_ticks_position()))
        out.append((tuple(np.round(ax.get_position().bounds, 9)), tuple(ax.get_xlim()), tuple(ax.get_ylim()),
                    tuple(axes), ax.axison, tuple(sp.get_visible() for sp in ax.spines.values()), str(ax.get_facecolor())))
    return tuple(out)


def _positions(fig: Figure) -> list:
    return [ax.get_position(original=False).frozen() for ax in fig.axes]


def _apply_layout(fig: Figure, layout: list) -> None:
    """Fix the axes of ``fig`` at ``layout`` (no layout engine: nothing is solved at draw time)."""
    fig.set_layout_engine("none")
    for ax, pos in zip(fig.axes, layout):
        ax.set_axes_locator(None)  # a colour bar's locator would move it from the recorded (final) box
        ax.set_position(pos)


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
    if os.environ.get("QBCORE_VIZ_CHECK"):  # dev.py test: the live figure must stay clean too
        bad = ex.check_live()
        if bad:
            raise RuntimeError(f"live figure '{caption[:60]}' has text defects after updates: " + "; ".join(bad[:5]))
    log = os.environ.get("QBCORE_LATENCY_LOG")
    if log:  # benchmarks/run_all.py: record the live-update latency of every figure
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"caption": caption[:80], **ex.latency_probe()}) + "\n")
    return ex


