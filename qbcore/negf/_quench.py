r"""Exact real-time evolution of the dot between two *finite* chains (a quench), and Gaussian reduced states.

The Hamiltonian of :mod:`qbcore.negf` is quadratic and conserves the particle number, so a state
that starts Gaussian (here: each chain in its own grand-canonical state, the dot in a number state)
stays Gaussian, and everything about it is fixed by the one-body correlation matrix
:math:`C_{ij}(t) = \langle c_i^\dagger(t) c_j(t)\rangle`. With the one-body Hamiltonian :math:`h`
(the chains truncated to ``n_sites`` sites each) and :math:`\rho = C^T` (:math:`\rho_{ij} = \langle
c_j^\dagger c_i\rangle`), :math:`\rho(t) = e^{-iht}\rho(0)e^{iht}` follows exactly from one
diagonalisation of :math:`h`. Until the reflection from the far ends of the chains returns (the
recurrence time :math:`2 n_{sites}/v_{max}`, :math:`v_{max} = 2h`) the dot cannot tell a finite chain
from a semi-infinite lead, so the quench relaxes to the NEGF steady state of :func:`steady_state`
(up to finite-time transients that decay as the band-edge and Fermi-edge tails allow).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as V
from ._ranges import _energy, _temperature_array
from ._thermo import _binary_entropy, _fermi_pair

if TYPE_CHECKING:
    from ._dot import Dot

#: Largest accepted number of sites per chain (the one-body matrix has ``2 n_sites + 1`` rows).
MAX_CHAIN_SITES = 2000
#: Largest number of modes :func:`gaussian_reduced_state` builds the many-body matrix for (``2**m`` rows).
MAX_REDUCED_MODES = 10


def chain_hamiltonian(dot: "Dot", n_sites: int) -> np.ndarray:
    r"""One-body Hamiltonian of the dot between two chains of ``n_sites`` sites each.

    Site order: :math:`L_{n-1}, \dots, L_0`, dot, :math:`R_0, \dots, R_{n-1}` (the dot has index
    ``n_sites``; :math:`L_0` and :math:`R_0` touch it). Entries follow the model of
    :mod:`qbcore.negf`: on-site :math:`\varepsilon_\alpha` and :math:`\varepsilon_{QB}`, hopping
    :math:`-h_\alpha` inside chain :math:`\alpha`, tunnelling :math:`-v_\alpha` between
    :math:`\alpha_0` and the dot.

    Parameters
    ----------
    dot : Dot
        The junction (its leads truncated to ``n_sites`` sites each).
    n_sites : int
        Sites per chain, ``1 <= n_sites <= MAX_CHAIN_SITES``.

    Returns
    -------
    ndarray
        Real symmetric matrix of shape ``(2 n_sites + 1, 2 n_sites + 1)`` (energy units).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot` or a bad ``n_sites``.
    """
    n = _sites(n_sites)
    _check_dot(dot)
    size = 2 * n + 1
    H = np.zeros((size, size))
    d = n
    idx = np.arange(n)
    H[idx, idx] = dot.eps_L
    H[d + 1 + idx, d + 1 + idx] = dot.eps_R
    H[idx[:-1], idx[:-1] + 1] = H[idx[:-1] + 1, idx[:-1]] = -dot.h_L
    H[d + 1 + idx[:-1], d + 2 + idx[:-1]] = H[d + 2 + idx[:-1], d + 1 + idx[:-1]] = -dot.h_R
    H[d, d] = dot.eps_qb
    H[d - 1, d] = H[d, d - 1] = -dot.v_L
    H[d, d + 1] = H[d + 1, d] = -dot.v_R
    return H


def _check_dot(dot: Any) -> None:
    from ._dot import Dot  # local import: _dot imports this module's neighbours

    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")


def _sites(n_sites: Any) -> int:
    if isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) \
            or not 1 <= n_sites <= MAX_CHAIN_SITES:
        raise ValueError(f"n_sites must be an integer in [1, {MAX_CHAIN_SITES}]; got {n_sites!r}")
    return int(n_sites)


def _chain_state(n: int, eps: float, h: float, mu: float, T: float) -> np.ndarray:
    """:math:`\\rho_{ij} = \\langle c_j^\\dagger c_i\\rangle` of an open chain of ``n`` sites at ``(mu, T)``."""
    Hc = eps * np.eye(n) - h * (np.eye(n, k=1) + np.eye(n, k=-1))
    e, U = np.linalg.eigh(Hc)
    f = _fermi_pair(e, np.asarray(mu), np.asarray(T))[0]
    return (U * f) @ U.T


@dataclass(frozen=True)
class Quench:
    r"""Result of :func:`quench`: the dot after the leads are connected at :math:`t = 0`.

    Parameters
    ----------
    times : ndarray
        The times :math:`t \ge 0` (units of :math:`1/h`, ħ = 1).
    occupation : ndarray
        :math:`N(t) = C_{dd}(t)`, the dot occupation.
    current_L : ndarray
        Particle current out of the left chain into the dot, :math:`-\dot N_L = -2v_L\,\mathrm{Im}\,\rho_{L_0 d}`.
    current_R : ndarray
        Particle current from the dot into the right chain, :math:`\dot N_R = 2v_R\,\mathrm{Im}\,\rho_{R_0 d}`.
        In the steady state both equal ``NESS.charge_current``.
    n_sites : int
        Sites per chain.
    recurrence_time : float
        :math:`2 n_{sites}/v_{max}` with :math:`v_{max} = 2\max(h_L, h_R)`: the earliest time at which
        a signal sent from the dot and reflected at a far end of a chain can be back. Beyond it the
        finite chains are no longer leads.
    dot_index : int
        Index of the dot in the one-body basis of :func:`chain_hamiltonian`.
    _evolution : tuple
        Internal: eigenvalues and eigenvectors of the one-body Hamiltonian and the initial
        :math:`\rho(0)` in its eigenbasis (build a ``Quench`` with :func:`quench`).

    Attributes
    ----------
    times, occupation, current_L, current_R, n_sites, recurrence_time, dot_index
        As above.
    """

    times: np.ndarray
    occupation: np.ndarray
    current_L: np.ndarray
    current_R: np.ndarray
    n_sites: int
    recurrence_time: float
    dot_index: int
    _evolution: tuple = field(repr=False)

    @property
    def _E(self) -> np.ndarray:
        return self._evolution[0]

    @property
    def _U(self) -> np.ndarray:
        return self._evolution[1]

    @property
    def _rho_eig(self) -> np.ndarray:
        return self._evolution[2]

    @property
    def before_recurrence(self) -> np.ndarray:
        """Boolean array: which ``times`` lie before ``recurrence_time``."""
        return self.times < self.recurrence_time

    def correlation_matrix(self, t: float, modes: Any = None) -> np.ndarray:
        r"""Correlation matrix :math:`C_{ij}(t) = \langle c_i^\dagger(t) c_j(t)\rangle` of selected modes.

        Parameters
        ----------
        t : float
            Time, :math:`t \ge 0`.
        modes : sequence of int, optional
            Indices in the basis of :func:`chain_hamiltonian` (default: the dot alone,
            ``[dot_index]``).

        Returns
        -------
        ndarray
            Hermitian matrix of shape ``(len(modes), len(modes))``, eigenvalues in ``[0, 1]``.

        Raises
        ------
        ValueError
            For a negative or non-finite ``t`` or a mode index out of range.
        """
        t = V.real_number(t, "t", lo=0.0)
        idx = self._modes(modes)
        ph = np.exp(-1j * self._E * t)
        rows = self._U[idx, :] * ph                      # (e^{-iht})_{a,:} in the eigenbasis
        rho = rows @ self._rho_eig @ rows.conj().T       # rho_ab = <c_b^dag c_a>
        return rho.T

    def reduced_state(self, t: float, modes: Any = None) -> np.ndarray:
        r"""Many-body reduced density matrix of selected modes at time ``t`` (:func:`gaussian_reduced_state`).

        For the dot alone this is :math:`\mathrm{diag}(1 - N(t), N(t))` in the basis (empty, occupied):
        a single mode of a number-conserving Gaussian state has no other reduced state.

        Parameters
        ----------
        t : float
            Time, :math:`t \ge 0`.
        modes : sequence of int, optional
            At most :data:`MAX_REDUCED_MODES` indices (default: the dot alone).

        Returns
        -------
        ndarray
            Density matrix of shape ``(2**m, 2**m)``, ``m = len(modes)``.

        Raises
        ------
        ValueError
            As :meth:`correlation_matrix`, or for more than :data:`MAX_REDUCED_MODES` modes.
        """
        return gaussian_reduced_state(self.correlation_matrix(t, modes))

    def entropy(self, t: float) -> float:
        r"""Von Neumann entropy of the dot's reduced state at ``t``: :math:`h(N) = -N\ln N - (1-N)\ln(1-N)` (nats).

        Parameters
        ----------
        t : float
            Time, :math:`t \ge 0`.

        Returns
        -------
        float
            The entropy, from the eigenvalue of the dot's :meth:`correlation_matrix`.

        Raises
        ------
        ValueError
            For a negative or non-finite ``t``.
        """
        N = float(np.clip(self.correlation_matrix(t)[0, 0].real, 0.0, 1.0))
        return float(_binary_entropy(np.asarray(N), np.asarray(1.0 - N)))

    def _modes(self, modes: Any) -> np.ndarray:
        size = self._E.size
        if modes is None:
            return np.array([self.dot_index])
        try:
            idx = np.asarray(modes, dtype=int).ravel()
        except (TypeError, ValueError) as exc:
            raise ValueError(f"modes must be integer indices in [0, {size - 1}]; got {modes!r}") from exc
        if idx.size == 0 or np.any(idx < 0) or np.any(idx >= size) or np.unique(idx).size != idx.size:
            raise ValueError(f"modes must be distinct integer indices in [0, {size - 1}]; got {modes!r}")
        return idx


def quench(dot: "Dot", mu_L: float, mu_R: float, T_L: float, T_R: float, times: Any, *,
           n_sites: int = 600, dot_occupation: float = 0.0) -> Quench:
    r"""Connect two finite chains, each in equilibrium at its own :math:`(\mu, T)`, to the dot at :math:`t = 0`.

    Initial state: chain :math:`\alpha` (``n_sites`` sites, open ends) in its grand-canonical state at
    :math:`(\mu_\alpha, T_\alpha)`, the dot empty or full (``dot_occupation``), no correlations between
    them. The evolution under :func:`chain_hamiltonian` is exact (one diagonalisation, cost
    :math:`O(n_{sites}^3)`: about a second for ``n_sites = 600``). Without bound states the dot forgets
    its initial occupation and, for :math:`1/\Gamma \ll t <` ``Quench.recurrence_time``, its
    occupation and the currents approach the NEGF steady state of :func:`steady_state`.

    Parameters
    ----------
    dot : Dot
        The junction; its leads are truncated to ``n_sites`` sites each.
    mu_L, mu_R : float
        Chemical potentials of the chains, :math:`|\mu| \le 10^6 h_{max}`.
    T_L, T_R : float
        Temperatures: 0 or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    times : float or array_like
        Times :math:`t \ge 0` at which to evaluate (units of :math:`1/h`).
    n_sites : int
        Sites per chain, ``1 <= n_sites <= MAX_CHAIN_SITES`` (default 600).
    dot_occupation : float
        Initial dot occupation, 0 or 1 (a number state; default 0).

    Returns
    -------
    Quench
        :math:`N(t)`, the currents, and the reduced states at any time.

    Raises
    ------
    ValueError
        For bad parameters (the message names them).

    Examples
    --------
    >>> q = quench(Dot(eps_qb=0.3), 0.5, 0.0, 0.1, 0.1, [200.0], n_sites=300)
    >>> round(float(q.occupation[0]), 3)
    0.46
    """
    _check_dot(dot)
    unit = dot.energy_scale
    mu_L, mu_R = _energy(mu_L, "mu_L", unit), _energy(mu_R, "mu_R", unit)
    T_L = float(_temperature_array(T_L, "T_L", unit))
    T_R = float(_temperature_array(T_R, "T_R", unit))
    t = V.real_array(times, "times").ravel()
    if np.any(t < 0.0):
        raise ValueError("times must be >= 0")
    n = _sites(n_sites)
    n0 = V.real_number(dot_occupation, "dot_occupation", lo=0.0, hi=1.0)
    if n0 not in (0.0, 1.0):
        raise ValueError(f"dot_occupation must be 0 or 1 (a number state of the dot); got {n0}")

    H = chain_hamiltonian(dot, n)
    d = n
    rho0 = np.zeros_like(H)
    rho0[:n, :n] = _chain_state(n, dot.eps_L, dot.h_L, mu_L, T_L)[::-1, ::-1]   # L_0 is index n - 1
    rho0[d + 1:, d + 1:] = _chain_state(n, dot.eps_R, dot.h_R, mu_R, T_R)
    rho0[d, d] = n0
    E, U = np.linalg.eigh(H)
    rho_eig = U.T @ rho0 @ U                          # rho(0) in the eigenbasis of H (real)
    rows = U[[d - 1, d, d + 1], :]
    ph = np.exp(-1j * np.outer(E, t))                 # (n_modes, n_times)
    right = rho_eig @ (np.conj(ph) * U[d, :, None])   # rho_eig e^{iEt} U^T e_d
    col = rows @ (ph * right)                         # rho(t)_{r, d} for r = L_0, dot, R_0
    occupation = col[1].real.copy()
    current_L = -2.0 * dot.v_L * col[0].imag
    current_R = 2.0 * dot.v_R * col[2].imag
    recurrence = 2.0 * n / (2.0 * max(dot.h_L, dot.h_R))
    return Quench(t, occupation, current_L, current_R, n, recurrence, d, (E, U, rho_eig))


def gaussian_reduced_state(corr: Any) -> np.ndarray:
    r"""Many-body density matrix of :math:`m` modes in a number-conserving Gaussian (quasi-free) state.

    With :math:`C_{ij} = \langle c_i^\dagger c_j\rangle = \sum_k \nu_k\, w_{ik} w_{jk}^*` (eigenvalues
    :math:`\nu_k`, orthonormal eigenvectors :math:`w_k`), the modes :math:`b_k = \sum_j w_{jk}c_j` are
    uncorrelated and :math:`\rho = \prod_k[\nu_k b_k^\dagger b_k + (1 - \nu_k) b_k b_k^\dagger]`
    (Wick's theorem). Built explicitly with a Jordan–Wigner representation of the :math:`c_j`.

    Parameters
    ----------
    corr : array_like
        Hermitian ``(m, m)`` matrix :math:`C`, eigenvalues in ``[0, 1]`` (up to 1e-9),
        ``1 <= m <= MAX_REDUCED_MODES``.

    Returns
    -------
    ndarray
        Complex ``(2**m, 2**m)`` density matrix in the occupation basis :math:`|n_1 \dots n_m\rangle`
        (index :math:`\sum_i n_i 2^{m-i}`; for one mode the basis is (empty, occupied), so the result is
        :math:`\mathrm{diag}(1 - C_{11}, C_{11})`).

    Raises
    ------
    ValueError
        For a matrix that is not Hermitian, has eigenvalues outside ``[0, 1]`` or has more than
        :data:`MAX_REDUCED_MODES` rows.
    """
    C = V.hermitian(corr, "corr")
    m = C.shape[0]
    if m > MAX_REDUCED_MODES:
        raise ValueError(f"corr may describe at most {MAX_REDUCED_MODES} modes; got {m}")
    nu, w = np.linalg.eigh(C)
    if nu[0] < -1e-9 or nu[-1] > 1.0 + 1e-9:
        raise ValueError(f"the eigenvalues of corr must lie in [0, 1]; got [{nu[0]:.3g}, {nu[-1]:.3g}]")
    nu = np.clip(nu, 0.0, 1.0)
    lower = np.array([[0.0, 1.0], [0.0, 0.0]])        # |0><1|: removes a particle
    Z = np.diag([1.0, -1.0])
    c = []
    for j in range(m):
        op = np.ones((1, 1))
        for i in range(m):
            op = np.kron(op, Z if i < j else (lower if i == j else np.eye(2)))
        c.append(op)
    dim = 2 ** m
    rho = np.eye(dim, dtype=complex)
    for k in range(m):
        b = sum(w[j, k] * c[j] for j in range(m))
        n_k = b.conj().T @ b
        rho = rho @ (nu[k] * n_k + (1.0 - nu[k]) * (np.eye(dim) - n_k))
    return 0.5 * (rho + rho.conj().T)

