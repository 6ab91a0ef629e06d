"""Parameter ranges of the dot model, the default accuracy settings, and the input checks that enforce them."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as V

#: Gauss nodes per piece (the Kronrod extension adds ``N_NODES + 1``).
N_NODES = 16
#: Default target accuracy of every continuum integral (see the module docstring).
TOL = 1e-11
#: Accepted range of ``tol``: below ~1e-13 round-off in the sums dominates.
TOL_RANGE: tuple[float, float] = (1e-13, 1e-2)
#: Accepted range of ``n_nodes``. After the substitution :math:`\omega = c - r\cos\theta` even a constant
#: integrand becomes :math:`\sin\theta`, which the ``n``-point Gauss rule integrates with a relative
#: error that bisection cannot reduce: 8e-6 for ``n = 4``, 9e-13 for ``n = 7``, 3e-15 for ``n = 8``.
N_NODES_RANGE: tuple[int, int] = (8, 200)

#: Energies must satisfy ``|E| <= ENERGY_LIMIT * h_max``, temperatures ``0 <= T <= ENERGY_LIMIT * h_max``.
ENERGY_LIMIT = 1e6
#: Smallest accepted positive temperature, in units of ``h_max`` (``T = 0`` is accepted too).
T_FLOOR = 1e-12
#: Accepted lead hoppings (absolute, in the energy unit of the caller).
HOPPING_RANGE: tuple[float, float] = (1e-6, 1e6)
#: Smallest accepted ratio ``min(h_L, h_R) / max(h_L, h_R)``.
MIN_HOPPING_RATIO = 1e-3
#: Accepted couplings ``v_alpha / h_alpha``.
COUPLING_RANGE: tuple[float, float] = (1e-3, 1e2)


# ----------------------------------------------------------------------------- input checks
def _energy(x: Any, name: str, unit: float) -> float:
    """``x`` as a finite float with ``|x| <= ENERGY_LIMIT * unit``, else ``ValueError``."""
    val = V.real_number(x, name)
    _check_energy_range(np.abs(val), name, unit)
    return val


def _energy_array(x: Any, name: str, unit: float) -> np.ndarray:
    """Array version of :func:`_energy`."""
    arr = V.real_array(x, name)
    if arr.size:
        _check_energy_range(float(np.max(np.abs(arr))), name, unit)
    return arr


def _check_energy_range(largest: float, name: str, unit: float) -> None:
    lim = ENERGY_LIMIT * unit
    if largest > lim:
        raise ValueError(f"{name} must lie in [-{ENERGY_LIMIT:g} h, {ENERGY_LIMIT:g} h] = [{-lim:g}, {lim:g}] "
                         f"(h = {unit:g}, the largest lead hopping); got a value of magnitude {largest:g}")


def _temperature_array(x: Any, name: str, unit: float) -> np.ndarray:
    """Temperatures ``0`` or in ``[T_FLOOR, ENERGY_LIMIT] * unit``, else ``ValueError``."""
    arr = V.real_array(x, name)
    lo, hi = T_FLOOR * unit, ENERGY_LIMIT * unit
    bad = (arr < 0.0) | ((arr > 0.0) & (arr < lo)) | (arr > hi)
    if np.any(bad):
        raise ValueError(f"{name} must be 0 or lie in [{T_FLOOR:g} h, {ENERGY_LIMIT:g} h] = [{lo:g}, {hi:g}] "
                         f"(a temperature; h = {unit:g}, the largest lead hopping); got {float(arr[bad].flat[0]):g}")
    return arr


def _hopping(x: Any, name: str) -> float:
    """A lead hopping inside :data:`HOPPING_RANGE`, else ``ValueError``."""
    val = V.real_number(x, name)
    lo, hi = HOPPING_RANGE
    if not lo <= val <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}] (a lead hopping); got {val:g}")
    return val


def _coupling(x: Any, name: str, h: float, h_name: str) -> float:
    """A tunnelling amplitude with ``v/h`` inside :data:`COUPLING_RANGE`, else ``ValueError``."""
    val = V.real_number(x, name)
    lo, hi = COUPLING_RANGE
    if not lo * h <= val <= hi * h:
        raise ValueError(f"{name} must lie in [{lo:g} {h_name}, {hi:g} {h_name}] = [{lo * h:g}, {hi * h:g}] "
                         f"({h_name} = {h:g}); got {val:g}")
    return val


def _tolerance(tol: Any) -> float:
    lo, hi = TOL_RANGE
    val = V.real_number(tol, "tol")
    if not lo <= val <= hi:
        raise ValueError(f"tol must lie in [{lo:g}, {hi:g}] (target accuracy of the integrals); got {val:g}")
    return val


def _node_count(n_nodes: Any) -> int:
    lo, hi = N_NODES_RANGE
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or not lo <= n_nodes <= hi:
        raise ValueError(f"n_nodes must be an integer in [{lo}, {hi}]; got {n_nodes!r}")
    return int(n_nodes)


def _as_param(x: Any, name: str, unit: float, *, temperature: bool = False) -> np.ndarray:
    return _temperature_array(x, name, unit) if temperature else _energy_array(x, name, unit)
