r"""The result type :class:`StarSteadyState` and the battery's ergotropy.

The battery's reduced state is diagonal (see the package docstring), so its ergotropy is
:math:`\mathcal E = 2\omega_0\max(0, 2p_1 - 1)`, :math:`\mathcal E_{\max} = 2\omega_0` and
:math:`\mathcal W = \mathcal E/\mathcal E_{\max} = \max(0, 2p_1 - 1)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ...thermo import ergotropy as _ergotropy
from ...thermo import roundoff_zero
from ._model import Params, _bits, _real, hamiltonian


@dataclass
class StarSteadyState:
    r"""Steady state of the network with the battery's reduced state.

    Energies in the unit of ``omega0`` (:math:`\hbar = k_B = 1`).

    Parameters
    ----------
    params, battery_state, rho, H, energy, ergotropy, populations, kernel_dim, battery_unique, min_eigenvalue, method, extra
        The attributes below; built by :func:`steady_state`, not by hand.

    Attributes
    ----------
    params : Params
        The validated parameter point.
    battery_state : ndarray, shape (2, 2)
        Reduced state of qubit 1 (basis: excited, ground); diagonal in every steady state.
    rho : ndarray, shape (2**N, 2**N), or None
        Full state (``N <= 10`` with the exact solvers; None from the symmetric solver).
    H : ndarray, shape (2**N, 2**N), or None
        :math:`H_S` of :func:`hamiltonian` (energy units), when ``rho`` is available.
    energy : float
        :math:`\mathrm{Tr}\,\rho H_S` of the whole network (energy units).
    ergotropy : float
        Ergotropy of the whole network (energy units, ``>= 0``); equals
        ``qbcore.thermo.ergotropy(rho, H)`` when ``rho`` is available, and comes from the spectra with
        multiplicities in the symmetric solver. Exactly 0 for a passive state.
    populations : ndarray or None
        Full-state populations in the eigenbasis of :math:`H_S` (energies ascending), when ``rho`` is
        available.
    kernel_dim : int
        Dimension of the generator's kernel on the :math:`q = 0` sector (1 = unique steady state).
    battery_unique : bool
        Whether every steady state has the same battery state (true whenever ``kernel_dim == 1``).
    min_eigenvalue : float
        Smallest eigenvalue of the full state (``>= -1e-10`` for a physical state).
    method : str
        ``"sector-lu"``, ``"sector-gmres"``, ``"sector-collective"``, ``"symmetric"`` or ``"dense"``.
    extra : dict
        ``ancilla_population`` (mean per ancilla), ``ground_energy`` (lowest eigenvalue of
        :math:`H_S`) and solver details (``residual``, ``unknowns``, ``solution``).
    battery_population : float
        Excited population :math:`p_1` of the battery, in ``[0, 1]`` (property).
    battery_H : ndarray, shape (2, 2)
        :math:`\omega_0\sigma^z` (property).
    battery_energy : float
        :math:`\omega_0\langle\sigma^z_1\rangle` (property, energy units).
    battery_ergotropy : float
        Battery ergotropy in energy units, in ``[0, 2 omega0]`` (property).
    battery_ergotropy_normalized : float
        ``battery_ergotropy / (2 omega0)``, in ``[0, 1]`` (property).
    bloch_vector : ndarray, shape (3,)
        Battery Bloch vector (property).
    is_unique, is_positive : bool
        ``kernel_dim == 1``; ``min_eigenvalue >= -1e-10`` (properties).
    stored_energy : float
        Network energy above the ground state of :math:`H_S` (property, energy units).
    relaxation_rate : float
        Gap of the generator of the charging dynamics (energy units; computed on first access): the
        permutation-symmetric generator for the local star (``N <= 56``), the :math:`q = 0` sector
        otherwise (``N <= 6``); ``ValueError`` beyond. See the notes of :func:`charging_curve`.
    currents : qbcore.master.BathCurrents
        Currents into the network from every reservoir (keys ``"battery"``, ``"ancilla 2"``, ...,
        ``"ancilla N"``, or ``"common reservoir"``), with the effective chemical potentials
        :math:`\mu_k + 2\omega_0 - \omega` at which each dissipator obeys detailed balance (property).
    energy_currents, particle_currents : dict of str to float
        :math:`J_{E,k} = \mathrm{Tr}[H_S\mathcal D_k\rho]` and :math:`J_{N,k} = \mathrm{Tr}[\hat N\mathcal D_k\rho]`,
        :math:`\hat N = \sum_i\sigma^+_i\sigma^-_i` (properties).
    entropy_production : float
        :math:`\sigma = -\sum_k (J_{E,k} - \mu_k J_{N,k})/T` (nats per unit time; property).
    relaxation_time : float
        :math:`1/` ``relaxation_rate`` (property).
    """

    params: Params
    battery_state: np.ndarray
    rho: np.ndarray | None
    H: np.ndarray | None
    energy: float
    ergotropy: float
    populations: np.ndarray | None
    kernel_dim: int
    battery_unique: bool
    min_eigenvalue: float
    method: str
    extra: dict = field(default_factory=dict)

    @property
    def battery_population(self) -> float:
        """Excited-state population :math:`p_1` of the battery."""
        return float(np.real(self.battery_state[0, 0]))

    @property
    def battery_H(self) -> np.ndarray:
        r"""Battery Hamiltonian :math:`\omega_0\sigma^z`."""
        return self.params.omega0 * np.diag([1.0, -1.0]).astype(complex)

    @property
    def battery_energy(self) -> float:
        r"""Battery energy :math:`\omega_0\langle\sigma^z_1\rangle` (energy units)."""
        return float(np.real(np.trace(self.battery_state @ self.battery_H)))

    @property
    def battery_ergotropy(self) -> float:
        """Battery ergotropy (energy units): ``qbcore.thermo.ergotropy(battery_state, battery_H)``."""
        return float(_ergotropy(self.battery_state, self.battery_H))

    @property
    def battery_ergotropy_normalized(self) -> float:
        r"""Battery ergotropy over :math:`\mathcal E_{\max} = 2\omega_0` (dimensionless, in ``[0, 1]``)."""
        return self.battery_ergotropy / max_ergotropy(self.params.omega0)

    @property
    def bloch_vector(self) -> np.ndarray:
        r"""Battery Bloch vector :math:`(\langle\sigma^x\rangle, \langle\sigma^y\rangle, \langle\sigma^z\rangle)`."""
        r = self.battery_state
        return np.array([2 * r[0, 1].real, -2 * r[0, 1].imag, (r[0, 0] - r[1, 1]).real])

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique."""
        return self.kernel_dim == 1

    @property
    def stored_energy(self) -> float:
        """Network energy above the ground state of :math:`H_S` (energy units)."""
        return self.energy - float(self.extra["ground_energy"])

    @property
    def is_positive(self) -> bool:
        """Whether the state is positive semidefinite (to 1e-10)."""
        return self.min_eigenvalue >= -1e-10

    @cached_property
    def relaxation_rate(self) -> float:
        """Gap of the generator of the charging dynamics (energy units)."""
        from ._dynamics import _relaxation_rate

        return _relaxation_rate(self.params)

    @property
    def relaxation_time(self) -> float:
        """Relaxation time ``1 / relaxation_rate`` (units of 1/energy; ``inf`` for a zero rate)."""
        g = self.relaxation_rate
        return float("inf") if g == 0.0 else 1.0 / g

    @cached_property
    def currents(self) -> master.BathCurrents:
        """Currents into the network from every reservoir (see :mod:`qbcore.models.star`)."""
        from ._dynamics import _currents

        return _currents(self)

    @property
    def energy_currents(self) -> dict:
        """Energy current into the network from each reservoir (energy units)."""
        return dict(self.currents.energy)

    @property
    def particle_currents(self) -> dict:
        """Particle current into the network from each reservoir (particles per unit time)."""
        return dict(self.currents.particle)

    @property
    def entropy_production(self) -> float:
        """Entropy production rate (nats per unit time) of the reservoirs."""
        return self.currents.entropy_production()


