r"""XXZ spin-chain battery between two Ohmic boson baths (Mojaveri *et al.*, PRA 109, 042619).

Model (units :math:`\hbar = k_B = 1`; :cite:`mojaveri2024xxz`, eqs. 1, 5, 20, 22)

.. math::
    H = \tfrac12\Big[B_0\sum_{i=1}^{N}\sigma^z_i
        + \sum_{i=1}^{N-1}\big(J\sigma^x_i\sigma^x_{i+1} + J\sigma^y_i\sigma^y_{i+1}
        + \Delta\,\sigma^z_i\sigma^z_{i+1}\big)\Big],

the left bath (temperature :math:`T_L`) couples through :math:`\sigma^x_1 + \varepsilon\,\sigma^x_N`
(one bath seen by both end spins: *collective* coupling, the paper's
:math:`\mathcal L^{(1,N)}_L` cross terms included), the right bath (:math:`T_R`) through
:math:`\sigma^x_N`. ``collective=False`` replaces the collective left coupling by two
independent baths at :math:`T_L` on spins 1 and :math:`N` (no cross terms; the paper's
eq. 18 setting). Both baths are Ohmic, :math:`\mathcal J(\omega) = \kappa\omega`; the dynamics
is the global (eigen-operator, secular) Lindblad equation (paper eq. 7) built by
:func:`qbcore.master.global_lindblad`. Rates follow :mod:`qbcore.baths`: a transition
:math:`|j\rangle\to|i\rangle` lowering the energy by :math:`\omega` and allowed by the coupling
operator :math:`X` has rate :math:`\kappa\omega[1+n(\omega)]\,|\langle i|X|j\rangle|^2`, the reverse
:math:`\kappa\omega\,n(\omega)\,|\langle i|X|j\rangle|^2` — the paper's normalisation (its eq. 12 with
:math:`|\langle\Phi_1|\sigma^x_2|\Phi_3\rangle|^2 = 1/2`).

Basis: QuTiP's (state 0 of a qubit is :math:`|\uparrow\rangle = ` the paper's ``1``, spin 1 is the
leftmost factor). :math:`H` conserves the number of up spins; eigenvectors are computed sector
by sector, so every eigenvector has a definite magnetisation even at level crossings.

Why a rate equation is exact (the fast path)
--------------------------------------------
In an eigenbasis :math:`\{|i\rangle\}`, the eigen-operator :math:`A(\omega)` has entries
:math:`X_{ij}` with :math:`E_j - E_i = \omega`. Two entries in one column (or row) need two
*degenerate levels* with a common neighbour; equal Bohr frequencies of distinct pairs put their
entries in distinct rows and columns. So if no two degenerate levels share a neighbour under
any coupling operator, every :math:`A(\omega)` is a partial permutation, diagonal states stay
diagonal, and the populations obey the classical rate equation
:math:`W_{ij} = \sum_c \gamma_c(E_j - E_i)\,|\langle i|X_c|j\rangle|^2`
(:func:`qbcore.master.pauli_rates`). Degenerate levels in adjacent magnetisation sectors
(the level crossings at :math:`|\Delta| = 1` for :math:`B_0 = 2`, :math:`|J| = 1`) cannot share a
neighbour, because :math:`\sigma^x` changes the number of up spins by one. :func:`sweep` checks
the condition point by point and falls back to a batched Liouvillian where it fails.

Zero-frequency channels (exact level crossings) follow :mod:`qbcore.master`:
``zero_frequency="limit"`` (default) gives the dephasing-type channel the continuous
:math:`\omega\to0^+` rate :math:`\gamma(0)=\kappa T`; ``"drop"`` omits it.

The local unitary :math:`U = \prod_{i\ \mathrm{even}}\sigma^z_i` maps :math:`J\to-J` and
:math:`\sigma^x_i\to(-1)^{i+1}\sigma^x_i` (spins counted from 1). For odd :math:`N` both end spins
are odd, so the whole model is invariant: ferro- and antiferromagnetic chains give identical
steady-state populations, energies and ergotropy at equal :math:`\Delta` for every setting. For
even :math:`N` one end flips sign: the settings :math:`\varepsilon = 0` and ``collective=False``
are still invariant (the sign of a coupling operator does not enter the dissipator), but the
collective coupling :math:`\sigma^x_1 + \sigma^x_N` becomes :math:`\sigma^x_1 - \sigma^x_N`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _validate as V
from .. import master
from ..baths import Bath, ohmic
from ..thermo import batch_ergotropy, roundoff_zero

__all__ = [
    "N_SPINS_RANGE", "validate", "hamiltonian", "coupling_operators", "bath_couplings",
    "eigenbasis", "paper_eigenstates", "steady_state", "stored_energy", "exergy",
    "total_exergy", "paper_populations", "Sweep", "sweep", "delta_dT_map", "liouvillian_batch",
    "kernel_dimensions", "transitions", "level_crossings", "symmetry_unitary",
    "closed_form_two_spin", "eigen_rates_two_spin", "printed_rates_two_spin",
    "printed_closed_form_two_spin", "printed_rates_three_spin", "printed_steady_three_spin",
]

#: Supported chain lengths (the dense single-point solver works on 4**N x 4**N generators).
N_SPINS_RANGE = (2, 4)
_KERNEL_RTOL = 1e-10
_OPS: dict[int, dict[str, np.ndarray]] = {}


# --------------------------------------------------------------------------- validation
@dataclass(frozen=True)
class Params:
    """Validated parameters of one point (see :func:`validate`)."""

    n_spins: int
    B0: float
    J: float
    Delta: float
    T_L: float
    T_R: float
    eps: int
    collective: bool
    kappa: float
    zero_frequency: str


def _n_spins(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"n_spins must be an integer in [{N_SPINS_RANGE[0]}, {N_SPINS_RANGE[1]}]; got {n!r}")
    if not N_SPINS_RANGE[0] <= int(n) <= N_SPINS_RANGE[1]:
        raise ValueError(f"n_spins must be an integer in [{N_SPINS_RANGE[0]}, {N_SPINS_RANGE[1]}]; got {n}")
    return int(n)


def _eps(eps: Any) -> int:
    if isinstance(eps, (bool, np.bool_)) or eps not in (0, 1):
        raise ValueError(f"eps must be 0 or 1 (switch of the second left coupling); got {eps!r}")
    return int(eps)


def _collective(c: Any) -> bool:
    if not isinstance(c, (bool, np.bool_)):
        raise ValueError(f"collective must be True or False; got {c!r}")
    return bool(c)


def validate(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5, T_L: float = 1.0,
             T_R: float = 1.0, eps: int = 1, collective: bool = True, kappa: float = 0.01,
             zero_frequency: str = "limit") -> Params:
    r"""Validate one parameter point.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Magnetic field :math:`B_0`, exchange :math:`J` and anisotropy :math:`\Delta` of eq. 1 (energies,
        :math:`\hbar = 1`; any finite reals, the paper uses :math:`|\Delta|\le1` and :math:`|J| = 1`).
    T_L, T_R : float
        Temperatures of the left and right baths (energy, :math:`k_B = 1`), ``>= 0``.
    eps : {0, 1}
        Switch :math:`\varepsilon` of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath seen collectively by spins 1 and N (paper) or as two independent baths.
    kappa : float
        Ohmic coupling :math:`\kappa > 0` (dimensionless: :math:`\mathcal J(\omega) = \kappa\omega`); it
        scales every rate and does not change the steady state.
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at exact level crossings (module docstring).

    Returns
    -------
    Params
        The validated point (a frozen dataclass with the fields above; ``eps`` an int,
        ``collective`` a bool).

    Raises
    ------
    ValueError
        Naming the parameter and its valid range.
    """
    return Params(_n_spins(n_spins), V.real_number(B0, "B0"), V.real_number(J, "J"),
                  V.real_number(Delta, "Delta"), V.temperature(T_L, "T_L"), V.temperature(T_R, "T_R"),
                  _eps(eps), _collective(collective), V.real_number(kappa, "kappa", lo=0.0, lo_open=True),
                  V.choice(zero_frequency, "zero_frequency", ("limit", "drop")))


# --------------------------------------------------------------------------- operators
def _ops(n: int) -> dict[str, np.ndarray]:
    """Real matrices of the three Hamiltonian terms, the end-spin sigma^x and sector data."""
    if n not in _OPS:
        s = master.spin_operators(n)
        hb = 0.5 * sum(s["sz"]).real
        hj = 0.5 * sum((s["sx"][i] @ s["sx"][i + 1] + s["sy"][i] @ s["sy"][i + 1]).real for i in range(n - 1))
        hd = 0.5 * sum((s["sz"][i] @ s["sz"][i + 1]).real for i in range(n - 1))
        ups = np.array([n - bin(b).count("1") for b in range(2 ** n)])
        _OPS[n] = dict(hb=hb, hj=hj, hd=hd, x1=s["sx"][0].real, xN=s["sx"][n - 1].real, ups=ups)
    return _OPS[n]


def hamiltonian(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5) -> np.ndarray:
    r"""The chain Hamiltonian (paper eqs. 1, 20) as a real matrix in the QuTiP product basis.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy of eq. 1 (energies; any finite reals).

    Returns
    -------
    ndarray, shape (2**N, 2**N)
        :math:`H` (real symmetric, energy units), spin 1 the leftmost factor, :math:`|\uparrow\rangle`
        = state 0 of each spin.

    Raises
    ------
    ValueError
        If ``n_spins`` or a coupling is out of range (see :func:`validate`).
    """
    n = _n_spins(n_spins)
    o = _ops(n)
    return (V.real_number(B0, "B0") * o["hb"] + V.real_number(J, "J") * o["hj"]
            + V.real_number(Delta, "Delta") * o["hd"])


def coupling_operators(n_spins: int = 2, eps: int = 1, collective: bool = True) -> list[tuple[str, np.ndarray]]:
    r"""System operators of the independent bath couplings, as ``(bath, X)`` pairs.

    ``("L", σx_1 + ε σx_N), ("R", σx_N)`` for the collective setting; with
    ``collective=False`` the left coupling is split into ``("L", σx_1)`` and, if ``eps``,
    a second, independent ``("L", σx_N)``.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    eps : {0, 1}
        Switch :math:`\varepsilon` of the coupling of spin N to the left bath.
    collective : bool
        ``True``: one left bath seen by :math:`\sigma^x_1 + \varepsilon\sigma^x_N` (cross terms kept);
        ``False``: independent left baths on spins 1 and N.

    Returns
    -------
    list of (str, ndarray)
        Bath label ``"L"`` or ``"R"`` and the real ``2**N × 2**N`` coupling operator; each entry is
        an independent bath.

    Raises
    ------
    ValueError
        For an invalid ``n_spins``, ``eps`` or ``collective``.
    """
    o = _ops(_n_spins(n_spins))
    eps, collective = _eps(eps), _collective(collective)
    if collective or eps == 0:
        left = [("L", o["x1"] + eps * o["xN"])]
    else:
        left = [("L", o["x1"]), ("L", o["xN"])]
    return left + [("R", o["xN"])]


def bath_couplings(p: Params) -> list[master.Coupling]:
    r"""The couplings of one point in :mod:`qbcore.master` form (Ohmic boson baths).

    Parameters
    ----------
    p : Params
        A validated point (from :func:`validate`).

    Returns
    -------
    list of qbcore.master.Coupling
        One per entry of :func:`coupling_operators`, each with its own
        ``Bath("boson", T, J=ohmic(kappa))`` at ``T_L`` or ``T_R``, named ``"L"`` or ``"R"``.
    """
    T = {"L": p.T_L, "R": p.T_R}
    return [master.Coupling(X, Bath("boson", T[b], J=ohmic(p.kappa)), b)
            for b, X in coupling_operators(p.n_spins, p.eps, p.collective)]


def symmetry_unitary(n_spins: int) -> np.ndarray:
    r"""The local unitary :math:`\prod_{i\ \mathrm{even}}\sigma^z_i` (spins counted from 1) mapping J → −J.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.

    Returns
    -------
    ndarray, shape (2**N, 2**N)
        Real diagonal :math:`U` with :math:`U H(J) U = H(-J)` (module docstring).

    Raises
    ------
    ValueError
        For an invalid ``n_spins``.
    """
    n = _n_spins(n_spins)
    s = master.spin_operators(n)["sz"]
    U = np.eye(2 ** n)
    for i in range(1, n, 2):
        U = U @ s[i].real
    return U


# --------------------------------------------------------------------------- eigenbasis
def _eig_batch(n: int, B0: np.ndarray, J: np.ndarray, Delta: np.ndarray):
    """Sector-resolved eigen-decomposition of a stack of Hamiltonians.

    Returns energies ``E (m, d)`` ascending, real orthogonal ``U (m, d, d)`` (columns are
    eigenvectors of definite magnetisation) and the number of up spins of each column.
    """
    o = _ops(n)
    d = 2 ** n
    m = B0.shape[0]
    E = np.empty((m, d))
    U = np.zeros((m, d, d))
    ups = np.empty(d, dtype=int)
    col = 0
    for k in range(n + 1):
        idx = np.flatnonzero(o["ups"] == k)
        sub = np.ix_(idx, idx)
        Hs = (B0[:, None, None] * o["hb"][sub] + J[:, None, None] * o["hj"][sub]
              + Delta[:, None, None] * o["hd"][sub])
        w, v = np.linalg.eigh(Hs)
        cols = slice(col, col + idx.size)
        E[:, cols] = w
        U[:, idx, cols] = v
        ups[cols] = k
        col += idx.size
    order = np.argsort(E, axis=1, kind="stable")
    E = np.take_along_axis(E, order, axis=1)
    U = np.take_along_axis(U, order[:, None, :], axis=2)
    return E, U, ups[order]


def eigenbasis(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5):
    r"""Energies (ascending), eigenvectors (columns, definite magnetisation) and up-spin numbers.

    Diagonalised sector by sector (:math:`H` conserves the number of up spins), so every
    eigenvector has a definite magnetisation even at level crossings.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy of eq. 1 (energies; any finite reals).

    Returns
    -------
    E : ndarray, shape (2**N,)
        Eigenenergies, ascending (energy units).
    U : ndarray, shape (2**N, 2**N)
        Real orthogonal; column ``k`` is the eigenvector of ``E[k]`` in the product basis.
    ups : ndarray of int, shape (2**N,)
        Number of up spins of each eigenvector.

    Raises
    ------
    ValueError
        If ``n_spins`` or a coupling is out of range.
    """
    n = _n_spins(n_spins)
    arr = [np.array([V.real_number(x, nm)]) for x, nm in ((B0, "B0"), (J, "J"), (Delta, "Delta"))]
    E, U, ups = _eig_batch(n, *arr)
    return E[0], U[0], ups[0]


def paper_eigenstates(n_spins: int, B0: float, J: float, Delta: float) -> tuple[np.ndarray, np.ndarray]:
    r"""The paper's analytic eigenpairs, eqs. 2a–2d (:math:`\Phi_{1..4}`) or 21a–21h (:math:`\Psi_{1..8}`).

    Parameters
    ----------
    n_spins : {2, 3}
        Chain length (the paper gives no closed forms for N = 4).
    B0, J, Delta : float
        Field, exchange and anisotropy (energies); ``J != 0`` for N = 3 (eq. 21 divides by J).

    Returns
    -------
    E : ndarray, shape (d,)
        Energies in the paper's label order.
    V : ndarray, shape (d, d)
        Column ``k`` is the paper's state ``k + 1`` in the QuTiP product basis.

    Raises
    ------
    ValueError
        For ``n_spins`` not 2 or 3, ``J = 0`` with N = 3, or a non-finite coupling.
    """
    n = _n_spins(n_spins)
    if n not in (2, 3):
        raise ValueError("paper_eigenstates exists for n_spins = 2 and 3 only")
    B0, J, D = (V.real_number(x, nm) for x, nm in ((B0, "B0"), (J, "J"), (Delta, "Delta")))
    if n == 3 and J == 0.0:
        raise ValueError("the paper's three-spin eigenvectors (eq. 21) need J != 0")
    d = 2 ** n

    eye = np.eye(d)

    def ket(bits: str) -> np.ndarray:  # paper's bits, '1' = up = QuTiP state 0
        return eye[int(bits, 2) ^ (d - 1)]

    r2 = np.sqrt(2.0)
    if n == 2:
        vecs = [ket("00"), ket("11"), (ket("01") - ket("10")) / r2, (ket("10") + ket("01")) / r2]
        E = [0.5 * (D - 2 * B0), 0.5 * (D + 2 * B0), -0.5 * D - J, -0.5 * D + J]
    else:
        al = np.sqrt(D * D + 8 * J * J)
        a, b = (D + al) / J, (D - al) / J
        x, y = 1 / np.sqrt(a * a + 8), 1 / np.sqrt(b * b + 8)
        vecs = [(ket("001") - ket("100")) / r2, (ket("011") - ket("110")) / r2, ket("000"), ket("111"),
                x * (2 * ket("100") - a * ket("010") + 2 * ket("001")),
                x * (2 * ket("110") - a * ket("101") + 2 * ket("011")),
                y * (2 * ket("100") - b * ket("010") + 2 * ket("001")),
                y * (2 * ket("110") - b * ket("101") + 2 * ket("011"))]
        E = [-B0 / 2, B0 / 2, 0.5 * (2 * D - 3 * B0), 0.5 * (2 * D + 3 * B0), -0.5 * (B0 + D + al),
             0.5 * (B0 - D - al), -0.5 * (B0 + D - al), 0.5 * (B0 - D + al)]
    return np.array(E), np.array(vecs).T


def level_crossings(n_spins: int, B0: float, J: float, Delta: float, tol: float = 1e-9) -> list[tuple[int, int]]:
    r"""Pairs of degenerate levels (indices into the ascending :func:`eigenbasis`).

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy of eq. 1 (energies; any finite reals).
    tol : float
        Relative tolerance: levels with :math:`|E_j - E_i| \le` ``tol * max(1, E_max - E_min)`` count
        as degenerate (default 1e-9, the Bohr-frequency tolerance of :mod:`qbcore.master`).

    Returns
    -------
    list of (int, int)
        Index pairs ``(i, j)``, ``i < j``.

    Raises
    ------
    ValueError
        If ``n_spins`` or a coupling is out of range.
    """
    E, _, _ = eigenbasis(n_spins, B0, J, Delta)
    t = tol * max(1.0, E[-1] - E[0])
    return [(i, j) for i in range(E.size) for j in range(i + 1, E.size) if abs(E[j] - E[i]) <= t]


# --------------------------------------------------------------------------- single point
def _wrap(rho: np.ndarray, p: Params, kernel_dim: int, **extra: Any) -> master.SteadyState:
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    E, U, ups = eigenbasis(p.n_spins, p.B0, p.J, p.Delta)
    rho_e = U.T @ rho @ U
    en, W = batch_ergotropy(rho_e, E)
    extra.update(params=p, basis=U, up_spins=ups, E_gs=float(E[0]), E_max=float(E[-1]),
                 coherence=float(np.max(np.abs(rho_e - np.diag(np.diag(rho_e))))))
    if p.n_spins in (2, 3) and p.J != 0.0:
        extra["paper_populations"] = paper_populations(rho, p)
    return master.SteadyState(rho=rho, H=H, energies=E, populations=np.real(np.diag(rho_e)).copy(),
                              energy=float(en), ergotropy=float(W), kernel_dim=int(kernel_dim),
                              min_eigenvalue=float(np.linalg.eigvalsh(rho)[0]), extra=extra)


def steady_state(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5, T_L: float = 1.0,
                 T_R: float = 1.0, eps: int = 1, collective: bool = True, kappa: float = 0.01, *,
                 zero_frequency: str = "limit", initial: Any = None) -> master.SteadyState:
    r"""Steady state from the full global Liouvillian (kernel checked), via :mod:`qbcore.master`.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy of eq. 1 (energies; any finite reals).
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.
    kappa : float
        Ohmic coupling, ``> 0`` (dimensionless; the steady state does not depend on it).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at exact level crossings.
    initial : array_like, "ground" or None
        Initial state: a density matrix, or ``"ground"`` for the all-down state the paper starts
        from. Needed only when the steady state is not unique (both baths at ``T = 0`` and a
        degenerate ground level); the result is then the long-time limit from it.

    Returns
    -------
    qbcore.master.SteadyState
        ``rho`` (product basis), ``H``, ``energies`` (ascending), ``populations`` (in the
        sector-resolved eigenbasis of :func:`eigenbasis`), ``energy``, ``ergotropy``,
        ``kernel_dim``, ``min_eigenvalue``; ``extra`` holds ``params``, ``basis``,
        ``E_gs``, ``E_max``, ``coherence`` (largest off-diagonal element in the eigenbasis) and,
        for N = 2, 3, ``paper_populations`` (the paper's labels Φ1..Φ4 / Ψ1..Ψ8).

    Raises
    ------
    ValueError
        Bad parameters; :class:`qbcore.master.NonUniqueSteadyStateError` for a degenerate
        kernel without ``initial``.
    """
    p = validate(n_spins, B0, J, Delta, T_L, T_R, eps, collective, kappa, zero_frequency)
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    # The paper's global secular equation (its eq. 7); its validity is discussed in the chapter.
    L = master.global_lindblad(H, bath_couplings(p), zero_frequency=p.zero_frequency, secular_check=False)
    if isinstance(initial, str):
        V.choice(initial, "initial", ("ground",))
        initial = np.zeros_like(H)
        initial[-1, -1] = 1.0
    try:
        ss = master.steady_state(L, H, initial=initial)
    except master.NonUniqueSteadyStateError as exc:
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the steady state is not unique (kernel dimension {m.group(1) if m else '> 1'}); here "
            f"T_L={p.T_L}, T_R={p.T_R} leave degenerate levels unconnected. Pass initial='ground' (the paper's "
            "initial state) or a density matrix for the long-time limit from it") from None
    return _wrap(ss.rho, p, ss.kernel_dim)


def paper_populations(rho: np.ndarray, p: Params) -> np.ndarray:
    r"""Populations :math:`\langle\Phi_k|\rho|\Phi_k\rangle` in the paper's label order (N = 2, 3).

    Parameters
    ----------
    rho : ndarray, shape (2**N, 2**N)
        Density matrix in the QuTiP product basis (e.g. ``steady_state(...).rho``).
    p : Params
        The point (from :func:`validate`) whose eigenstates label the populations; N = 2 or 3,
        and ``J != 0`` for N = 3.

    Returns
    -------
    ndarray, shape (2**N,)
        :math:`\langle\Phi_k|\rho|\Phi_k\rangle` (N = 2) or :math:`\langle\Psi_k|\rho|\Psi_k\rangle` (N = 3),
        ``k = 1..2**N``.

    Raises
    ------
    ValueError
        As :func:`paper_eigenstates` (N = 4, or J = 0 with N = 3).
    """
    _, Vp = paper_eigenstates(p.n_spins, p.B0, p.J, p.Delta)
    return np.real(np.einsum("ik,ij,jk->k", Vp, rho, Vp))


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


# --------------------------------------------------------------------------- rates
def _zero_rate(T: np.ndarray, kappa: float, mode: str) -> np.ndarray:
    r"""Rate of a Hermitian zero-frequency channel, as qbcore.master.global_jumps sets it.

    The Ohmic limit :math:`\lim_{w\to0^+}\kappa w[1+n(w)] = \kappa T` (zero at ``T = 0``), which
    ``Bath.rate_at_zero`` returns exactly; ``mode="drop"`` omits the channel.
    """
    if mode == "drop":
        return np.zeros_like(T)
    return kappa * np.asarray(T, dtype=float)


def _rates(omega: np.ndarray, T: np.ndarray, kappa: float, tol: np.ndarray, mode: str) -> np.ndarray:
    r"""Rate of the transition lowering the energy by ``omega`` (raising it if negative), bath at ``T``.

    :math:`\kappa\omega[1+n(\omega)]` down, :math:`\kappa|\omega|n(|\omega|)` up; at :math:`|\omega|\le` ``tol``
    the zero-frequency rate of :func:`_zero_rate`. ``T`` and ``tol`` broadcast against ``omega``.
    """
    w = np.abs(omega)
    pos = w > tol
    ws = np.where(pos, w, 1.0)
    hot = T > 0
    n = np.where(hot, _bose_ratio(ws / np.where(hot, T, 1.0)), 0.0)
    r = kappa * ws * np.where(omega > 0, 1.0 + n, n)
    if not np.all(pos):
        r = np.where(pos, r, _zero_rate(np.asarray(T, float), kappa, mode))
    return r


def _bose_ratio(x: np.ndarray) -> np.ndarray:
    """1/(e^x - 1) for x > 0 (0 once e^x overflows)."""
    with np.errstate(over="ignore"):
        return 1.0 / np.expm1(x)


def _tol(E: np.ndarray) -> np.ndarray:
    """Bohr-frequency tolerance of qbcore.master (per point)."""
    return 1e-9 * np.maximum(1.0, E[..., -1] - E[..., 0])


# --------------------------------------------------------------------------- sweeps
@dataclass
class Sweep:
    r"""Steady states over a broadcast parameter grid (result of :func:`sweep`).

    ``S`` is the broadcast shape of the swept parameters and ``d = 2**N``; energies are in the
    units of the inputs (:math:`\hbar = k_B = 1`).

    Attributes
    ----------
    energies : ndarray, shape S + (d,)
        Eigenenergies, ascending.
    populations : ndarray, shape S + (d,)
        Populations in the sector-resolved eigenbasis of :func:`eigenbasis`.
    spectrum : ndarray, shape S + (d,)
        Eigenvalues of the steady state (= populations where it is diagonal).
    energy : ndarray, shape S
        :math:`\mathrm{Tr}\,\rho H`.
    ergotropy : ndarray, shape S
        Ergotropy (energy units, round-off clamped to exactly 0).
    paper_populations : ndarray, shape S + (d,), or None
        Populations in the paper's labels (N = 2, 3 with ``J != 0`` everywhere and
        ``paper_labels=True``), else None.
    unique : ndarray of bool, shape S
        The steady state is unique (rate-equation kernel, or Liouvillian kernel at fallback points);
        where not, the long-time limit from the all-down state.
    method : ndarray of str, shape S
        ``"pauli"`` or ``"liouvillian"`` (fallback at degeneracies with shared neighbours).
    params : dict
        The broadcast inputs.
    stored : ndarray, shape S
        Energy above the ground level, not normalised (property).
    """

    energies: np.ndarray
    populations: np.ndarray
    spectrum: np.ndarray
    energy: np.ndarray
    ergotropy: np.ndarray
    paper_populations: np.ndarray | None
    unique: np.ndarray
    method: np.ndarray
    params: dict = field(repr=False)

    @property
    def stored(self) -> np.ndarray:
        """Energy above the ground level (not normalised)."""
        return self.energy - self.energies[..., 0]


def _broadcast_inputs(n: int, B0, J, Delta, T_L, T_R):
    arrs = [V.real_array(x, nm) for x, nm in ((B0, "B0"), (J, "J"), (Delta, "Delta"), (T_L, "T_L"), (T_R, "T_R"))]
    for a, nm in zip(arrs[3:], ("T_L", "T_R")):
        if np.any(a < 0):
            raise ValueError(f"{nm} must be >= 0 (temperatures); got min {a.min()}")
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrs))
    except ValueError as exc:
        raise ValueError(f"B0, J, Delta, T_L, T_R must broadcast together: {exc}") from None
    return [np.broadcast_to(a, shape).ravel() for a in arrs], shape


def _shared_neighbour(E: np.ndarray, G: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Points where two degenerate levels share a neighbour under one coupling (Pauli not exact)."""
    d = E.shape[-1]
    deg = np.abs(E[:, :, None] - E[:, None, :]) <= tol[:, None, None]
    deg &= ~np.eye(d, dtype=bool)
    bad = np.zeros(E.shape[0], dtype=bool)
    if not deg.any():
        return bad
    for g in G:
        g = g.astype(float)
        bad |= np.any(deg & (g @ g > 0), axis=(1, 2))
    return bad


