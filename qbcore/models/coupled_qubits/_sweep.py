"""Vectorised generators in the energy basis, the batched steady states and closed forms on a grid."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ... import _validate as V
from ... import master
from ...thermo import batch_ergotropy
from ._domain import _grid, occupations
from ._model import _half_angles


def _frequencies(g: dict) -> tuple[np.ndarray, ...]:
    """(energies (...,4), omega_minus, omega_plus, c, s, Omega) of a broadcast grid."""
    d = g["omega1"] + g["omega2"]
    D = g["omega1"] - g["omega2"]
    Om = np.hypot(D, g["lam"])
    c, s = _half_angles(g["lam"], D)
    wm, wp = 0.5 * (d - Om), 0.5 * (d + Om)
    E = np.stack([np.zeros_like(d), wm, wp, d], axis=-1)
    return E, wm, wp, c, s, Om


def _rates(statistics: str, g: dict, wm, wp) -> dict[str, np.ndarray]:
    """Paper occupations N_i^pm (eq. 22 notation) for both reservoirs."""
    out = {}
    for i in (1, 2):
        for tag, w in (("m", wm), ("p", wp)):
            out[f"N{i}{tag}"] = occupations(statistics, w, g[f"T{i}"], g[f"mu{i}"])
    return out


def _T(X: np.ndarray) -> np.ndarray:
    return np.swapaxes(X, -1, -2)


def _unit(entries: dict[tuple[int, int], float]) -> np.ndarray:
    X = np.zeros((4, 4))
    for ij, v in entries.items():
        X[ij] = v
    return X


# Eq. 5 with the angle factors taken out: A_1 = s a_1, B_1 = c b_1, A_2 = c a_2, B_2 = s b_2
# (energy basis, 0-based indices: |eps_1> -> 0, ..., |eps_4> -> 3).
_LADDER = (
    ((_unit({(2, 3): 1.0, (0, 1): -1.0}), "s"), (_unit({(0, 2): 1.0, (1, 3): 1.0}), "c")),
    ((_unit({(2, 3): 1.0, (0, 1): 1.0}), "c"), (_unit({(0, 2): 1.0, (1, 3): -1.0}), "s")),
)


def _P(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Superoperator of rho -> X rho Y (column stacking): kron(Y.T, X)."""
    return np.kron(Y.T, X)


def _fixed_superoperators() -> dict[str, np.ndarray]:
    r"""Parameter-independent pieces of the energy-basis generator.

    The generator is a sum of these 16×16 matrices with coefficients built from the energies,
    :math:`c, s` and the rates, so a whole grid costs one matrix product.
    ``ham``: :math:`-i[|n\rangle\langle n|, \cdot]` for n = 1..3; ``e``/``a`` [k, X, Z]: the emission /
    absorption Redfield terms pairing components X and Z of coupling k; ``sec`` [k, X, dir]: the
    secular dissipators :math:`\mathcal D[X]` (dir 0) and :math:`\mathcal D[X^T]` (dir 1).
    """
    I = np.eye(4)
    ham = []
    for n in range(1, 4):
        Pn = np.zeros((4, 4))
        Pn[n, n] = 1.0
        ham.append(-1j * (_P(Pn, I) - _P(I, Pn)))
    e = np.zeros((2, 2, 2, 16, 16))
    a = np.zeros((2, 2, 2, 16, 16))
    sec = np.zeros((2, 2, 2, 16, 16))
    for k, comps in enumerate(_LADDER):
        for x, (X, _) in enumerate(comps):
            for z, (Z, _) in enumerate(comps):
                e[k, x, z] = _P(X, Z.T) - _P(Z.T @ X, I) + _P(Z, X.T) - _P(I, X.T @ Z)
                a[k, x, z] = _P(X.T, Z) - _P(Z @ X.T, I) + _P(Z.T, X) - _P(I, X @ Z.T)
            for d, Y in enumerate((X, X.T)):
                YtY = Y.T @ Y
                sec[k, x, d] = _P(Y, Y.T) - 0.5 * _P(YtY, I) - 0.5 * _P(I, YtY)
    return {"ham": np.array(ham), "e": e, "a": a, "sec": sec}


_FIXED = _fixed_superoperators()


#: Column-stacked indices of the steady-state sector: rho_11, rho_22, rho_33, rho_44, rho_23, rho_32.
#: The generator conserves the excitation number (sigma_- b^dagger + h.c.), so this block decouples.
SECTOR = np.array([0, 5, 10, 15, 9, 6])


