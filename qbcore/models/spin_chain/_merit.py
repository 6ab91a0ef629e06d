"""Figures of merit: the normalised stored energy and the exergies of the paper."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ...thermo import roundoff_zero
from ._sweep import Sweep


# --------------------------------------------------------------------------- figures of merit
def _fields(obj: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(energy, energies ascending, populations or rho-eigenvalues) of a SteadyState or Sweep."""
    if isinstance(obj, Sweep):
        return obj.energy, obj.energies, obj.spectrum
    if isinstance(obj, master.SteadyState):
        return np.asarray(obj.energy), obj.energies, np.clip(np.linalg.eigvalsh(obj.rho), 0.0, None)
    raise ValueError(f"expected a SteadyState from spin_chain.steady_state or a spin_chain.Sweep; got {type(obj).__name__}")


def stored_energy(obj: Any, normalized: bool = True) -> Any:
    r"""Stored energy :math:`\mathrm{Tr}\rho H - E_{gs}`, divided by :math:`E_{max} - E_{gs}` if ``normalized``.

    The paper's :math:`\Delta E_B(\infty)` (eq. 15 and the normalisation stated with Figs. 3–4).

    Parameters
    ----------
    obj : qbcore.master.SteadyState or Sweep
        A :func:`steady_state` result or a :func:`sweep` / :func:`delta_dT_map` result.
    normalized : bool
        ``True`` (default): divide by the spectral width :math:`E_{max} - E_{gs}` (dimensionless, in
        ``[0, 1]``); ``False``: energy units.

    Returns
    -------
    float or ndarray
        A float for a steady state, an array of the sweep's shape for a :class:`Sweep`.

    Raises
    ------
    ValueError
        If ``obj`` is neither.
    """
    en, E, _ = _fields(obj)
    val = en - E[..., 0]
    if normalized:
        val = val / (E[..., -1] - E[..., 0])
    return float(val) if np.ndim(val) == 0 else val


def _passive_exergy(spec: np.ndarray, E: np.ndarray, T: float) -> np.ndarray:
    p = np.sort(spec, axis=-1)[..., ::-1]
    e_pass = np.sum(p * E, axis=-1)
    if T == 0.0:
        return e_pass - E[..., 0]
    plogp = np.where(p > 1e-300, p * np.log(np.where(p > 1e-300, p, 1.0)), 0.0)
    S = -np.sum(plogp, axis=-1)
    lnZ = np.log(np.sum(np.exp(-(E - E[..., :1]) / T), axis=-1))     # shifted by E_gs
    return e_pass - E[..., 0] - T * S + T * lnZ


def exergy(obj: Any, T_eq: float) -> Any:
    r"""The paper's exergy (eq. 19): :math:`\Sigma_{ex} = F(\rho_p) - F(\rho_{eq})` at :math:`T_{eq}`.

    :math:`\rho_p` is the *passive* state of the steady state, :math:`\rho_{eq}` the Gibbs state
    at :math:`T_{eq}`, :math:`F(\sigma) = \mathrm{Tr}\,\sigma H - T_{eq}S(\sigma)`. This is the exergy of
    the passive state (Kamin *et al.* 2021: the energy left after ergotropy extraction that a
    bath at :math:`T_{eq}` can still turn into work), i.e. ``qbcore.thermo.exergy(passive_state(rho), H, T_eq)``
    and ``total_exergy(obj, T_eq) - ergotropy``. At ``T_eq = 0`` it is the passive state's
    energy above the ground level.

    Parameters
    ----------
    obj : qbcore.master.SteadyState or Sweep
        A :func:`steady_state` result or a :func:`sweep` / :func:`delta_dT_map` result.
    T_eq : float
        Temperature of the reference bath (energy), ``>= 0``.

    Returns
    -------
    float or ndarray
        :math:`\Sigma_{ex} \ge 0` in energy units (round-off clamped to exactly 0); an array of the
        sweep's shape for a :class:`Sweep`.

    Raises
    ------
    ValueError
        For ``T_eq < 0`` or not finite, or an ``obj`` of another type.
    """
    T = V.temperature(T_eq, "T_eq")
    en, E, spec = _fields(obj)
    val = _passive_exergy(spec, E, T)
    return roundoff_zero(val, np.maximum(np.abs(E).max(-1), T * np.log(E.shape[-1])))


def total_exergy(obj: Any, T_eq: float) -> Any:
    r"""Exergy of the state itself, :math:`F(\rho) - F(\rho_{eq})` (= ``qbcore.thermo.exergy``) = ergotropy + :func:`exergy`.

    Parameters
    ----------
    obj : qbcore.master.SteadyState or Sweep
        A :func:`steady_state` result or a :func:`sweep` / :func:`delta_dT_map` result.
    T_eq : float
        Temperature of the reference bath (energy), ``>= 0``.

    Returns
    -------
    float or ndarray
        Energy units; an array of the sweep's shape for a :class:`Sweep`.

    Raises
    ------
    ValueError
        For ``T_eq < 0`` or not finite, or an ``obj`` of another type.
    """
    T = V.temperature(T_eq, "T_eq")
    ex = exergy(obj, T)                          # validates obj
    erg = obj.ergotropy
    return ex + (float(erg) if np.ndim(erg) == 0 else erg)
