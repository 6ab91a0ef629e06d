"""The interactive-figure API: live callbacks, static frames, error handling, metadata."""
import json
import re

import numpy as np
import pytest

from qbcore import viz


def plot_curve(fig, a, b, kind):
    if a > 1.5:
        raise ValueError("a must be <= 1.5 for this toy model")
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    y = a * x ** 2 + b if kind == "parabola" else a * np.sin(3 * x) + b
    ax.plot(x, y, label=kind)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


CONTROLS = {
    "a": viz.Slider("a", -1.0, 2.0, 0.5),
    "b": viz.Slider("b", 0.0, 1.0, 0.2),
    "kind": viz.Choice("kind", ("parabola", "sine"), "parabola"),
}


def make(**kw):
    return viz.explore(plot_curve, CONTROLS, alt="A toy curve y(x) whose shape depends on a and b.",
                       caption="Toy figure.", frames={"a": [-1.0, 0.0, 1.0]}, **kw)


def test_live_callback_over_min_mid_max_of_every_control():
    ex = make()
    for name, c in CONTROLS.items():
        values = c.options if isinstance(c, viz.Choice) else [c.lo, 0.5 * (c.lo + c.hi), c.hi]
        for v in values:
            if name == "a" and v > 1.5:
                with pytest.raises(ValueError, match="a must be"):
                    ex.update(**{name: v})
                continue
            fig = ex.update(**{name: v})
            data = viz.figure_data(fig)
            assert len(data) == 1 and data[0].shape == (50, 2)


def test_static_frames_equal_live_figure_data():
    ex = make()
    ex.compute_frames()
    assert [f[0]["a"] for f in ex.frames] == [-1.0, 0.0, 0.5, 1.0]  # default inserted
    for params, uri, data in ex.frames:
        assert uri.startswith("data:image/png;base64,")
        live = viz.figure_data(ex.update(**params))
        assert all(np.array_equal(x, y) for x, y in zip(live, data))


def test_static_html_shows_default_frame_alt_caption_and_note():
    ex = make()
    html = ex.static_html()
    assert 'alt="A toy curve' in html and "<figcaption" in html
    m = re.search(r'data-frame="(\d+)"', html)
    assert int(m.group(1)) == 2  # index of the default a = 0.5
    assert html.count('type="range"') == 1
    assert "live controls of: a, b, kind" in html


def test_widget_shows_message_not_traceback_on_bad_parameter():
    ex = make()
    w = ex.widget()
    w.qb_controls["a"].value = 1.9
    assert "Cannot compute" in w.qb_message.value and "a must be" in w.qb_message.value
    w.qb_controls["a"].value = 1.0
    assert w.qb_message.value == ""


def test_mime_bundle_modes(monkeypatch):
    ex = make()
    monkeypatch.setenv("QBCORE_VIZ", "static")
    b = ex._repr_mimebundle_()
    assert "text/html" in b and "application/vnd.jupyter.widget-view+json" not in b
    monkeypatch.setenv("QBCORE_VIZ", "both")
    b = ex._repr_mimebundle_()
    assert "text/html" in b and "application/vnd.jupyter.widget-view+json" in b


@pytest.mark.parametrize("kw, match", [
    (dict(alt="short"), "alt must describe"),
    (dict(caption=""), "caption must be"),
    (dict(frames={"zzz": [1]}), "unknown control"),
    (dict(frames={"a": [5.0]}), "a must lie in"),
    (dict(frames={"a": np.linspace(-1, 1, 9), "b": np.linspace(0, 1, 9)}), "<= 64"),
])
def test_explore_rejects_bad_arguments(kw, match):
    args = dict(alt="A toy curve y(x) whose shape depends on a and b.", caption="Toy.", frames=None)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        viz.explore(plot_curve, CONTROLS, **args)


def test_slider_bounds_and_about(capsys):
    with pytest.raises(ValueError, match="lo < hi"):
        viz.Slider("x", 1.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="outside"):
        viz.Slider("x", 0.0, 1.0, 2.0)
    viz.about()
    out = capsys.readouterr().out
    for pkg in ("qbcore", "qutip", "numpy", "scipy", "matplotlib"):
        assert pkg in out


