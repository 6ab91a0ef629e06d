r"""Parameters, graph and full-space operators of the star / chain network (``N <= 10``).

Units throughout: :math:`\hbar = k_B = 1`; energies, rates and temperatures share one unit, the unit of
``omega0`` (the chapter's unit is :math:`\omega = 1`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ... import _validate as V
from ... import master
from ...baths import Bath, fermi, flat

TOPOLOGIES = ("star", "chain")
DISSIPATIONS = ("local", "collective")
METHODS = ("auto", "sector", "symmetric", "dense")
#: Largest N per method.
N_MAX = {"dense": 5, "sector": 10, "collective": 6, "symmetric": 400}
_FULL_STATE_MAX = 10   # the full 2^N density matrix is assembled up to this N

#: Valid closed range ``(low, high)`` of every real parameter of :func:`params` (energy units).
#: The rate and energy scales ``gamma`` and ``omega0`` are kept within twelve decades of the
#: couplings, so that no rate product overflows and the solvers' relative tolerances stay meaningful.
RANGES: dict[str, tuple[float, float]] = {
    "mu": (-1e6, 1e6), "delta_mu": (-1e6, 1e6), "T": (0.0, 1e6), "omega0": (1e-6, 1e6),
    "omega": (-1e6, 1e6), "J": (-1e6, 1e6), "gamma": (1e-6, 1e6),
}
#: Collective dissipation with ``N >= 2``: the kernel is found by a relative singular-value cut, so
#: ``|J| / gamma`` must be 0 or lie in this range (outside it the dark-state gap :math:`\sim J^2/\gamma`
#: or :math:`\gamma^2/J` falls below the cut and the kernel dimension is misread).
COLLECTIVE_J_OVER_GAMMA = (1e-3, 1e3)


def _real(x: Any, name: str) -> float:
    """``x`` as a float inside ``RANGES[name]`` or ``ValueError`` naming ``name`` and the range."""
    lo, hi = RANGES[name]
    return V.real_number(x, name, lo=lo, hi=hi)


def _real_array(x: Any, name: str) -> np.ndarray:
    """Array version of :func:`_real`: every entry inside ``RANGES[name]``."""
    arr = V.real_array(x, name)
    lo, hi = RANGES[name]
    if arr.size and (float(arr.min()) < lo or float(arr.max()) > hi):
        raise ValueError(f"{name} must lie in [{lo}, {hi}] everywhere; got values in "
                         f"[{float(arr.min())}, {float(arr.max())}]")
    return arr


def _int_N(N: Any, hi: int) -> int:
    """``N`` as an int in ``[1, hi]`` or ``ValueError`` naming ``N`` and the range."""
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or not 1 <= int(N) <= hi:
        raise ValueError(f"N must be an integer in [1, {hi}]; got {N!r}")
    return int(N)


def _check_collective_ratio(N: int, J: float, gamma: float) -> None:
    """Raise ``ValueError`` if collective dissipation at this ``|J|/gamma`` cannot be resolved."""
    lo, hi = COLLECTIVE_J_OVER_GAMMA
    if N >= 2 and J != 0.0 and not lo <= abs(J) / gamma <= hi:
        raise ValueError(f"collective dissipation with N >= 2 needs J = 0 or |J|/gamma in [{lo}, {hi}] "
                         f"(the dark-state gap is unresolvable beyond); got J = {J}, gamma = {gamma}")


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Params:
    r"""One validated parameter point of the network (build it with :func:`params`).

    Parameters
    ----------
    N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation
        As in :func:`params`, which validates them; the constructor itself does not.

    Attributes
    ----------
    N : int
        Number of qubits, battery included, ``1 <= N <= 400``.
    mu : float
        Chemical potential of the battery's reservoir (energy units), ``[-1e6, 1e6]``.
    delta_mu : float
        Excess chemical potential :math:`\Delta\mu` of the ancillas' reservoirs (energy units),
        ``[-1e6, 1e6]``; 0 for collective dissipation.
    T : float
        Temperature of every reservoir (energy units, :math:`k_B = 1`), ``[0, 1e6]``.
    omega0 : float
        Qubit frequency in :math:`\omega_0\sigma^z` (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency at which the reservoir occupations are evaluated (energy units), ``[-1e6, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate (energy units, :math:`\hbar = 1`), ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).
    dissipation : {"local", "collective"}
        One reservoir per qubit, or one common reservoir.
    n_battery, n_ancilla : float
        Occupations of the battery's and of each ancilla's reservoir (properties, in ``[0, 1]``).
    """

    N: int
    mu: float
    delta_mu: float
    T: float
    omega0: float
    omega: float
    J: float
    gamma: float
    topology: str
    dissipation: str

    @property
    def n_battery(self) -> float:
        r"""Occupation :math:`n_1 = f(\omega;\mu,T)` of the battery's reservoir, in ``[0, 1]``."""
        return float(fermi(self.omega, self.mu, self.T))

    @property
    def n_ancilla(self) -> float:
        r"""Occupation :math:`f(\omega;\mu+\Delta\mu,T)` of each ancilla's reservoir, in ``[0, 1]``."""
        return float(fermi(self.omega, self.mu + self.delta_mu, self.T))

    def rates(self) -> tuple[float, float, float, float]:
        r"""Loss and gain rates of the local reservoirs.

        Returns
        -------
        tuple of float
            :math:`(\gamma(1-n_1), \gamma n_1, \gamma(1-n_A), \gamma n_A)`: battery loss and gain,
            ancilla loss and gain (energy units, each in ``[0, gamma]``).
        """
        n1, nA = self.n_battery, self.n_ancilla
        g = self.gamma
        return g * (1.0 - n1), g * n1, g * (1.0 - nA), g * nA


def params(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, omega0: float = 10.0,
           omega: float = 1.0, J: float = 1.0, gamma: float = 1.0, topology: str = "star",
           dissipation: str = "local") -> Params:
    r"""Validate one parameter point.

    Units: :math:`\hbar = k_B = 1`; every energy, rate and temperature below is in the unit of
    ``omega0`` (the chapter's unit is :math:`\omega = 1`). The ranges are :data:`RANGES`.

    Parameters
    ----------
    N : int
        Number of qubits (battery + ``N-1`` ancillas), an integer in ``[1, 400]``. Each solver has a
        smaller limit (:data:`N_MAX`), checked by :func:`steady_state`.
    mu : float
        Chemical potential of the battery's reservoir, ``[-1e6, 1e6]``.
    delta_mu : float
        The ancillas' excess chemical potential :math:`\Delta\mu` (their reservoirs sit at
        :math:`\mu + \Delta\mu`), ``[-1e6, 1e6]``; must be 0 for collective dissipation.
    T : float
        Common temperature, ``[0, 1e6]`` (``T = 0``: step occupations, 1/2 at :math:`\omega = \mu`).
    omega0 : float
        Qubit frequency in :math:`\omega_0\sigma^z`, ``[1e-6, 1e6]``; sets the energy scale and
        :math:`\mathcal E_{\max} = 2\omega_0`, not the steady state.
    omega : float
        Frequency at which the occupations are evaluated (the paper's :math:`\omega`), ``[-1e6, 1e6]``.
    J : float
        Flip-flop coupling, ``[-1e6, 1e6]`` (the steady state depends on :math:`J^2`).
    gamma : float
        Frequency-independent reservoir rate, ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Hub-and-spokes (battery at the hub) or nearest-neighbour chain (battery at one end).
    dissipation : {"local", "collective"}
        One reservoir per qubit, or one common reservoir (then ``delta_mu = 0``).

    Returns
    -------
    Params
        The validated point (floats and plain strings).

    Raises
    ------
    ValueError
        A parameter outside its range (the message names it and the range), a non-integer ``N``, an
        unknown ``topology`` / ``dissipation``, or ``dissipation="collective"`` with ``delta_mu != 0``.
    """
    N = _int_N(N, N_MAX["symmetric"])
    topology = V.choice(topology, "topology", TOPOLOGIES)
    dissipation = V.choice(dissipation, "dissipation", DISSIPATIONS)
    mu, delta_mu, T = _real(mu, "mu"), _real(delta_mu, "delta_mu"), _real(T, "T")
    omega0, omega = _real(omega0, "omega0"), _real(omega, "omega")
    J, gamma = _real(J, "J"), _real(gamma, "gamma")
    if dissipation == "collective" and delta_mu != 0.0:
        raise ValueError("dissipation='collective' is one common reservoir (eqs. 4-6): delta_mu must be 0; "
                         f"got delta_mu = {delta_mu}")
    return Params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)


