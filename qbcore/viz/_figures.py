"""Static figures: HTML with alt text and caption, the figure's numerical content."""
from __future__ import annotations

import html
import json

import numpy as np
from matplotlib.figure import Figure

from ._style import _png, figure_problems, legible, min_text_px


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
    legible(fig, dpi)
    fig.set_dpi(dpi)  # lay out, save and check the figure at the resolution of its PNG
    fig.draw_without_rendering()  # a constrained layout settles in two passes
    uri = _png(fig, dpi)
    return (f'<figure class="qb-figure"><img src="{uri}" alt="{html.escape(alt)}" '
            f'{_quality_attrs(fig, dpi)} style="max-width:100%">'
            f'<figcaption class="qb-caption mathjax_process">{caption}</figcaption></figure>')


def _quality(fig: Figure, dpi: float) -> dict:
    """What the browser test checks of a rendered figure: smallest text, defects."""
    return {"min_text_px": round(min_text_px(fig, dpi), 2), "problems": figure_problems(fig)}


def _quality_attrs(fig: Figure, dpi: float) -> str:
    q = _quality(fig, dpi)
    return (f'data-min-text-px="{q["min_text_px"]}" '
            f'data-problems="{html.escape(json.dumps(q["problems"]))}"')


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