def test_latency_probe_and_log(tmp_path, monkeypatch):
    log = tmp_path / "lat.jsonl"
    monkeypatch.setenv("QBCORE_LATENCY_LOG", str(log))
    make()
    import json
    rec = json.loads(log.read_text().splitlines()[0])
    # 3 values for a, b (one a-value is rejected by the model) + 2 choices = 7 successful updates
    assert rec["updates"] == 7 and rec["worst_seconds"] > 0 and rec["kind"] == "curve"


def test_latency_probe_classifies_maps():
    def plot_map(fig, a):
        ax = fig.add_subplot()
        x = np.linspace(0, 1, 20)
        ax.contourf(x, x, a * np.add.outer(x, x))
        ax.set_xlabel("x")

    ex = viz.explore(plot_map, {"a": viz.Slider("a", 0.5, 2.0, 1.0)},
                     alt="A filled contour map of a(x + y) on the unit square.", caption="Toy map.")
    rec = ex.latency_probe()
    assert rec["kind"] == "map" and rec["budget_seconds"] == 0.3 and rec["updates"] == 3


def _decode(uri):
    import base64
    import io

    from PIL import Image
    assert uri.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))


def test_render_reuses_the_layout_and_matches_a_full_layout_redraw():
    ex = make()
    first = _decode(ex.render(a=0.5))               # solves the constrained layout
    pos = [tuple(np.round(ax.get_position().bounds, 6)) for ax in ex.fig.axes]
    again = _decode(ex.render(a=0.5))               # reuses it: same image, same axes positions
    assert first.shape == again.shape == (int(4.0 * viz.LIVE_DPI), int(6.4 * viz.LIVE_DPI), 3)
    assert np.array_equal(first, again)
    assert [tuple(np.round(ax.get_position().bounds, 6)) for ax in ex.fig.axes] == pos
    assert ex.last_render_seconds >= ex.last_update_seconds > 0
    other = _decode(ex.render(a=-1.0, kind="sine"))
    assert np.mean(np.any(other != first, axis=2)) > 0.001   # the curve did change
    # a figure with a different number of axes gets a fresh layout
    ex2 = viz.explore(lambda fig, n: [fig.add_subplot(1, int(n), k + 1).plot([0, 1], [0, k]) for k in range(int(n))],
                      {"n": viz.Slider("n", 1, 3, 1, step=1, integer=True)},
                      alt="One to three small panels with straight lines.", caption="Panels.")
    ex2.render(n=1)
    ex2.render(n=3)
    assert len(ex2._layout) == 3 and ex2.fig.axes[2].get_position().x1 <= 1.0


def test_widget_sliders_follow_the_drag_only_when_redraw_is_fast(monkeypatch):
    # the decision compares the measured redraw with the budget; budgets set far either side of it
    # make the test independent of this machine's speed
    from qbcore.viz import _explorer

    monkeypatch.setattr(_explorer, "CURVE_BUDGET_S", 60.0)
    fast = make().widget()
    sliders = [w for w in fast.qb_controls.values() if hasattr(w, "continuous_update")]
    assert len(sliders) == 2 and all(w.continuous_update for w in sliders)
    assert "released" not in fast.children[-1].value
    monkeypatch.setattr(_explorer, "CURVE_BUDGET_S", 0.0)
    slow = make().widget()
    assert all(w.continuous_update is False for w in slow.qb_controls.values() if hasattr(w, "continuous_update"))
    assert "update when released" in slow.children[-1].value


def test_widget_revises_its_choice_from_the_steps_a_reader_takes(monkeypatch):
    # timed at start-up (perhaps while the notebook still runs), then by the median of the last redraws
    from qbcore.viz import _explorer

    monkeypatch.setattr(_explorer, "CURVE_BUDGET_S", 0.0)
    w = make().widget()
    sliders = [s for s in w.qb_controls.values() if hasattr(s, "continuous_update")]
    assert all(s.continuous_update is False for s in sliders) and "when released" in w.children[-1].value
    monkeypatch.setattr(_explorer, "CURVE_BUDGET_S", 60.0)   # the machine is now fast enough
    for v in (0.25, 0.3, 0.35):
        w.qb_controls["b"].value = v
    assert all(s.continuous_update for s in sliders) and "released" not in w.children[-1].value
    monkeypatch.setattr(_explorer, "CURVE_BUDGET_S", 0.0)    # and slow again: back to redrawing on release
    for v in (0.4, 0.45, 0.5):
        w.qb_controls["b"].value = v
    assert all(s.continuous_update is False for s in sliders) and "when released" in w.children[-1].value


