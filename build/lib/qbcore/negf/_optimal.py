"""The gate setting that maximises the exergy at fixed reservoirs (:func:`optimal_level`)."""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar

from ._dot import Dot, steady_state
from ._ranges import TOL, _energy, _temperature_array, _tolerance


def optimal_level(dot: Dot, mu_L: float, mu_R: float, T_L: float, T_R: float, mu_eq: float, T_eq: float,
                  bounds: tuple[float, float] | None = None, n_grid: int = 241,
                  tol: float = TOL) -> tuple[float, float]:
    r"""The gate setting :math:`\varepsilon_{QB}^*` that maximises :math:`\beta W_{ext}` at fixed reservoirs.

    A vectorised scan over ``n_grid`` levels finds the global maximum; a bounded Brent search
    refines it to ~1e-8.

    Parameters
    ----------
    dot : Dot
        Lead parameters (its ``eps_qb`` is ignored).
    mu_L, mu_R : float
        Chemical potentials of the reservoirs, :math:`|\mu| \le 10^6 h_{max}`.
    T_L, T_R : float
        Their temperatures: 0 or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    mu_eq : float
        Chemical potential of the reference for the exergy, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
    T_eq : float
        Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.
    bounds : (float, float), optional
        Search interval (``bounds[0] < bounds[1]``, within :math:`\pm 10^6 h_{max}`); default:
        the chemical potentials widened by ``1 + 10 max(T)`` on each side, clipped to the lead
        bands (where no bound state forms).
    n_grid : int
        Scan points (>= 11).
    tol : float
        Accuracy of the exergy integrals, see :func:`steady_state`.

    Returns
    -------
    (float, float)
        :math:`(\varepsilon_{QB}^*, \beta W_{ext}^*)` (energy units, nats).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot` or out-of-range parameters.
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    unit = dot.energy_scale
    vals = [_energy(x, n, unit) for x, n in ((mu_L, "mu_L"), (mu_R, "mu_R"), (mu_eq, "mu_eq"))]
    temps = [float(_temperature_array(x, n, unit)) for x, n in ((T_L, "T_L"), (T_R, "T_R"), (T_eq, "T_eq"))]
    if temps[2] == 0.0:
        raise ValueError("T_eq must be > 0 (the exergy beta*W_ext diverges as T_eq -> 0)")
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 11:
        raise ValueError(f"n_grid must be an integer >= 11; got {n_grid!r}")
    tol = _tolerance(tol)
    if bounds is None:
        pad = 1.0 + 10.0 * max(temps)
        lo, hi = min(vals) - pad, max(vals) + pad
        edge = dot.support
        lo, hi = max(lo, edge[0][0] + 0.05), min(hi, edge[-1][1] - 0.05)
    else:
        lo = _energy(bounds[0], "bounds[0]", unit)
        hi = _energy(bounds[1], "bounds[1]", unit)
        if not hi > lo:
            raise ValueError(f"bounds must satisfy bounds[0] < bounds[1]; got {tuple(bounds)}")

    def curve(e: Any) -> Any:
        return steady_state(dot, mu_L, mu_R, T_L, T_R, eps_qb=e, tol=tol).exergy(mu_eq, T_eq)

    grid = np.linspace(lo, hi, int(n_grid))
    bw = np.asarray(curve(grid))
    i = int(np.argmax(bw))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = minimize_scalar(lambda e: -float(curve(e)), bounds=(a, b), method="bounded",
                          options={"xatol": 1e-9})
    if -res.fun >= bw[i]:
        return float(res.x), float(-res.fun)
    return float(grid[i]), float(bw[i])
