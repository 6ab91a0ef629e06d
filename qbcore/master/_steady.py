"""Kernels, the steady-state record and the steady-state solvers (dense, batched, Pauli)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from .. import _validate as V
from ._generators import _spost, _spre
from ._operators import Jump, NonUniqueSteadyStateError, eigh


def kernel(L: np.ndarray, *, rtol: float = 1e-12, scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Right null space of ``L`` and its singular values (dense SVD).

    Parameters
    ----------
    L : ndarray, shape (n, n)
        Superoperator.
    rtol : float
        A singular value counts as zero when it is at most ``rtol * scale``, or below the SVD's
        round-off floor ``64 * eps * s_max`` (whichever is larger).
    scale : float, optional
        The rate scale against which ``rtol`` is measured; default ``s_max``, the largest
        singular value. :func:`steady_state` passes the size of the dissipative part of ``L``,
        so that a stiff system (rates far below the energy scale) is not mistaken for a
        degenerate one.

    Returns
    -------
    null : ndarray, shape (n, k)
        Orthonormal basis of the (numerical) kernel.
    s : ndarray, shape (n,)
        Singular values in descending order.

    Raises
    ------
    ValueError
        If ``L`` is not square or has non-finite entries.
    """
    L = np.asarray(L, dtype=complex)
    if L.ndim != 2 or L.shape[0] != L.shape[1]:
        raise ValueError(f"L must be a square superoperator matrix; got shape {L.shape}")
    if not np.all(np.isfinite(L)):
        raise ValueError("L contains NaN or infinite entries")
    rtol = V.real_number(rtol, "rtol", lo=0.0)
    _, s, vh = np.linalg.svd(L)
    smax = max(float(s[0]), 1e-300)
    ref = smax if scale is None else float(scale)
    null = s <= max(rtol * ref, 64 * np.finfo(float).eps * smax, 1e-300)
    return vh[null].conj().T, s


def _dissipative_scale(L: np.ndarray, h: np.ndarray) -> float:
    """Size (row-sum norm) of ``L + i[H, .]``: the rates, without the Hamiltonian's frequencies."""
    D = L + 1j * (_spre(h) - _spost(h))
    return float(np.max(np.sum(np.abs(D), axis=1)))