def _batch_generator(statistics: str, g: dict, secular: bool, sector: bool = False):
    r"""Redfield (or secular Lindblad) generators in the energy basis for a whole grid.

    Core rates: emission :math:`2J(1\pm N)`, absorption :math:`2JN` (paper's J, see module docstring);
    the non-secular terms are :func:`qbcore.master.redfield` written in the energy basis.
    ``sector=True`` returns only the 6×6 block acting on :data:`SECTOR`.
    """
    E, wm, wp, c, s, Om = _frequencies(g)
    N = _rates(statistics, g, wm, wp)
    sign = 1.0 if statistics == "boson" else -1.0
    amp = {"c": c, "s": s}
    coefs, mats = [], []
    for k, comps in enumerate(_LADDER):
        occ = (N[f"N{k + 1}m"], N[f"N{k + 1}p"])          # component 0 (A) at omega_-, 1 (B) at omega_+
        for x, (_, fx) in enumerate(comps):
            em, ab = 2 * g["J"] * (1 + sign * occ[x]), 2 * g["J"] * occ[x]
            if secular:
                coefs += [em * amp[fx] ** 2, ab * amp[fx] ** 2]
                mats += [_FIXED["sec"][k, x, 0], _FIXED["sec"][k, x, 1]]
                continue
            for z, (_, fz) in enumerate(comps):
                coefs += [0.5 * em * amp[fx] * amp[fz], 0.5 * ab * amp[fx] * amp[fz]]
                mats += [_FIXED["e"][k, x, z], _FIXED["a"][k, x, z]]
    idx = SECTOR if sector else np.arange(16)
    n = idx.size
    C = np.stack(coefs, axis=-1)
    K = np.array(mats)[:, idx][:, :, idx].reshape(len(mats), n * n)
    Kh = np.imag(_FIXED["ham"])[:, idx][:, :, idx].reshape(3, n * n)
    L = (C @ K).astype(complex)
    L.imag = E[..., 1:] @ Kh
    return L.reshape(C.shape[:-1] + (n, n)), E, Om


def _solve_sector(L6: np.ndarray) -> np.ndarray:
    """Steady states from the 6×6 sector blocks (trace row replaces the rho_11 row)."""
    A = np.array(L6, dtype=complex)
    A[..., 0, :] = [1, 1, 1, 1, 0, 0]
    b = np.zeros(A.shape[:-1] + (1,), dtype=complex)
    b[..., 0, 0] = 1.0
    v = np.linalg.solve(A, b)[..., 0]
    rho = np.zeros(A.shape[:-2] + (4, 4), dtype=complex)
    for i in range(4):
        rho[..., i, i] = v[..., i]
    rho[..., 1, 2], rho[..., 2, 1] = v[..., 4], v[..., 5]
    return rho


@dataclass
class SweepResult:
    r"""Steady-state quantities on a broadcast parameter grid, as returned by :func:`sweep`.

    ``...`` is the broadcast shape of the swept parameters (:attr:`shape`); energies are in the
    units of the inputs (:math:`\hbar = k_B = 1`).

    Attributes
    ----------
    rho_eps : ndarray, shape (..., 4, 4), complex
        Steady states in the eigenbasis of eq. 2, :math:`\langle\varepsilon_i|\rho|\varepsilon_j\rangle`
        (Hermitian, unit trace; not necessarily positive for the non-secular equation).
    energies : ndarray, shape (..., 4)
        Eigenenergies :math:`(0, \omega_-, \omega_+, \delta)`, ascending.
    energy : ndarray, shape (...)
        Mean energy :math:`\mathrm{Tr}\,\rho H_S` (ground level at 0).
    ergotropy : ndarray, shape (...)
        Ergotropy (energy units), with the round-off clamp of :func:`qbcore.thermo.batch_ergotropy`.
    min_eigenvalue : ndarray, shape (...)
        Smallest eigenvalue of each state (negative: not a physical state).
    populations : ndarray, shape (..., 4)
        Energy-basis populations :math:`\rho_{11}, \dots, \rho_{44}`.
    coherence : ndarray, shape (...), complex
        :math:`\rho_{23} = \langle\varepsilon_2|\rho|\varepsilon_3\rangle`.
    shape : tuple of int
        Shape of the parameter grid (property).
    is_positive : ndarray of bool, shape (...)
        Mask of physical states, ``min_eigenvalue >= -1e-10`` (property).
    """

    rho_eps: np.ndarray
    energies: np.ndarray
    energy: np.ndarray
    ergotropy: np.ndarray
    min_eigenvalue: np.ndarray
    populations: np.ndarray
    coherence: np.ndarray

    @property
    def shape(self) -> tuple:
        """Shape of the parameter grid."""
        return self.energy.shape

    @property
    def is_positive(self) -> np.ndarray:
        """Mask of physical (positive semidefinite to 1e-10) states."""
        return self.min_eigenvalue >= -1e-10


def _result(rho_eps: np.ndarray, E: np.ndarray) -> SweepResult:
    rho_eps = 0.5 * (rho_eps + np.conj(_T(rho_eps)))
    en, W = batch_ergotropy(rho_eps, E)
    return SweepResult(rho_eps=rho_eps, energies=E, energy=en, ergotropy=W,
                       min_eigenvalue=np.linalg.eigvalsh(rho_eps)[..., 0],
                       populations=np.real(np.diagonal(rho_eps, axis1=-2, axis2=-1)).copy(),
                       coherence=rho_eps[..., 1, 2].copy())


