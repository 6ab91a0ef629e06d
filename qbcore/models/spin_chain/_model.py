"""Parameters, operators, couplings and the sector-resolved eigenbasis of the XXZ chain."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ...baths import Bath, ohmic


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