def max_ergotropy(omega0: float = 10.0) -> float:
    r"""Largest battery ergotropy :math:`\mathcal E_{\max} = 2\omega_0`, that of the fully excited battery.

    Parameters
    ----------
    omega0 : float
        Qubit frequency in :math:`\omega_0\sigma^z` (energy units), ``[1e-6, 1e6]``.

    Returns
    -------
    float
        :math:`2\omega_0` (energy units).

    Raises
    ------
    ValueError
        ``omega0`` outside ``[1e-6, 1e6]``.
    """
    return 2.0 * _real(omega0, "omega0")


def _w_from_p1(p1: np.ndarray) -> np.ndarray:
    r""":math:`\max(0, 2p_1 - 1)` with round-off at :math:`p_1 = 1/2` (where it vanishes) turned into 0."""
    return roundoff_zero(np.maximum(0.0, 2.0 * np.asarray(p1, dtype=float) - 1.0), 1.0)


def normalized_ergotropy(p1: Any) -> np.ndarray | float:
    r"""Normalised ergotropy :math:`\mathcal W = \max(0, 2p_1 - 1)` of a diagonal battery state.

    Exactly 0 for :math:`p_1 \le 1/2` (values within ``1e-12`` of 0, round-off of
    :math:`p_1 = 1/2`, are returned as 0, see :func:`qbcore.thermo.roundoff_zero`).

    Parameters
    ----------
    p1 : float or array_like
        Excited population of the battery, in ``[0, 1]`` (to 1e-9).

    Returns
    -------
    float or ndarray
        :math:`\mathcal W` in ``[0, 1]``, same shape as ``p1`` (a float for scalar input).

    Raises
    ------
    ValueError
        ``p1`` not finite or outside ``[0, 1]``.
    """
    p = V.real_array(p1, "p1")
    if np.any((p < -1e-9) | (p > 1 + 1e-9)):
        raise ValueError("p1 must lie in [0, 1]")
    out = _w_from_p1(p)
    return out if np.ndim(out) else float(out)