def test_step_seconds_times_real_slider_steps_and_leaves_the_figure_where_it_was():
    ex = make()
    seen = []
    orig = ex.render

    def spy(**kw):
        seen.append(ex.params(**kw))
        return orig(**kw)

    ex.render = spy
    start = ex.params(a=0.3)
    t = ex.step_seconds(start)
    assert t > 0.0
    first = next(n for n, c in ex.controls.items() if isinstance(c, viz.Slider))
    step = ex.controls[first].step or (ex.controls[first].hi - ex.controls[first].lo) / 100
    moved = [p[first] for p in seen[:3]]
    assert moved == pytest.approx([start[first] + step, start[first], start[first] + step])
    assert seen[-1] == start                       # the figure is left at the parameters it started from
    # a step the model refuses (a > 1.5 here): timed where it stands
    seen.clear()
    edge = ex.params(a=1.5)
    assert ex.step_seconds(edge) > 0.0 and seen[-1] == edge
    # at the upper end of a slider the step goes down instead
    fixed = viz.explore(plot_fixed, {"a": viz.Slider("a", 0.1, 1.0, 1.0, step=0.05), "phase": viz.Slider("φ", 0.0, 3.0, 0.0)},
                        alt="A sine curve of amplitude a and phase φ on fixed axes.", caption="Step down.")
    calls = []
    orig_fixed = fixed.render
    fixed.render = lambda **kw: calls.append(kw) or orig_fixed(**kw)
    fixed.step_seconds()
    assert calls[0]["a"] == pytest.approx(0.95)


def test_latency_probe_reports_recompute_and_full_redraw():
    rec = make().latency_probe()
    assert rec["worst_render_seconds"] >= rec["worst_seconds"] > 0
    assert rec["live"] in ("continuous", "on release") and rec["budget_seconds"] == viz.CURVE_BUDGET_S


def test_lock_mismatches_reports_version_differences(tmp_path):
    import importlib.metadata as md

    from qbcore import viz

    np_v = md.version("numpy")
    lock = tmp_path / "requirements.lock"
    lock.write_text(f"numpy=={np_v}\n    # via scipy\nscipy==0.0.1\nappnope==1.0.0 ; sys_platform == 'never'\n"
                    "surely-not-a-package==1.0\n")
    bad = viz.lock_mismatches(lock)
    assert any(b.startswith("scipy installed") and b.endswith("locked 0.0.1") for b in bad)
    assert "surely-not-a-package not installed, locked 1.0" in bad
    assert not any(b.startswith(("numpy", "appnope")) for b in bad)
    assert viz.lock_mismatches(tmp_path / "missing.lock") is None


# ---------------------------------------------------------------- style, legibility, figure defects
def test_axes_added_after_new_figure_get_the_book_palette():
    fig = viz.new_figure()
    ax = fig.add_subplot()  # outside any rc_context: the figure applies the style itself
    (line,) = ax.plot([0, 1], [0, 1])
    assert line.get_color().lower() == viz.PALETTE[0].lower()
    fig2 = viz.new_figure()
    a, b = fig2.subplots(1, 2)
    b.plot([0, 1], [1, 0])
    b.plot([0, 1], [0, 1])
    assert [ln.get_color().lower() for ln in b.get_lines()] == [c.lower() for c in viz.PALETTE[:2]]


def test_legible_enlarges_small_text_of_wide_figures_and_never_shrinks():
    fig = viz.new_figure((12, 4))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("x", fontsize=20)
    ax.text(0.5, 0.5, "note", fontsize=7)
    viz.legible(fig, viz.DPI)
    shown = viz.min_text_px(fig, viz.DPI) * min(1.0, viz.CONTENT_PX / (12 * viz.DPI))
    assert shown >= viz.MIN_TEXT_PX
    assert ax.xaxis.label.get_fontsize() == 20  # larger text untouched
    small = viz.new_figure((5, 3))
    small.add_subplot().set_title("t", fontsize=16)
    viz.legible(small)
    assert small.axes[0].title.get_fontsize() == 16


