"""The paper's formulas: two-spin closed forms and three-spin rates, as printed and corrected."""
from __future__ import annotations

import numpy as np

from ... import master
from ._model import _KERNEL_RTOL, paper_eigenstates, validate
from ._sweep import _bose_ratio, _pauli_unique


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