def battery_ergotropy(ss: StarSteadyState, normalized: bool = True) -> float:
    r"""Ergotropy of the battery's reduced state.

    Parameters
    ----------
    ss : StarSteadyState
        A result of :func:`steady_state`.
    normalized : bool
        ``True`` (default): divided by :math:`\mathcal E_{\max} = 2\omega_0`, i.e.
        ``ss.battery_ergotropy_normalized`` in ``[0, 1]``; ``False``: ``ss.battery_ergotropy`` in energy
        units.

    Returns
    -------
    float
        The battery ergotropy (exactly 0 for :math:`p_1 \le 1/2`).

    Raises
    ------
    ValueError
        ``ss`` is not a :class:`StarSteadyState`.
    """
    if not isinstance(ss, StarSteadyState):
        raise ValueError("ss must be a StarSteadyState from qbcore.models.star.steady_state")
    return ss.battery_ergotropy_normalized if normalized else ss.battery_ergotropy


def _battery_state(p1: float, coherence: complex = 0.0) -> np.ndarray:
    return np.array([[p1, coherence], [np.conj(coherence), 1.0 - p1]], dtype=complex)


def _from_full(rho: np.ndarray, p: Params, kernel_dim: int, battery_unique: bool, method: str,
               **extra: Any) -> StarSteadyState:
    """Result from a full density matrix: network spectra, battery and mean ancilla populations."""
    H = hamiltonian(p.N, p.omega0, p.J, p.topology)
    ss = master.make_steady_state(rho, H, kernel_dim)
    d = 2 ** (p.N - 1)
    r4 = rho.reshape(2, d, 2, d)
    rb = np.einsum("aibi->ab", r4)
    nA = 0.0
    if p.N > 1:
        bits = _bits(p.N)
        nA = float(np.real(np.diag(rho)) @ (1 - bits[:, 1:]).mean(axis=1))
    return StarSteadyState(p, 0.5 * (rb + rb.conj().T), rho, H, ss.energy, ss.ergotropy, ss.populations,
                           kernel_dim, battery_unique, ss.min_eigenvalue, method,
                           dict(ancilla_population=nA, ground_energy=float(ss.energies[0]), **extra))