def test_figure_problems_finds_overlaps_cut_text_foreign_colours_and_negative_zero():
    fig = viz.new_figure((5, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#1f77b4", label="default blue")
    ax.text(0.5, 0.5, "first label")
    ax.text(0.52, 0.5, "second label")
    ax.set_title("-0.000")
    fig.text(0.98, 0.5, "far too long a text for the edge")
    msgs = viz.figure_problems(fig)
    assert any("overlaps" in m and "first label" in m for m in msgs)
    assert any("not the book's palette" in m for m in msgs)
    assert any("negative zero" in m for m in msgs)
    assert any("cut off" in m for m in msgs)
    clean = viz.new_figure((5, 3))
    cax = clean.add_subplot()
    cax.plot([0, 1], [0, -0.5], label="a")
    cax.plot([0, 1], [0, 1], color="0.5")
    cax.set_xlabel("x")
    cax.set_title("value -0.05")
    cax.legend()
    assert viz.figure_problems(clean) == []


def plot_label(fig, n):
    ax = fig.add_subplot(1, 2, 1)
    ax.plot([0, 1], [0, 1])
    ax2 = fig.add_subplot(1, 2, 2)
    im = ax2.imshow(np.arange(4.0).reshape(2, 2) * 10 ** n)
    cb = fig.colorbar(im, ax=ax)
    cb.set_label("a colour-bar label")
    ax2.set_ylabel("right y label")


def test_live_render_lays_out_anew_when_labels_grow():
    """The live path reuses its first layout; wider labels (1e6 ticks) must not then overlap."""
    ex = viz.explore(plot_label, {"n": viz.Slider("n", 0, 6, 0, integer=True)},
                     alt="A map with a colour bar whose ticks grow.", caption="Test.", frames={"n": [0, 6]})
    ex.render(n=0)
    ex.render(n=6)
    assert viz._text_issues(ex.fig) == []
    assert ex.check_live() == []


def test_static_controls_use_toggle_buttons_for_choices_and_list_fixed_parameters():
    ex = viz.explore(plot_curve, CONTROLS, alt="A toy curve y(x) whose shape depends on a and b.",
                     caption="Toy.", frames={"kind": ["parabola", "sine"], "a": [0.0, 1.0]})
    html = ex.static_html()
    assert html.count('class="qb-option"') == 2 and 'aria-pressed="true"' in html
    assert html.count('type="range"') == 1  # a; the either/or choice is not a slider
    assert "Fixed on this page: b = 0.2." in html
    q = json.loads(re.search(r'class="qb-quality">(.*?)</script>', html).group(1))
    assert len(q) == len(ex.frames) and all(f["problems"] == [] and f["min_text_px"] > 9 for f in q)


def test_widget_clears_picture_on_failure_and_uses_toggle_buttons():
    import ipywidgets as W

    ex = make()
    w = ex.widget()
    assert isinstance(w.qb_controls["kind"], W.ToggleButtons)
    out = w.children[2]
    assert out.value.startswith("<img")
    w.qb_controls["a"].value = 1.9
    assert out.value == "" and "Cannot compute" in w.qb_message.value


def test_live_figure_has_the_layout_of_the_static_frame_at_the_same_parameters():
    ex = viz.explore(plot_label, {"n": viz.Slider("n", 0, 6, 0, integer=True)},
                     alt="A map with a colour bar whose ticks grow.", caption="Test.", frames={"n": [0, 3, 6]})
    ex.compute_frames()
    assert ex.frame_layout({"n": 5}) is ex.frame_positions[2]  # nearest frame: n = 6
    for k, (params, _, _) in enumerate(ex.frames):
        ex.render(n=params["n"])
        live = [ax.get_position().extents for ax in ex.fig.axes]
        assert np.allclose(live, [b.extents for b in ex.frame_positions[k]], atol=1e-3)
    assert ex.check_live() == []
    assert all(q["problems"] == [] for q in ex.frame_quality)


def test_typed_values_are_checked_with_a_message_never_reverted_or_clamped():
    ex = make()
    w = ex.widget()
    box, slider = w.qb_boxes["b"], w.qb_controls["b"]
    for raw, expect in (("abc", "is not a number"), ("nan", "not a finite number"), ("1e9", "must lie in [0, 1]")):
        box.value = raw
        assert expect in w.qb_message.value, (raw, w.qb_message.value)
        assert slider.value == 0.2  # unchanged: neither reverted silently nor clamped
    box.value = "0.7"
    assert slider.value == 0.7 and w.qb_message.value == ""
    slider.value = 0.4
    assert box.value == "0.4"  # the box follows the slider


def test_a_slider_step_renders_once_and_keeps_its_exact_value():
    ex = make()
    w = ex.widget()
    calls = []
    orig = ex.render
    ex.render = lambda **kw: calls.append(kw) or orig(**kw)
    w.qb_controls["b"].value = 0.123456
    assert len(calls) == 1 and w.qb_controls["b"].value == 0.123456  # the box's 4 digits do not round it
    assert w.qb_boxes["b"].value == "0.1235"


def plot_fixed(fig, a, phase):
    """A curve with fixed limits and a title that shows the parameters (as the chapters do)."""
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 200)
    ax.plot(x, a * np.sin(6 * x + phase), label=r"$a\,\sin(6x + \phi)$", lw=2)
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.text(0.05, -0.85, f"peak {a:.2f}")
    ax.set(xlim=(0, 1), ylim=(-1, 1), xlabel="x", ylabel="y", title=f"a = {a:.2f}, φ = {phase:.2f}")
    ax.legend(loc="upper right")


def test_a_slider_step_that_keeps_the_axes_redraws_only_the_data_and_matches_a_full_draw():
    controls = {"a": viz.Slider("a", 0.1, 1.0, 0.5), "phase": viz.Slider("φ", 0.0, 3.0, 0.0)}
    kw = dict(alt="A sine curve of amplitude a and phase φ on fixed axes.", caption="Blitting.",
              frames={"a": [0.1, 1.0]})
    ex = viz.explore(plot_fixed, controls, **kw)
    ex.render(a=0.5)
    assert not ex.last_render_blitted, "the first render lays out and draws in full"
    ex.render(a=0.52)
    assert not ex.last_render_blitted, "the second keeps its background"
    ex.render(a=0.55)
    assert ex.last_render_blitted, "same axes, only the data changed: blitted"
    blit = _decode(ex.render(a=0.6, phase=1.0))
    assert ex.last_render_blitted
    fresh = viz.explore(plot_fixed, controls, **kw)
    full = _decode(fresh.render(a=0.6, phase=1.0))
    assert not fresh.last_render_blitted
    assert blit.shape == full.shape
    differ = np.mean(np.any(np.abs(blit.astype(int) - full.astype(int)) > 16, axis=2))
    assert differ < 0.002, f"{differ:.2%} of the pixels differ from a full draw"
    # the title (which shows the parameters) and the text were redrawn, not left from before
    other = _decode(ex.render(a=0.6, phase=2.0))
    assert np.mean(np.any(other != blit, axis=2)) > 0.005
    # new limits (another plot) mean a full draw again
    ex.plot_fn = lambda fig, a, phase: (plot_fixed(fig, a, phase), fig.axes[0].set_ylim(-2, 2))
    ex.render(a=0.6)
    assert not ex.last_render_blitted
    assert ex.check_live() == []


def test_figures_that_cannot_be_blitted_always_draw_in_full():
    def with_figure_text(fig, a):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, a])
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="x", ylabel="y")
        fig.suptitle(f"a = {a:.2f}")

    ex = viz.explore(with_figure_text, {"a": viz.Slider("a", 0.0, 1.0, 0.5)},
                     alt="A straight line of slope a.", caption="Figure title.")
    ex.render(a=0.5)
    ex.render(a=0.6)
    assert not ex.last_render_blitted