@dataclass
class SteadyState:
    """A steady state with its diagnostics.

    Attributes
    ----------
    rho : ndarray
        Density matrix in the input basis.
    H : ndarray
        Hamiltonian.
    energies : ndarray
        Eigenenergies of ``H`` in ascending order.
    populations : ndarray
        Populations in the energy eigenbasis (ascending energy).
    energy : float
        :math:`\\mathrm{Tr}\\,\\rho H`.
    ergotropy : float
        Ergotropy of ``rho``.
    kernel_dim : int
        Dimension of the generator's kernel (1 = unique steady state).
    min_eigenvalue : float
        Smallest eigenvalue of ``rho`` (negative = not a physical state; Redfield can do this).
    extra : dict
        Model-specific details.
    relaxation_rate : float or None
        Relaxation rate :math:`g = -\\max\\mathrm{Re}\\,\\lambda` over the non-zero eigenvalues of the
        generator that the model's dynamics from its ground state explores (energy units,
        :math:`\\hbar = 1`; see :func:`relaxation_rate`). Set by the model modules (each documents its
        generator); ``None`` from the generic :func:`steady_state`, which does not diagonalise ``L``.
    currents : BathCurrents or None
        Steady-state energy and particle currents from every bath (set by the model modules;
        ``None`` from the generic :func:`steady_state`, which does not know the baths).
    energy_currents, particle_currents : dict of str to float
        :math:`J_{E,k}`, :math:`J_{N,k}` into the system from bath ``k`` (properties; see :class:`BathCurrents`).
    entropy_production : float
        :math:`\\sigma = -\\sum_k (J_{E,k} - \\mu_k J_{N,k})/T_k` in nats per unit time (property; see
        :func:`qbcore.thermo.entropy_production`, ``inf`` when a zero-temperature bath receives heat).
    relaxation_time : float
        :math:`\\tau = 1/g` (property; ``inf`` when :math:`g = 0`).
    """

    rho: np.ndarray
    H: np.ndarray
    energies: np.ndarray
    populations: np.ndarray
    energy: float
    ergotropy: float
    kernel_dim: int = 1
    min_eigenvalue: float = 0.0
    extra: dict = field(default_factory=dict)
    relaxation_rate: float | None = None
    currents: Any = field(default=None, repr=False)

    def _bath_currents(self) -> Any:
        if self.currents is None:
            raise ValueError("this steady state carries no bath currents: they are set by the model modules' "
                             "steady_state(...); for a generator of your own use qbcore.master.bath_currents")
        return self.currents

    @property
    def energy_currents(self) -> dict:
        """Energy current :math:`J_{E,k} = \\mathrm{Tr}[H\\mathcal D_k(\\rho)]` into the system from each bath."""
        return dict(self._bath_currents().energy)

    @property
    def particle_currents(self) -> dict:
        """Particle current :math:`J_{N,k} = \\mathrm{Tr}[\\hat N\\mathcal D_k(\\rho)]` into the system from each bath."""
        return dict(self._bath_currents().particle)

    @property
    def entropy_production(self) -> float:
        """Entropy production rate :math:`\\sigma` (nats per unit time), from ``currents``."""
        return self._bath_currents().entropy_production()

    @property
    def relaxation_time(self) -> float:
        """Relaxation time :math:`\\tau = 1/g` (units of 1/energy); ``inf`` for :math:`g = 0`."""
        if self.relaxation_rate is None:
            raise ValueError("this steady state carries no relaxation rate: it is set by the model modules' "
                             "steady_state(...); for a generator of your own use qbcore.master.relaxation_rate")
        return float("inf") if self.relaxation_rate == 0.0 else 1.0 / self.relaxation_rate

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique."""
        return self.kernel_dim == 1

    @property
    def is_positive(self) -> bool:
        """Whether ``rho`` is positive semidefinite (to 1e-10)."""
        return self.min_eigenvalue >= -1e-10

    @property
    def stored_energy(self) -> float:
        """Energy above the ground state, :math:`\\mathrm{Tr}\\,\\rho H - E_0`."""
        return self.energy - float(self.energies[0])


def make_steady_state(rho: np.ndarray, H: np.ndarray, kernel_dim: int = 1, *, relaxation_rate: float | None = None,
                      currents: Any = None, **extra) -> SteadyState:
    """Wrap a density matrix and its Hamiltonian into a :class:`SteadyState` (no validation)."""
    from ..thermo import batch_ergotropy

    E, U = np.linalg.eigh(H)
    rho_e = U.conj().T @ rho @ U
    en, W = batch_ergotropy(rho_e, E)
    return SteadyState(rho=rho, H=H, energies=E, populations=np.real(np.diag(rho_e)).copy(),
                       energy=float(en), ergotropy=float(W), kernel_dim=int(kernel_dim),
                       min_eigenvalue=float(np.linalg.eigvalsh(rho)[0]), extra=dict(extra),
                       relaxation_rate=relaxation_rate, currents=currents)


def steady_state(L: np.ndarray, H: Any, *, initial: Any = None, rtol: float = 1e-12) -> SteadyState:
    """Steady state of the generator ``L`` (dense; Hilbert-space dimension up to 64).

    Parameters
    ----------
    L : ndarray
        Superoperator (column-stacking convention).
    H : array_like or Qobj
        Hamiltonian (for energies and ergotropy, and to separate the rates from the frequencies).
    initial : array_like or Qobj, optional
        Initial state. Required when the kernel of ``L`` is degenerate: the result is then the
        projection of ``initial`` onto the kernel along the other eigenvectors, i.e.
        :math:`\\lim_{t\\to\\infty} e^{Lt}\\rho_0` (time-averaged if ``L`` has purely imaginary
        eigenvalues).
    rtol : float
        Uniqueness threshold, relative to the *rates*: a singular value of ``L`` below ``rtol`` times
        the size of the dissipative part ``L + i[H, .]`` (or below the SVD's round-off floor
        ``64 eps s_max``) counts as zero. Measuring against the rates rather than the largest
        frequency keeps stiff systems (e.g. a qubit at ``omega = 1e4`` with rates ``1e-9``) unique.

    Returns
    -------
    SteadyState
        The state with energy, ergotropy, populations, ``kernel_dim`` and ``min_eigenvalue``.

    Raises
    ------
    NonUniqueSteadyStateError
        If the kernel is degenerate and ``initial`` is None. The message gives the kernel's
        singular values and the smallest non-zero one, and names both remedies.
    ValueError
        For inconsistent shapes, a dimension above 64, or no kernel at all.
    """
    h = V.hermitian(H, "H")
    d = h.shape[0]
    if d > 64:
        raise ValueError(f"H has dimension {d}; the dense solver supports at most 64 (use a model's own solver)")
    L = np.asarray(L, dtype=complex)
    if L.shape != (d * d, d * d):
        raise ValueError(f"L must have shape {(d * d, d * d)} for H of dimension {d}; got {L.shape}")
    scale = _dissipative_scale(L, h) if np.all(np.isfinite(L)) else None
    R, s = kernel(L, rtol=rtol, scale=scale)
    k = R.shape[1]
    if k == 0:
        raise ValueError(f"L has no steady state within rtol={rtol} (smallest singular value {s[-1]:.3g})")
    tr = np.eye(d).flatten(order="F")
    if k == 1:
        v = R[:, 0]
    else:
        if initial is None:
            floor = 64 * np.finfo(float).eps * max(float(s[0]), 1e-300)
            zero = ", ".join("~0" if x <= floor else f"{x:.2g}" for x in s[-k:])  # round-off prints as ~0
            nxt = s[-k - 1] if s.size > k else float("nan")
            raise NonUniqueSteadyStateError(
                f"the steady state is not unique (kernel dimension {k}; singular values {zero}, next "
                f"{nxt:.2g}, rate scale {scale:.2g}). Pass initial=rho0 to select the long-time limit "
                f"from rho0; if the system is only stiff (rates far below the frequencies) and the "
                f"singular values above are not round-off, pass a smaller rtol (now rtol={rtol:g}).")
        r0 = V.density_matrix(initial, "initial")
        V.same_shape(r0, h, "initial", "H")
        Lft, _ = kernel(L.conj().T, rtol=rtol, scale=scale)
        if Lft.shape[1] != k:
            raise ValueError("left and right kernels of L differ in dimension; cannot project initial state")
        P = R @ np.linalg.solve(Lft.conj().T @ R, Lft.conj().T)
        v = P @ r0.flatten(order="F")
    v = v / (tr @ v)
    rho = v.reshape(d, d, order="F")
    rho = 0.5 * (rho + rho.conj().T)
    return make_steady_state(rho, h, kernel_dim=k)


def lindblad_steady_batch(Ls: np.ndarray) -> np.ndarray:
    """Steady states of a stack of generators with unique kernels (fast path for sweeps).

    Replaces the first row of each generator by the trace condition and solves the stacked
    linear systems with one batched LAPACK call. The caller is responsible for uniqueness
    (e.g. checked once per sweep with :func:`kernel`, or by a symmetry argument).

    Parameters
    ----------
    Ls : ndarray, shape (n, d*d, d*d)
        Generators (column-stacking convention).

    Returns
    -------
    ndarray, shape (n, d, d)
        Unit-trace, Hermitian steady states.
    """
    Ls = np.array(Ls, dtype=complex)
    n, D, _ = Ls.shape
    d = int(round(np.sqrt(D)))
    Ls[:, 0, :] = np.eye(d).flatten(order="F")
    b = np.zeros((n, D, 1), dtype=complex)
    b[:, 0, 0] = 1.0
    v = np.linalg.solve(Ls, b)[..., 0]
    rho = v.reshape(n, d, d).transpose(0, 2, 1)  # undo column stacking
    return 0.5 * (rho + rho.conj().transpose(0, 2, 1))


def pauli_rates(H: Any, jumps: Iterable[Jump]) -> np.ndarray:
    r"""Classical rate matrix :math:`W_{ij} = \sum_k \gamma_k |\langle i|L_k|j\rangle|^2` (j → i).

    In the energy eigenbasis (ascending). When no two transitions share a Bohr frequency the
    populations of the global secular equation decouple from the coherences and obey
    :math:`\dot p = (W - \mathrm{diag}\sum_i W_{ij})\,p`.

    Parameters
    ----------
    H : array_like or Qobj
        Hamiltonian.
    jumps : iterable of Jump
        Channels (e.g. from :func:`global_jumps`).

    Returns
    -------
    ndarray, shape (d, d)
        Off-diagonal rates, zero diagonal.
    """
    E, U = eigh(H)
    W = np.zeros((len(E), len(E)))
    for j in jumps:
        op = U.conj().T @ V.to_array(j.op, "jump operator") @ U
        W += j.rate * np.abs(op) ** 2
    np.fill_diagonal(W, 0.0)
    return W


def pauli_steady_batch(W: np.ndarray) -> np.ndarray:
    """Stationary populations of a stack of rate matrices ``W[..., i, j]`` (rate j → i).

    Parameters
    ----------
    W : ndarray, shape (..., d, d)
        Rate matrices (diagonal ignored), each with a unique stationary distribution.

    Returns
    -------
    ndarray, shape (..., d)
        Populations summing to 1.
    """
    W = np.array(W, dtype=float)
    d = W.shape[-1]
    M = W - np.eye(d) * W.sum(axis=-2)[..., None, :]
    M[..., 0, :] = 1.0
    b = np.zeros(W.shape[:-1] + (1,))
    b[..., 0, 0] = 1.0
    return np.linalg.solve(M, b)[..., 0]