def edges(N: int, topology: str = "star") -> list[tuple[int, int]]:
    """Coupled pairs of qubits (0-based; qubit 0 is the battery).

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 400]``.
    topology : {"star", "chain"}
        ``"star"``: ``(0, i)`` for ``i = 1..N-1``; ``"chain"``: ``(i, i+1)`` for ``i = 0..N-2``.

    Returns
    -------
    list of tuple of int
        The ``N - 1`` edges (empty for ``N = 1``).

    Raises
    ------
    ValueError
        ``N`` not an integer in range, or an unknown ``topology``.
    """
    N = _int_N(N, N_MAX["symmetric"])
    V.choice(topology, "topology", TOPOLOGIES)
    if topology == "star":
        return [(0, i) for i in range(1, N)]
    return [(i, i + 1) for i in range(N - 1)]


# --------------------------------------------------------------------------- full-space operators
def _bits(N: int) -> np.ndarray:
    """bits[s, i] = 1 if qubit i is in the ground state in basis state s (QuTiP: index 0 = excited)."""
    s = np.arange(2 ** N)
    return (s[:, None] >> (N - 1 - np.arange(N))[None, :]) & 1


def excitation_numbers(N: int) -> np.ndarray:
    """Number of excited qubits in each basis state of :func:`hamiltonian` (QuTiP ordering).

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 12]``.

    Returns
    -------
    ndarray of int, shape (2**N,)
        Excitation number of basis state ``s`` (state 0 is all excited, ``2**N - 1`` all ground).

    Raises
    ------
    ValueError
        ``N`` not an integer in ``[1, 12]``.
    """
    N = _int_N(N, 12)
    return (1 - _bits(N)).sum(axis=1)