def sweep(*, statistics: str = "boson", omega1: ArrayLike = 10.0, omega2: ArrayLike = 10.0, lam: ArrayLike = 2.0,
          T1: ArrayLike = 1.0, T2: ArrayLike = 1.0, mu1: ArrayLike = 0.0, mu2: ArrayLike = 0.0, J: ArrayLike = 1.0,
          secular: bool = False, method: str = "generator") -> SweepResult:
    r"""Steady states on a grid: every physical parameter may be an array (numpy broadcasting).

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics (one value for the whole grid).
    omega1, omega2 : array_like
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : array_like
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` at every point (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`, module docstring).
    T1, T2 : array_like
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : array_like
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : array_like
        The paper's spectral density (rate, energy units), ``> 0``.
    secular : bool
        Secular (global Lindblad) limit instead of the non-secular Redfield equation.
    method : {"generator", "full", "closed_form"}
        ``"full"``: build all 16×16 generators in the energy basis with numpy (eq. 5 operators,
        eqs. 8–12) and solve them with :func:`qbcore.master.lindblad_steady_batch`.
        ``"generator"`` (default): the same generators restricted to the 6×6 block :data:`SECTOR`
        that holds the steady state (excitation-number conservation), solved in one batched call.
        ``"closed_form"``: the corrected closed forms. The first two are independent of the third.

    Returns
    -------
    SweepResult
        Arrays over the broadcast shape of the parameters.

    Raises
    ------
    ValueError
        A bad ``method``, or a parameter outside its range or the admissible domain at some grid
        point, naming the parameter and its valid range.
    """
    V.choice(method, "method", ("generator", "full", "closed_form"))
    g = _grid(statistics, dict(omega1=omega1, omega2=omega2, lam=lam, T1=T1, T2=T2, mu1=mu1, mu2=mu2, J=J))
    if method == "closed_form":
        rho_eps, E = _closed_form_eps(statistics, g, bool(secular))
        return _result(rho_eps, E)
    if method == "generator":
        L, E, _ = _batch_generator(statistics, g, bool(secular), sector=True)
        return _result(_solve_sector(L), E)
    L, E, _ = _batch_generator(statistics, g, bool(secular))
    rho = master.lindblad_steady_batch(L.reshape((-1, 16, 16))).reshape(E.shape[:-1] + (4, 4))
    return _result(rho, E)


# --------------------------------------------------------------------------- closed forms
def _effective(statistics: str, g: dict):
    """Eqs. 22 and 29: calligraphic L_pm, M_pm, plus (E, Omega)."""
    E, wm, wp, c, s, Om = _frequencies(g)
    N = _rates(statistics, g, wm, wp)
    Lp, Lm = 0.5 * (N["N1p"] + N["N2p"]), 0.5 * (N["N1m"] + N["N2m"])
    Mp, Mm = 0.5 * (N["N1p"] - N["N2p"]), 0.5 * (N["N1m"] - N["N2m"])
    cos_t, sin_t = c * c - s * s, 2 * c * s
    return Lp + Mp * cos_t, Lm - Mm * cos_t, Mp * sin_t, Mm * sin_t, E, Om


def _closed_form_eps(statistics: str, g: dict, secular: bool) -> tuple[np.ndarray, np.ndarray]:
    """Corrected closed forms of the energy-basis steady state (vectorised)."""
    Lp, Lm, Mp, Mm, E, Om = _effective(statistics, g)
    x = Om / g["J"]
    if secular:                          # the J/Omega -> 0 limit: a product of two thermalised 'modes'
        Mp, Mm = np.zeros_like(Mp), np.zeros_like(Mm)
    rho = np.zeros(Lp.shape + (4, 4), dtype=complex)
    if statistics == "boson":            # eqs. 23-26 / 30-32
        S = 1 + Lp + Lm
        s1, s2 = Mp - Mm * (2 * S + 1), Mm - Mp * (2 * S + 1)
        z1, z2 = Mp + Mm * (2 * S - 1), Mm + Mp * (2 * S - 1)
        R = 1.0 / (4 * S ** 2 + x ** 2)
        norm = (1 + 2 * Lp) * (1 + 2 * Lm) - 16 * Mp * Mm * S ** 2 * R
        pops = [(1 + Lp) * (1 + Lm) - s1 * s2 * R, Lm * (1 + Lp) + s2 * z1 * R,
                Lp * (1 + Lm) + s1 * z2 * R, Lp * Lm - z1 * z2 * R]
        coh = -(Mp * (1 + 2 * Lm) + Mm * (1 + 2 * Lp)) / (2 * S - 1j * x) / norm   # sign/conj corrected
        pops = [q / norm for q in pops]
    else:                                # eqs. 27-28 / 33-34
        Rf = (Mp + Mm) ** 2 / (4 + x ** 2)
        pops = [(1 - Lp) * (1 - Lm) - Rf, Lm * (1 - Lp) + Rf, Lp * (1 - Lm) + Rf, Lp * Lm - Rf]
        coh = -(Mp + Mm) / (2 - 1j * x)                                              # conj corrected
    for i, q in enumerate(pops):
        rho[..., i, i] = q
    rho[..., 1, 2], rho[..., 2, 1] = coh, np.conj(coh)
    return rho, E
