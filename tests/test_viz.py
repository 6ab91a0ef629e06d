"""The interactive-figure API: live callbacks, static frames, error handling, metadata."""
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
    assert rec["kind"] == "map" and rec["budget_seconds"] == 1.0 and rec["updates"] == 3