def _pauli_unique(W: np.ndarray) -> np.ndarray:
    """Whether each rate matrix ``W[..., i, j]`` (rate j -> i) has a unique stationary distribution.

    True iff some state is reachable from every state (then there is one closed class).
    Rates below ``1e-10 x`` the largest rate of the same matrix count as absent, the
    threshold used for singular values by :func:`kernel_dimensions`.
    """
    d = W.shape[-1]
    thr = _KERNEL_RTOL * W.max(axis=(-2, -1), keepdims=True)
    R = ((W > thr) | np.eye(d, dtype=bool)).astype(np.float32)     # R[j, i]: i -> j in <= 1 step
    for _ in range(max(1, int(np.ceil(np.log2(d))))):
        R = (R @ R > 0).astype(np.float32)                           # paths of length <= 2^k
    return np.any(np.all(R > 0, axis=-1), axis=-1)


def _point_data(n, eps, collective, B0, J, Delta):
    """Unique Hamiltonian points: eigen-data and coupling matrix elements in the eigenbasis."""
    key = np.stack([B0, J, Delta], axis=1)
    var = [k for k in range(3) if np.ptp(key[:, k]) > 0]
    if len(var) <= 1:                                   # fast 1-D unique (the usual sweep)
        col = key[:, var[0]] if var else key[:, 0]
        vals, first, inv = np.unique(col, return_index=True, return_inverse=True)
        uniq = key[first]
    else:
        uniq, inv = np.unique(key, axis=0, return_inverse=True)
    E, U, _ = _eig_batch(n, uniq[:, 0], uniq[:, 1], uniq[:, 2])
    ops = coupling_operators(n, eps, collective)
    Xe = [(b, np.swapaxes(U, 1, 2) @ X @ U) for b, X in ops]
    return uniq, inv.ravel(), E, U, Xe


