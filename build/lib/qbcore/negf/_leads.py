"""The leads: names, retarded surface Green function (closed form and its derivative), Sancho–Rubio decimation."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as V
from ._ranges import ENERGY_LIMIT, _energy, _energy_array, _hopping

#: Lead names accepted everywhere a lead is selected.
LEADS: tuple[str, str] = ("L", "R")


# ----------------------------------------------------------------------------- lead functions
def surface_green(w: Any, eps: float, h: float) -> np.ndarray | complex:
    r"""Retarded surface Green function of a semi-infinite chain, :math:`g(\omega + i0^+)`.

    Parameters
    ----------
    w : float or array_like
        Real energies, :math:`|\omega| \le 10^6 h`.
    eps : float
        On-site energy (band centre) of the chain, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``); the band is
        :math:`[\varepsilon - 2h, \varepsilon + 2h]`.

    Returns
    -------
    complex or ndarray of complex
        :math:`g = 2/(z + q)` (units of :math:`1/h`) with :math:`z = \omega - \varepsilon`,
        :math:`q = i\sqrt{4h^2 - z^2}` inside the band and :math:`q = \mathrm{sgn}(z)\sqrt{z^2 - 4h^2}`
        outside. This is the causal root of :math:`h^2 g^2 - z g + 1 = 0` (:math:`\mathrm{Im}\,g \le 0`,
        :math:`|h g| \le 1`), written in the cancellation-free form. Same shape as ``w``.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
    """
    h = _hopping(h, "h")
    eps = _energy(eps, "eps", h)
    g = _surface_green(_energy_array(w, "w", h), eps, h)
    return g if g.ndim else complex(g)


def _surface_green(w: np.ndarray, eps: float, h: float) -> np.ndarray:
    """:func:`surface_green` without input checks (hot path)."""
    z = w - eps
    inside = np.abs(z) < 2.0 * h
    root = np.sqrt(np.abs(z * z - 4.0 * h * h))
    q = np.where(inside, 1j * root, np.where(z >= 0.0, 1.0, -1.0) * root)
    return 2.0 / (z + q)


def surface_green_derivative(w: Any, eps: float, h: float) -> np.ndarray | complex:
    r"""Energy derivative :math:`dg/d\omega = -g^2/(1 - h^2 g^2)` of :func:`surface_green`.

    Parameters
    ----------
    w : float or array_like
        Real energies, :math:`|\omega| \le 10^6 h`.
    eps : float
        Band centre of the chain, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).

    Returns
    -------
    complex or ndarray of complex
        :math:`dg/d\omega` in units of :math:`1/h^2`, same shape as ``w``. Finite (and negative,
        real) outside the band and finite inside it; infinite or NaN exactly at the band edges
        :math:`\omega = \varepsilon \pm 2h`, where it diverges like :math:`|\omega - \varepsilon \mp 2h|^{-1/2}`.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
    """
    g = np.asarray(surface_green(w, eps, h))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = -g * g / (1.0 - h * h * g * g)
    return d if d.ndim else complex(d)


def decimation_surface_green(w: float, eps: float, h: float, eta: float = 1e-9, tol: float = 1e-15) -> complex:
    r"""Surface Green function :math:`g(\omega + i\eta)` by Sancho–Rubio decimation (a numerical check).

    Independent of :func:`surface_green`: the chain is renormalised by repeatedly eliminating
    every other site, doubling the effective length per step, until the couplings vanish.
    Accurate to ``O(eta)``; ill-conditioned exactly at ``w = eps`` (use a nearby energy).

    Parameters
    ----------
    w : float
        Real energy, :math:`|\omega| \le 10^6 h`.
    eps : float
        Band centre, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).
    eta : float
        Broadening (energy units), ``0 < eta <= 1e6 h``.
    tol : float
        Stop when the renormalised couplings (energy units) fall below ``tol``, ``tol > 0``.

    Returns
    -------
    complex
        :math:`g(\omega + i\eta)` in units of :math:`1/h`.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
    """
    h = _hopping(h, "h")
    w = _energy(w, "w", h)
    eps = _energy(eps, "eps", h)
    eta = V.real_number(eta, "eta", lo=0.0, hi=ENERGY_LIMIT * h, lo_open=True)
    tol = V.real_number(tol, "tol", lo=0.0, lo_open=True)
    z = complex(w, eta)
    e_surf, e_bulk, a, b = complex(eps), complex(eps), complex(-h), complex(-h)
    for _ in range(500):
        g = 1.0 / (z - e_bulk)
        e_surf += a * g * b
        e_bulk += a * g * b + b * g * a
        a, b = a * g * a, b * g * b
        if abs(a) + abs(b) < tol:
            break
    return 1.0 / (z - e_surf)
