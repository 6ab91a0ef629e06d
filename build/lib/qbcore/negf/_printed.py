"""The paper's formulas as printed, kept for comparison only (not used by any calculation)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._ranges import _energy, _energy_array, _hopping


def printed_self_energy(w: Any, eps: float, h: float, v: float) -> np.ndarray | complex:
    r"""The self-energy *as printed* in the paper, for comparison only (inside the band).

    The paper prints :math:`\Sigma^r = v^2 e^{-ik}/h` together with the dispersion
    :math:`\omega = \varepsilon - 2h\cos k`. Taking :math:`k \in [0, \pi]` (so that
    :math:`\mathrm{Im}\,\Sigma \le 0`) this gives :math:`\mathrm{Re}\,\Sigma = -v^2 (\omega - \varepsilon)/(2h^2)`,
    the *opposite* sign of the causal result :math:`v^2 (\omega - \varepsilon)/(2h^2)`.
    Not used by any calculation in :mod:`qbcore`.

    Parameters
    ----------
    w : float or array_like
        Energies inside the band, :math:`|\omega - \varepsilon| \le 2h`.
    eps : float
        Band centre, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).
    v : float
        Tunnelling amplitude (energy units), finite, :math:`|v| \le 10^6 h`.

    Returns
    -------
    complex or ndarray of complex
        :math:`v^2 e^{-ik}/h` (energy units), same shape as ``w``.

    Raises
    ------
    ValueError
        For non-finite input, values outside the ranges above, or ``w`` outside the band.
    """
    h = _hopping(h, "h")
    eps = _energy(eps, "eps", h)
    v = _energy(v, "v", h)
    z = _energy_array(w, "w", h) - eps
    if np.any(np.abs(z) > 2.0 * h):
        raise ValueError(f"w must lie inside the band [eps - 2h, eps + 2h] = [{eps - 2 * h}, {eps + 2 * h}]")
    k = np.arccos(-z / (2.0 * h))
    out = v * v * np.exp(-1j * k) / h
    return out if out.ndim else complex(out)