def _batch_setup(n_spins, eps, collective, kappa, zero_frequency, B0, J, Delta, T_L, T_R):
    """Validated arguments of the batched routes: ``n, eps, collective, kappa, flat arrays, shape, point data``."""
    n = _n_spins(n_spins)
    eps, collective = _eps(eps), _collective(collective)
    kappa = V.real_number(kappa, "kappa", lo=0.0, lo_open=True)
    V.choice(zero_frequency, "zero_frequency", ("limit", "drop"))
    arrays, shape = _broadcast_inputs(n, B0, J, Delta, T_L, T_R)
    return n, eps, collective, kappa, arrays, shape, _point_data(n, eps, collective, *arrays[:3])


def sweep(n_spins: int = 2, B0: Any = 2.0, J: Any = 1.0, Delta: Any = 0.5, T_L: Any = 1.0, T_R: Any = 1.0,
          eps: int = 1, collective: bool = True, kappa: float = 0.01, *, zero_frequency: str = "limit",
          paper_labels: bool = True) -> Sweep:
    r"""Vectorised steady states over broadcast arrays of ``B0, J, Delta, T_L, T_R``.

    One sector-resolved ``numpy.linalg.eigh`` per distinct Hamiltonian, rates from the
    eigen-operators, and the batched rate equation (:func:`qbcore.master.pauli_steady_batch`).
    Points where two degenerate levels share a neighbour (the rate equation would not be
    exact) are solved with the batched Liouvillian of :func:`liouvillian_batch`. No QuTiP
    objects are built. Uniqueness is checked at every point (``Sweep.unique``); where the
    steady state is not unique the long-time limit from the all-down state is returned.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : array_like
        Field, exchange and anisotropy (energies, finite), broadcast together with the temperatures.
    T_L, T_R : array_like
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath (one value for the grid).
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.
    kappa : float
        Ohmic coupling, ``> 0`` (does not change the steady state).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at exact level crossings.
    paper_labels : bool
        Also compute ``Sweep.paper_populations`` (N = 2, 3 and ``J != 0`` everywhere).

    Returns
    -------
    Sweep
        Arrays over the broadcast shape of ``B0, J, Delta, T_L, T_R``.

    Raises
    ------
    ValueError
        A parameter out of range or arrays that do not broadcast, naming the parameter.
    """
    n, eps, collective, kappa, (B0, J, Delta, T_L, T_R), shape, (uniq, inv, Eu, Uu, Xe) = _batch_setup(
        n_spins, eps, collective, kappa, zero_frequency, B0, J, Delta, T_L, T_R)
    E = Eu[inv]
    d = E.shape[-1]
    tol_u = _tol(Eu)
    Tb = {"L": T_L, "R": T_R}
    omega_u = Eu[:, None, :] - Eu[:, :, None]          # omega[u, i, j] = E_j - E_i (j -> i lowers)
    W = np.zeros((E.shape[0], d, d))
    for b, X in Xe:
        X2 = X ** 2
        M = np.any(X2 > 1e-14, axis=0) & ~np.eye(d, dtype=bool)    # entries allowed somewhere
        om, x2 = omega_u[:, M][inv], X2[:, M][inv]               # (points, allowed entries)
        r = _rates(om, Tb[b][:, None], kappa, tol_u[inv][:, None], zero_frequency)
        W[:, M] += np.where(x2 > 1e-14, r * x2, 0.0)
    fallback = _shared_neighbour(Eu, [np.abs(X) > 1e-12 for _, X in Xe], tol_u)[inv]
    pops = np.empty((E.shape[0], d))
    spec = np.empty_like(pops)
    unique = np.ones(E.shape[0], dtype=bool)
    pa = ~fallback
    if pa.any():
        unique[pa] = _pauli_unique(W[pa])
        ok = pa & unique
        pops[ok] = master.pauli_steady_batch(W[ok])
        spec[ok] = pops[ok]
    for k in np.flatnonzero(pa & ~unique):             # rare: degenerate kernel -> paper's initial state
        ss = steady_state(n, B0[k], J[k], Delta[k], T_L[k], T_R[k], eps, collective, kappa,
                          zero_frequency=zero_frequency, initial="ground")
        pops[k], spec[k] = ss.populations, np.clip(np.linalg.eigvalsh(ss.rho), 0, None)
    if fallback.any():
        idx = np.flatnonzero(fallback)
        Ls = liouvillian_batch(n, B0[idx], J[idx], Delta[idx], T_L[idx], T_R[idx], eps, collective, kappa,
                               zero_frequency=zero_frequency)
        unique[idx] = kernel_dimensions(Ls) == 1
        ok = idx[unique[idx]]
        if ok.size:
            rho_e = master.lindblad_steady_batch(Ls[unique[idx]])
            pops[ok] = np.real(np.diagonal(rho_e, axis1=1, axis2=2))
            spec[ok] = np.clip(np.linalg.eigvalsh(rho_e), 0.0, None)
        for k in idx[~unique[idx]]:
            ss = steady_state(n, B0[k], J[k], Delta[k], T_L[k], T_R[k], eps, collective, kappa,
                              zero_frequency=zero_frequency, initial="ground")
            pops[k], spec[k] = ss.populations, np.clip(np.linalg.eigvalsh(ss.rho), 0, None)
    energy = np.sum(pops * E, axis=-1)
    p_desc = np.sort(spec, axis=-1)[:, ::-1]
    erg = energy - np.sum(p_desc * E, axis=-1)
    erg = roundoff_zero(erg, np.abs(E).max(-1))
    paper = None
    if paper_labels and n in (2, 3) and np.all(uniq[:, 1] != 0):
        Pk = np.empty((uniq.shape[0], d, d))
        for u, (b0, j, de) in enumerate(uniq):
            _, Vp = paper_eigenstates(n, b0, j, de)
            Pk[u] = (Vp.T @ Uu[u]) ** 2                   # |<Phi_k|u_i>|^2
        paper = np.einsum("pki,pi->pk", Pk[inv], pops)
    method = np.where(fallback, "liouvillian", "pauli")
    rs = lambda a: a.reshape(shape + a.shape[1:])      # noqa: E731
    return Sweep(energies=rs(E), populations=rs(pops), spectrum=rs(spec), energy=rs(energy), ergotropy=rs(erg),
                 paper_populations=None if paper is None else rs(paper), unique=rs(unique), method=rs(method),
                 params=dict(n_spins=n, B0=rs(B0), J=rs(J), Delta=rs(Delta), T_L=rs(T_L), T_R=rs(T_R), eps=eps,
                             collective=collective, kappa=kappa, zero_frequency=zero_frequency))