def test_live_axes_keep_their_limits_while_the_data_fit_and_never_clip():
    def plot(fig, a):
        ax = fig.add_subplot()
        x = np.linspace(0, 1, 100)
        ax.plot(x, a * x)
        ax.set(xlabel="x", ylabel="y", title=f"slope {a:.2f}")

    ex = viz.explore(plot, {"a": viz.Slider("a", 0.1, 10.0, 1.0)}, alt="A straight line of slope a.",
                     caption="Steady limits.")
    ex.render(a=1.0)
    y0 = ex.fig.axes[0].get_ylim()
    for a in (0.95, 0.9, 0.85, 0.8, 0.7):  # the line shrinks: the axis stays while it is 60 % full
        ex.render(a=a)
        lo, hi = ex.fig.axes[0].get_ylim()
        assert lo <= 0 and hi >= a, "never clipped"
        if (a - 0) / (y0[1] - y0[0]) >= 0.65:
            assert (lo, hi) == y0, f"a = {a}: limits changed although the data fill them"
    assert ex.last_render_blitted or ex.fig.axes[0].get_ylim() != y0
    ex.render(a=0.2)  # far smaller: autoscaled afresh
    assert ex.fig.axes[0].get_ylim()[1] < 0.5 * y0[1]
    ex.render(a=5.0)  # larger: never clipped
    assert ex.fig.axes[0].get_ylim()[1] >= 5.0
    # only live steps keep limits: a first render (and every static frame) is autoscaled on its own
    fresh = viz.explore(plot, {"a": viz.Slider("a", 0.1, 10.0, 1.0)}, alt="A straight line of slope a.",
                        caption="Steady limits.")
    fresh.render(a=0.8)
    assert fresh.fig.axes[0].get_ylim()[1] < 0.9 < y0[1]