def _lowering(N: int, i: int) -> sp.csr_matrix:
    """Sparse sigma^-_i on N qubits (excited bit 0 -> ground bit 1)."""
    s = np.arange(2 ** N)
    flag = 1 << (N - 1 - i)
    src = s[(s & flag) == 0]
    return sp.csr_matrix((np.ones(src.size), (src | flag, src)), shape=(2 ** N, 2 ** N))


def _hopping(N: int, topology: str) -> sp.csr_matrix:
    """Sparse sum over edges of sigma^+_a sigma^-_b + h.c. (unit coupling)."""
    H = sp.csr_matrix((2 ** N, 2 ** N))
    for a, b in edges(N, topology):
        la, lb = _lowering(N, a), _lowering(N, b)
        H = H + la.T @ lb + lb.T @ la
    return H.tocsr()


def hamiltonian(N: int = 3, omega0: float = 10.0, J: float = 1.0, topology: str = "star") -> np.ndarray:
    r"""Dense system Hamiltonian :math:`H_S` (eq. 1 for the chain, the star of Fig. 1 otherwise).

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 10]``.
    omega0 : float
        Qubit frequency in :math:`\omega_0\sigma^z` (energy units), ``[1e-6, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).

    Returns
    -------
    ndarray of complex, shape (2**N, 2**N)
        :math:`H_S` in QuTiP's basis (index 0 = excited, qubit 1 = leftmost factor), energy units.

    Raises
    ------
    ValueError
        ``N`` out of range, ``omega0`` or ``J`` out of range (named), or an unknown ``topology``.
    """
    N = _int_N(N, _FULL_STATE_MAX)
    omega0, J = _real(omega0, "omega0"), _real(J, "J")
    sz = 1.0 - 2.0 * _bits(N)
    return np.diag(omega0 * sz.sum(axis=1)).astype(complex) + J * _hopping(N, topology).toarray()


def jumps(p: Params) -> list[master.Jump]:
    """Lindblad channels (dense operators) of eqs. 5–8 in :mod:`qbcore.master` form.

    Parameters
    ----------
    p : Params
        A point from :func:`params` with ``p.N <= 6``.

    Returns
    -------
    list of qbcore.master.Jump
        Local: loss and gain of the battery (reservoir at ``mu``), then of each ancilla (at
        ``mu + delta_mu``); collective: loss and gain of :math:`S^- = \\sum_i\\sigma^-_i`. Rates in
        energy units.

    Raises
    ------
    ValueError
        ``p.N > 6``.
    """
    _int_N(p.N, 6)
    low = [_lowering(p.N, i).toarray().astype(complex) for i in range(p.N)]
    if p.dissipation == "collective":
        return master.local_jumps(low, Bath("fermion", p.T, p.mu, J=flat(p.gamma)), p.omega, collective=True,
                                  name="common reservoir")
    out = master.local_jumps(low[:1], Bath("fermion", p.T, p.mu, J=flat(p.gamma)), p.omega, name="battery")
    if p.N > 1:
        out += master.local_jumps(low[1:], Bath("fermion", p.T, p.mu + p.delta_mu, J=flat(p.gamma)), p.omega,
                                  name="ancillas")
    return out


def liouvillian(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, omega0: float = 10.0,
                omega: float = 1.0, J: float = 1.0, gamma: float = 1.0, topology: str = "star",
                dissipation: str = "local") -> np.ndarray:
    """Dense Lindblad generator on the full space, via :func:`qbcore.master.liouvillian`.

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 5]``.
    mu : float
        Chemical potential of the battery's reservoir (energy units), ``[-1e6, 1e6]``.
    delta_mu : float
        Excess chemical potential of the ancillas' reservoirs (energy units), ``[-1e6, 1e6]``.
    T : float
        Temperature of every reservoir (energy units), ``[0, 1e6]``.
    omega0 : float
        Qubit frequency in :math:`\\omega_0\\sigma^z` (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency of the reservoir occupations (energy units), ``[-1e6, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate (energy units), ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).
    dissipation : {"local", "collective"}
        One reservoir per qubit, or one common reservoir (then ``delta_mu = 0``).

    Returns
    -------
    ndarray of complex, shape (4**N, 4**N)
        The superoperator in :mod:`qbcore.master`'s (column-stacking) convention, in energy units.

    Raises
    ------
    ValueError
        As :func:`params`, or ``N > 5``.
    """
    p = params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)
    _int_N(p.N, N_MAX["dense"])
    return master.liouvillian(hamiltonian(p.N, p.omega0, p.J, p.topology), jumps(p))
