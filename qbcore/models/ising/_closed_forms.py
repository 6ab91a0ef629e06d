"""Closed forms: the two-cell cycle (Kirchhoff) and the uncoupled three-cell ergotropy."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ... import _validate as V
from ._model import _n_cells, _parse_temperatures


# --------------------------------------------------------------------------- two cells, closed form
def two_cell_closed_form(T_L: Any, T_R: Any, omega: float = 1.0, lam: Any = 0.1) -> np.ndarray:
    r"""Exact stationary populations of the two-cell battery (equal :math:`\omega`, :math:`|\lambda|<\omega`).

    The four product states form one cycle
    :math:`\uparrow\uparrow \overset{R}{-} \uparrow\downarrow \overset{L}{-} \downarrow\downarrow
    \overset{R}{-} \downarrow\uparrow \overset{L}{-} \uparrow\uparrow`, with the flips at
    :math:`\nu=\omega+\lambda` (touching :math:`\uparrow\uparrow`) and :math:`\mu=\omega-\lambda`
    (touching :math:`\downarrow\downarrow`). Kirchhoff's spanning-tree formula gives the weights
    below, with :math:`x=n_R(\nu)`, :math:`y=n_R(\mu)`, :math:`u=n_L(\nu)`, :math:`v=n_L(\mu)`
    (derived independently of :func:`sweep`; used to test it).

    Parameters
    ----------
    T_L, T_R : array_like
        Temperatures of the left and right baths (energy), ``>= 0`` (broadcast with ``lam``).
    omega : float
        Common cell frequency (energy), ``> 0``.
    lam : array_like
        Coupling :math:`\lambda` (energy), :math:`|\lambda| < \omega` (so that :math:`\nu, \mu > 0`).

    Returns
    -------
    ndarray, shape (..., 4)
        Populations of ``↑↑, ↑↓, ↓↑, ↓↓``, summing to 1.

    Raises
    ------
    ValueError
        For ``omega <= 0``, :math:`|\lambda| \ge \omega`, a negative temperature or non-finite values.
    """
    omega = V.real_number(omega, "omega", lo=0.0, lo_open=True)
    lam = V.real_array(lam, "lam")
    if np.any(np.abs(lam) >= omega):
        raise ValueError(f"lam must satisfy |lam| < omega = {omega} for the closed form; got {lam}")
    TL, TR = _parse_temperatures((T_L, T_R), 2)
    nu, mu = omega + lam, omega - lam

    def bose(w, T):
        T = np.asarray(T, float)
        safe = np.where(T > 0, T, 1.0)
        return np.where(T > 0, 1.0 / np.expm1(np.minimum(w / safe, 700.0)), 0.0)

    x, y, u, v = bose(nu, TR), bose(mu, TR), bose(nu, TL), bose(mu, TL)
    pa = mu * (u * y * (v + 1) + v * x * (y + 1)) + nu * u * x * (v + y)
    pb = mu * v * (y + 1) * (u + x + 2) + nu * u * (x + 1) * (v + y)
    pc = mu * y * (v + 1) * (u + x + 2) + nu * x * (u + 1) * (v + y)
    pd = mu * (v + 1) * (y + 1) * (u + x + 2) + nu * (u * (v + 1) * (x + 1) + x * (u + 1) * (y + 1))
    p = np.stack(np.broadcast_arrays(pa, pb, pc, pd), -1)
    return p / p.sum(-1, keepdims=True)


def uncoupled_ergotropy(temperatures: Sequence[Any], omega: float = 1.0) -> np.ndarray:
    r"""Closed-form ergotropy at :math:`\lambda = 0` (independent cells, equal :math:`\omega`).

    Each cell is then a qubit in its own Gibbs state, excited with probability
    :math:`q_i = 1/(e^{\omega/T_i}+1)`. Two cells are always passive. For three, with the cells
    sorted as coldest :math:`c` and the others :math:`h, h'`, the only possible inversion is the
    doubly excited :math:`|h\,h'\rangle` level above the singly excited :math:`|c\rangle` level, so

    .. math::
        \mathcal W = \omega\,\big[q_h q_{h'}(1-q_c) - q_c(1-q_h)(1-q_{h'})\big]_+ ,

    positive iff :math:`1/T_c > 1/T_h + 1/T_{h'}`.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 array_like
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``, broadcast together.
    omega : float
        Common cell frequency (energy), ``> 0``.

    Returns
    -------
    ndarray
        :math:`\mathcal W` (energy units) over the broadcast shape of the temperatures; zeros for two cells.

    Raises
    ------
    ValueError
        For a wrong number of temperatures, a negative or non-finite one, or ``omega <= 0``.
    """
    n = _n_cells(temperatures)
    omega = V.real_number(omega, "omega", lo=0.0, lo_open=True)
    Ts = np.broadcast_arrays(*_parse_temperatures(temperatures, n))
    if n == 2:
        return np.zeros(Ts[0].shape)
    T = np.sort(np.stack(Ts, -1), -1)
    safe = np.where(T > 0, T, 1.0)
    q = np.where(T > 0, 1.0 / (np.exp(np.minimum(omega / safe, 700.0)) + 1.0), 0.0)
    qc, qh, qh2 = q[..., 0], q[..., 1], q[..., 2]
    return omega * np.maximum(qh * qh2 * (1 - qc) - qc * (1 - qh) * (1 - qh2), 0.0)