def test_a_frame_parameter_with_one_value_is_refused():
    """One value would put a control on the page that cannot move (a dead control)."""
    with pytest.raises(ValueError, match=r"frames\['b'\] gives only the default value 0.2"):
        viz.explore(plot_curve, CONTROLS, alt="A toy curve.", caption="Toy.", frames={"a": [0.0, 1.0], "b": [0.2]})


def plot_two_maps(fig, s, label):
    ax1, ax2 = fig.subplots(1, 2)
    x = np.linspace(0.0, 1.0, 41)
    for k, ax in enumerate((ax1, ax2)):
        im = ax.pcolormesh(x, x, s * (k + 1) * np.outer(x, x), cmap=viz.CMAP, shading="auto")
        fig.colorbar(im, ax=ax, label=f"{label} (map {k + 1})")
        ax.set_xlabel("x")
        ax.set_ylabel("y")


def test_a_map_step_keeps_its_axes_and_colour_bars_and_matches_a_fresh_draw():
    """Colour bars are recycled with the axes (no new axes, no new ticks) and show the new map's range."""
    import matplotlib.axis as maxis

    controls = {"s": viz.Slider("s", 1.0, 5.0, 2.0), "label": viz.Choice("label", ("W", "E"), "W")}
    kw = dict(alt="Two colour maps of s times x times y, each with its colour bar.", caption="Recycled colour bars.",
              frames={"s": [1.0, 5.0]}, figsize=(9, 3.5))
    ex = viz.explore(plot_two_maps, controls, **kw)
    ex.render(s=2.0)
    axes = [id(a) for a in ex.fig.axes]
    assert len(axes) == 4, "two maps and their two colour bars"
    made = []
    orig = maxis.Tick.__init__

    def counting(self, *a, **k):
        made.append(1)
        orig(self, *a, **k)

    maxis.Tick.__init__ = counting
    try:
        live = _decode(ex.render(s=3.7))
    finally:
        maxis.Tick.__init__ = orig
    assert [id(a) for a in ex.fig.axes] == axes, "the same four axes, colour bars included"
    assert len(made) <= 4, f"{len(made)} tick objects were made anew"
    maps = [ax.collections[0] for ax in ex.fig.axes[:2]]           # this redraw's meshes ...
    cbars = [m.colorbar for m in maps]
    assert all(cb is not None and cb.mappable is m for cb, m in zip(cbars, maps))  # ... are what the bars show
    assert [cb.vmax for cb in cbars] == pytest.approx([3.7, 7.4])
    # back at the first parameters (whose layout the live figure keeps), the recycled figure is a fresh one
    back = _decode(ex.render(s=2.0))
    assert np.mean(np.any(back != live, axis=2)) > 0.005, "the colour bars were redrawn (the maps are scaled alike)"
    fresh = viz.explore(plot_two_maps, controls, **kw)
    full = _decode(fresh.render(s=2.0))
    assert back.shape == full.shape
    differ = np.mean(np.any(np.abs(back.astype(int) - full.astype(int)) > 16, axis=2))
    assert differ < 0.002, f"{differ:.2%} of the pixels differ from a fresh draw"
    # another label is another colour-bar call: that redraw builds new colour bars, and the old ones go
    ex.render(s=3.7, label="E")
    assert len(ex.fig.axes) == 4
    assert sorted(a.get_ylabel() for a in ex.fig.axes[2:]) == ["E (map 1)", "E (map 2)"]
    assert ex.check_live() == []