def delta_dT_map(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, T_M: float = 2.0, eps: int = 1,
                 collective: bool = True, n_delta: int = 101, n_dT: int = 101,
                 delta_range: tuple[float, float] = (-1.0, 1.0), *, kappa: float = 0.01,
                 zero_frequency: str = "limit", paper_labels: bool = True) -> tuple[np.ndarray, np.ndarray, Sweep]:
    r"""The paper's (Δ, ΔT) maps: :math:`T_{L,R} = T_M \pm \Delta T/2`, :math:`\Delta T\in[-2T_M, 2T_M]`.

    Temperatures that would be negative (never, for this range) are clipped to 0.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J : float
        Field and exchange (energies).
    T_M : float
        Mean bath temperature (energy), ``> 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.
    n_delta, n_dT : int
        Grid points along :math:`\Delta` and :math:`\Delta T`, each in ``[2, 2001]``.
    delta_range : (float, float)
        Range of the anisotropy :math:`\Delta` (default the paper's ``(-1, 1)``).
    kappa : float
        Ohmic coupling, ``> 0`` (does not change the steady state).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at the level crossings (e.g. :math:`\Delta = -1`).
    paper_labels : bool
        Also compute ``Sweep.paper_populations`` (see :func:`sweep`).

    Returns
    -------
    Delta : ndarray, shape (n_delta,)
        Anisotropy grid.
    dT : ndarray, shape (n_dT,)
        :math:`\Delta T = T_L - T_R` grid, from :math:`-2T_M` to :math:`2T_M`.
    sweep : Sweep
        Of shape ``(n_dT, n_delta)`` (rows: :math:`\Delta T`, columns: :math:`\Delta`).

    Raises
    ------
    ValueError
        For ``T_M <= 0``, a grid size outside ``[2, 2001]``, or a parameter rejected by :func:`sweep`.
    """
    T_M = V.real_number(T_M, "T_M", lo=0.0, lo_open=True)
    for v, nm in ((n_delta, "n_delta"), (n_dT, "n_dT")):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 2 <= v <= 2001:
            raise ValueError(f"{nm} must be an integer in [2, 2001]; got {v!r}")
    lo, hi = (V.real_number(x, "delta_range") for x in delta_range)
    D = np.linspace(lo, hi, n_delta)
    dT = np.linspace(-2.0 * T_M, 2.0 * T_M, n_dT)
    T_L = np.clip(T_M + 0.5 * dT, 0.0, None)[:, None]
    T_R = np.clip(T_M - 0.5 * dT, 0.0, None)[:, None]
    return D, dT, sweep(n_spins, B0, J, D[None, :], T_L, T_R, eps, collective, kappa,
                        zero_frequency=zero_frequency, paper_labels=paper_labels)


# --------------------------------------------------------------------------- batched Liouvillian
def liouvillian_batch(n_spins: int, B0: Any, J: Any, Delta: Any, T_L: Any, T_R: Any, eps: int = 1,
                      collective: bool = True, kappa: float = 0.01, *, zero_frequency: str = "limit") -> np.ndarray:
    r"""Global secular Liouvillians of many points, in the sector-resolved eigenbasis of each point.

    Element-wise form of :math:`\sum_c\sum_\omega\gamma_c(\omega)\mathcal D[A_c(\omega)]`: the term
    :math:`A\rho A^\dagger` couples :math:`\rho_{jl}\to\rho_{ab}` with weight
    :math:`\gamma(E_j - E_a)X_{aj}X_{bl}` whenever :math:`E_j - E_a = E_l - E_b` (same Bohr group).
    Column stacking (``vec(rho)[j + d*l] = rho[j, l]``), as :func:`qbcore.master.liouvillian`.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]` (``d = 2**N``).
    B0, J, Delta : array_like
        Field, exchange and anisotropy (energies), broadcast with the temperatures to ``m`` points.
    T_L, T_R : array_like
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.
    kappa : float
        Ohmic coupling, ``> 0``; the generators are proportional to it apart from the
        Hamiltonian part.
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels.

    Returns
    -------
    ndarray, shape (m, d*d, d*d)
        Equal to ``S @ master.global_lindblad(H, couplings) @ inv(S)`` with
        ``S = kron(U.T, U.T)`` and ``U`` from :func:`eigenbasis`; ``m`` points in C order of the
        broadcast shape.

    Raises
    ------
    ValueError
        A parameter out of range or arrays that do not broadcast.
    """
    n, eps, collective, kappa, (B0, J, Delta, T_L, T_R), _, (_, inv, Eu, _, Xe) = _batch_setup(
        n_spins, eps, collective, kappa, zero_frequency, B0, J, Delta, T_L, T_R)
    d = 2 ** n
    out = np.empty((B0.size, d * d, d * d), dtype=complex)
    step = max(1, 2 ** 20 // d ** 4)
    for s in range(0, B0.size, step):
        sl = slice(s, s + step)
        out[sl] = _liouvillian_chunk(Eu[inv[sl]], [(b, X[inv[sl]]) for b, X in Xe],
                                     {"L": T_L[sl], "R": T_R[sl]}, kappa, zero_frequency)
    return out


def _liouvillian_chunk(E: np.ndarray, Xe: list, Tb: dict, kappa: float, mode: str) -> np.ndarray:
    m, d = E.shape
    tol = _tol(E)[:, None, None]
    Om = E[:, None, :] - E[:, :, None]                   # Om[p, a, j] = E_j - E_a
    same = np.abs(Om[:, :, :, None, None] - Om[:, None, None, :, :]) <= tol[..., None, None]   # (p,a,j,b,l)
    deg = np.abs(E[:, :, None] - E[:, None, :]) <= tol
    K = np.zeros((m, d, d, d, d))
    Q = np.zeros((m, d, d))
    for b, Xp in Xe:
        G = _rates(Om, Tb[b][:, None, None], kappa, tol, mode)
        GX = np.where(np.abs(Xp) > 1e-14, G, 0.0) * Xp  # (p, a, j)
        K += np.einsum("paj,pbl->pajbl", GX, Xp) * same
        Q += np.einsum("paj,pal->pjl", GX, Xp) * deg    # (sum_w g A^dag A)[j, l]
    eye = np.eye(d)
    L = np.transpose(K, (0, 3, 1, 4, 2)).astype(complex)          # (p, b, a, l, j)
    L -= 0.5 * np.einsum("paj,bl->pbalj", Q, eye)
    L -= 0.5 * np.einsum("aj,plb->pbalj", eye, Q)
    L -= 1j * (np.einsum("pa,aj,bl->pbalj", E, eye, eye) - np.einsum("pb,aj,bl->pbalj", E, eye, eye))
    return L.reshape(m, d * d, d * d)


def kernel_dimensions(Ls: np.ndarray, rtol: float = _KERNEL_RTOL, chunk: int = 512) -> np.ndarray:
    """Kernel dimension of each generator in a stack (singular values below ``rtol × s_max``).

    Parameters
    ----------
    Ls : array_like, shape (m, n, n)
        Stack of generators (e.g. from :func:`liouvillian_batch`).
    rtol : float
        Relative singular-value threshold (default ``1e-10``).
    chunk : int
        Generators per batched SVD call (memory bound only).

    Returns
    -------
    ndarray of int, shape (m,)
        Number of singular values ``<= rtol * s_max`` of each generator (1 = unique steady state).
    """
    Ls = np.asarray(Ls)
    out = np.empty(Ls.shape[0], dtype=int)
    for s in range(0, Ls.shape[0], chunk):
        sv = np.linalg.svd(Ls[s:s + chunk], compute_uv=False)
        out[s:s + chunk] = np.sum(sv <= rtol * sv[:, :1], axis=1)
    return out


# --------------------------------------------------------------------------- transitions
def transitions(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5, eps: int = 1,
                collective: bool = True) -> list[dict]:
    r"""Bath-allowed transitions at one point: which bath connects which pair of levels, with what weight.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy (energies).
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.

    Returns
    -------
    list of dict
        Keys ``lower, upper`` (indices into the ascending :func:`eigenbasis`), ``omega``
        (:math:`E_{upper}-E_{lower}\ge0`), ``weight_L``, ``weight_R`` (summed
        :math:`|\langle u|X|l\rangle|^2` of each bath's couplings) and, for N = 2, 3, the paper's
        labels ``paper_lower, paper_upper``. Pairs with weight ``<= 1e-12`` for both baths are left out.

    Raises
    ------
    ValueError
        A parameter out of range (see :func:`validate`).
    """
    p = validate(n_spins, B0, J, Delta, 1.0, 1.0, eps, collective)
    E, U, _ = eigenbasis(p.n_spins, p.B0, p.J, p.Delta)
    wts = {"L": np.zeros((E.size, E.size)), "R": np.zeros((E.size, E.size))}
    for b, X in coupling_operators(p.n_spins, p.eps, p.collective):
        wts[b] += (U.T @ X @ U) ** 2
    label = None
    if p.n_spins in (2, 3) and p.J != 0.0:
        _, Vp = paper_eigenstates(p.n_spins, p.B0, p.J, p.Delta)
        label = np.argmax((Vp.T @ U) ** 2, axis=0) + 1
    out = []
    for lo in range(E.size):
        for up in range(lo + 1, E.size):
            wl, wr = wts["L"][up, lo], wts["R"][up, lo]
            if wl > 1e-12 or wr > 1e-12:
                row = dict(lower=lo, upper=up, omega=float(E[up] - E[lo]), weight_L=float(wl), weight_R=float(wr))
                if label is not None:
                    row.update(paper_lower=int(label[lo]), paper_upper=int(label[up]))
                out.append(row)
    return out


# --------------------------------------------------------------------------- the paper's formulas
def _occ(w: np.ndarray, T: float) -> np.ndarray:
    return np.zeros_like(w) if T == 0 else _bose_ratio(w / T)


def eigen_rates_two_spin(B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int = 1,
                         collective: bool = True, kappa: float = 0.01) -> dict[str, tuple[float, float]]:
    r"""Two-spin absorption/emission totals :math:`(A_{ij}, E_{ij})` from the eigen-operator matrix elements.

    Keys ``"31", "41", "23", "24"`` (upper, lower), as in the paper's eqs. 13–14. Left-bath
    weights: :math:`(1-\varepsilon)^2/2` for transitions through :math:`\Phi_3` (antisymmetric) and
    :math:`(1+\varepsilon)^2/2` through :math:`\Phi_4`; ``collective=False``: :math:`1/2+\varepsilon/2`;
    right bath :math:`1/2` everywhere. Valid off level crossings (all four frequencies > 0).

    Parameters
    ----------
    B0, J, Delta : float
        Field, exchange and anisotropy of the two-spin chain (energies).
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_2` to the left bath.
    collective : bool
        Left bath collective on both spins (eq. 12) or two independent baths (eq. 18).
    kappa : float
        Ohmic coupling, ``> 0`` (every rate is proportional to it).

    Returns
    -------
    dict of str to (float, float)
        ``{"31": (A_31, E_31), "41": ..., "23": ..., "24": ...}``: absorption (upward) and emission
        (downward) rates of each transition summed over both baths (energy units, :math:`\hbar = 1`);
        key ``"ij"`` joins :math:`\Phi_i` and :math:`\Phi_j`.

    Raises
    ------
    ValueError
        A parameter out of range, or a transition frequency ``<= 0`` (the paper's level order
        fails at a level crossing).
    """
    p = validate(2, B0, J, Delta, T_L, T_R, eps, collective, kappa)
    E, _ = paper_eigenstates(2, p.B0, p.J, p.Delta)
    out = {}
    for key, sym in (("31", -1), ("41", +1), ("23", -1), ("24", +1)):
        i, j = int(key[0]) - 1, int(key[1]) - 1
        w = E[i] - E[j]
        if w <= 0:
            raise ValueError(f"omega_{key} = {w:.3g} <= 0: the paper's level order fails (level crossing)")
        wl = (p.eps + sym) ** 2 / 2 if p.collective else (1 + p.eps) / 2
        nl, nr = _occ(np.array(w), p.T_L), _occ(np.array(w), p.T_R)
        A = p.kappa * w * (wl * nl + 0.5 * nr)
        Em = p.kappa * w * (wl * (1 + nl) + 0.5 * (1 + nr))
        out[key] = (float(A), float(Em))
    return out


def printed_rates_two_spin(B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int = 1,
                           collective: bool = True, kappa: float = 0.01) -> dict[str, tuple[float, float]]:
    r"""The paper's eq. 12 (or eq. 18 if ``collective=False``) read literally with the labels of eq. 14.

    Eq. 12 gives the left weight :math:`(\varepsilon + (-1)^j)^2/2` for :math:`\gamma_{ij}`; with the
    labels :math:`A_{31}, A_{41}, A_{23}, A_{24}` of eqs. 13–14 the transition :math:`\Phi_1\leftrightarrow\Phi_4`
    gets :math:`(\varepsilon-1)^2/2` instead of the correct :math:`(\varepsilon+1)^2/2`, which eq. 12 does give
    with eq. 11's label :math:`\gamma_{14}` (a labelling inconsistency of the paper). Eq. 18 gives
    :math:`2\kappa\omega` for the non-collective left bath (the eigen-operators give :math:`\kappa\omega`).

    Parameters
    ----------
    B0, J, Delta : float
        Field, exchange and anisotropy of the two-spin chain (energies).
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_2` to the left bath.
    collective : bool
        Left bath collective on both spins (eq. 12) or two independent baths (eq. 18).
    kappa : float
        Ohmic coupling, ``> 0`` (every rate is proportional to it).

    Returns
    -------
    dict of str to (float, float)
        ``{"31": (A_31, E_31), "41": ..., "23": ..., "24": ...}``: absorption (upward) and emission
        (downward) rates of each transition summed over both baths (energy units, :math:`\hbar = 1`);
        key ``"ij"`` joins :math:`\Phi_i` and :math:`\Phi_j`.

    Raises
    ------
    ValueError
        A parameter out of range.
    """
    p = validate(2, B0, J, Delta, T_L, T_R, eps, collective, kappa)
    E, _ = paper_eigenstates(2, p.B0, p.J, p.Delta)
    out = {}
    for key in ("31", "41", "23", "24"):
        i, j = int(key[0]) - 1, int(key[1]) - 1
        w = E[i] - E[j]
        wl = (p.eps + (-1) ** (j + 1)) ** 2 / 2 if p.collective else 2.0
        nl, nr = _occ(np.array(w), p.T_L), _occ(np.array(w), p.T_R)
        out[key] = (float(p.kappa * w * (wl * nl + 0.5 * nr)), float(p.kappa * w * (wl * (1 + nl) + 0.5 * (1 + nr))))
    return out


def printed_closed_form_two_spin(rates: dict[str, tuple[float, float]]) -> np.ndarray:
    r"""Eqs. 13a–13d with eq. 14: populations :math:`(\rho_{11}, \rho_{22}, \rho_{33}, \rho_{44})` from rate totals.

    Parameters
    ----------
    rates : dict of str to (float, float)
        ``{"31", "41", "23", "24"}`` to (absorption, emission) rates ``>= 0``, as returned by
        :func:`eigen_rates_two_spin` or :func:`printed_rates_two_spin`.

    Returns
    -------
    ndarray, shape (4,)
        Populations of :math:`\Phi_1, \dots, \Phi_4` (the paper's labels), summing to 1.

    Raises
    ------
    ValueError
        If eqs. 13–14 are singular for these rates (the ground level :math:`\Phi_1` cannot be left).
    """
    (A31, E31), (A41, E41), (A23, E23), (A24, E24) = (rates[k] for k in ("31", "41", "23", "24"))
    if min(A23 + E31, A31 + A41, E23 + E24) <= 0.0 or A31 * E41 * E23 + E23 * A24 * (A31 + A41) <= 0.0:
        raise ValueError("eqs. 13-14 are singular for these rates (the ground level Phi_1 cannot be left: "
                         "A31 + A41 = 0 or eta1 = 0); the stationary state is then Phi_1 itself")
    eta1 = A31 * E41 / ((A23 + E31) * (A31 + A41)) + E23 * A24 / ((A23 + E31) * (E23 + E24))
    eta2 = 1 - A31 * E31 / ((A23 + E31) * (A31 + A41)) - E23 * A23 / ((A23 + E31) * (E23 + E24))
    r11 = (E31 * eta1 + E41 * eta2) / (eta1 * (A31 + A41))
    r22 = (A23 * eta1 + A24 * eta2) / (eta1 * (E23 + E24))
    r33 = 1.0 / (r11 + r22 + eta2 / eta1 + 1.0)
    return np.array([r11 * r33, r22 * r33, r33, eta2 / eta1 * r33])


def closed_form_two_spin(B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int = 1,
                         collective: bool = True, kappa: float = 0.01) -> np.ndarray:
    r"""Eqs. 13–14 with the eigen-operator rates (the corrected closed form), paper labels Φ1..Φ4.

    Parameters
    ----------
    B0, J, Delta : float
        Field, exchange and anisotropy of the two-spin chain (energies).
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_2` to the left bath.
    collective : bool
        Left bath collective on both spins (eq. 12) or two independent baths (eq. 18).
    kappa : float
        Ohmic coupling, ``> 0`` (every rate is proportional to it).

    Returns
    -------
    ndarray, shape (4,)
        Steady-state populations of :math:`\Phi_1, \dots, \Phi_4`, equal to
        ``steady_state(2, ...).extra["paper_populations"]`` off level crossings.

    Raises
    ------
    ValueError
        As :func:`eigen_rates_two_spin` and :func:`printed_closed_form_two_spin`.
    """
    return printed_closed_form_two_spin(eigen_rates_two_spin(B0, J, Delta, T_L, T_R, eps, collective, kappa))


_PRINTED_3 = ("13", "61", "81", "42", "25", "27", "46", "48", "65", "67", "85", "87")


def printed_rates_three_spin(B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int = 1,
                             kappa: float = 0.01) -> dict[str, tuple[float, float, float]]:
    r"""The paper's three-spin rates, literally: eq. 27 (right) and eqs. B1–B12 (left).

    Returns ``{"ij": (omega_ij, emission, absorption)}`` summed over both baths for the twelve
    channels of Appendix B/C (eq. 26 lists eleven: it omits 4↔8). Printed as is, including the
    :math:`x^2` of B9 (the eigen-operators give :math:`x^4`) and :math:`n_L(\omega_{61})` in the
    emission rate of B3. Transitions 3↔5 and 3↔7 (allowed) appear nowhere in the paper.

    Parameters
    ----------
    B0, J, Delta : float
        Field, exchange and anisotropy of the three-spin chain (energies); ``J != 0``.
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_3` to the (collective) left bath.
    kappa : float
        Ohmic coupling, ``> 0`` (every rate is proportional to it).

    Returns
    -------
    dict of str to (float, float, float)
        ``"ij"`` (upper :math:`\Psi_i`, lower :math:`\Psi_j`) to (Bohr frequency
        :math:`\omega_{ij} > 0`, emission rate, absorption rate), rates in energy units.

    Raises
    ------
    ValueError
        A parameter out of range, ``J = 0``, or a transition frequency ``<= 0`` (outside the paper's
        level order).
    """
    p = validate(3, B0, J, Delta, T_L, T_R, eps, True, kappa)
    E, _ = paper_eigenstates(3, p.B0, p.J, p.Delta)
    D, Jv, e = p.Delta, p.J, p.eps
    al = np.sqrt(D * D + 8 * Jv * Jv)
    a, b = (D + al) / Jv, (D - al) / Jv
    x2, y2 = 1 / (a * a + 8), 1 / (b * b + 8)
    m, pl = (e - 1) ** 2, (e + 1) ** 2
    wL = {"13": m / 2, "61": m / 2 * a * a * x2, "81": m / 2 * b * b * y2, "42": m / 2, "25": m / 2 * a * a * x2,
          "27": m / 2 * b * b * y2, "46": 4 * pl * x2, "48": 4 * pl * y2, "65": 16 * pl * a * a * x2,
          "67": 16 * pl * (D / Jv) ** 2 * x2 * y2, "85": 16 * pl * (D / Jv) ** 2 * x2 * y2,
          "87": 16 * pl * b * b * y2 * y2}
    out = {}
    for key in _PRINTED_3:
        i, j = int(key[0]) - 1, int(key[1]) - 1
        w = float(E[i] - E[j])
        if w <= 0:
            raise ValueError(f"omega_{key} = {w:.3g} <= 0: outside the paper's level order")
        nl = _occ(np.array(w), p.T_L)
        nl_e = _occ(np.array(float(E[5] - E[0])), p.T_L) if key == "81" else nl   # B3 as printed
        nr = _occ(np.array(w), p.T_R)
        em = p.kappa * w * (wL[key] * (1 + nl_e) + 0.5 * (1 + nr))
        ab = p.kappa * w * (wL[key] * nl + 0.5 * nr)
        out[key] = (w, float(em), float(ab))
    return out


def printed_steady_three_spin(B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int = 1,
                              kappa: float = 0.01) -> tuple[np.ndarray, bool]:
    r"""Stationary populations of the paper's eqs. C1–C8 with the printed rates (paper labels Ψ1..Ψ8).

    Parameters
    ----------
    B0, J, Delta : float
        Field, exchange and anisotropy of the three-spin chain (energies); ``J != 0``.
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_3` to the (collective) left bath.
    kappa : float
        Ohmic coupling, ``> 0`` (every rate is proportional to it).

    Returns
    -------
    populations : ndarray, shape (8,)
        Stationary populations of :math:`\Psi_1, \dots, \Psi_8`, summing to 1.
    unique : bool
        Whether they are unique. A disconnected rate graph gives a degenerate kernel; then the
        long-time limit from the paper's initial state :math:`\Psi_3` is returned.

    Raises
    ------
    ValueError
        As :func:`printed_rates_three_spin`.
    """
    rates = printed_rates_three_spin(B0, J, Delta, T_L, T_R, eps, kappa)
    W = np.zeros((8, 8))
    for key, (_, em, ab) in rates.items():
        i, j = int(key[0]) - 1, int(key[1]) - 1          # i upper, j lower
        W[j, i] += em
        W[i, j] += ab
    M = W - np.diag(W.sum(axis=0))
    if _pauli_unique(W[None])[0]:
        return master.pauli_steady_batch(W[None])[0], True
    R, _ = master.kernel(M.astype(complex), rtol=_KERNEL_RTOL)
    Lf, _ = master.kernel(M.T.astype(complex), rtol=_KERNEL_RTOL)
    P = R @ np.linalg.solve(Lf.conj().T @ R, Lf.conj().T)
    p0 = np.zeros(8)
    p0[2] = 1.0
    return np.real(P @ p0), False
