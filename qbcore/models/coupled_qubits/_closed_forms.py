"""The paper's closed forms (corrected) and its printed text, for the investigation."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ... import master
from ._domain import _grid
from ._model import _admissible, _basis_matrix, _half_angles, _point, params
from ._solve import _wrap
from ._sweep import SweepResult, _closed_form_eps, _effective, _frequencies, _result


def closed_form(*, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0, lam: float = 2.0,
                T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0, J: float = 1.0,
                secular: bool = False) -> master.SteadyState:
    r"""The paper's analytic steady state (eqs. 23–34, and eq. 18 for ``secular=True``), corrected.

    Corrections (each checked against the generator to 1e-12):

    * :math:`\rho_{23}` is :math:`\langle\varepsilon_2|\rho|\varepsilon_3\rangle` for the eigenvectors of
      eq. 2 with :math:`|\varepsilon_3\rangle = c|eg\rangle + s|ge\rangle`; its denominator is
      :math:`2(1+\mathcal L_+ + \mathcal L_-) - i\Omega/J` (bosons, printed ``+i`` and overall ``+``
      sign) and :math:`2 - i\Omega/J` (fermions, printed ``+i``);
    * fermions: :math:`\rho_{44} = \mathcal L_+\mathcal L_- - \mathcal R` (printed
      :math:`L_+L_-\mathcal R`, whose trace is not 1; eq. 33 also prints ``L +`` for :math:`\mathcal L_+`);
    * secular/equilibrium populations: :math:`\rho_{11}\propto\Gamma^+\Gamma^-`,
      :math:`\rho_{22}\propto\gamma^-\Gamma^+`, :math:`\rho_{33}\propto\Gamma^-\gamma^+`,
      :math:`\rho_{44}\propto\gamma^-\gamma^+` (eq. 18 prints a permutation of these; see
      :func:`printed_populations`), with the effective occupations :math:`\mathcal L_\pm` for
      asymmetric qubits.

    The boson and fermion forms hold for any ``T1, T2`` (and ``mu1, mu2``) of the admissible domain.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.
    secular : bool
        ``True``: the secular (global Lindblad) limit, eq. 18 corrected.

    Returns
    -------
    qbcore.master.SteadyState
        As :func:`steady_state` (``extra["method"]`` is ``"closed-form"`` or ``"closed-form-secular"``).

    Raises
    ------
    ValueError
        A parameter outside its range or the point outside the admissible domain (module
        docstring), naming the parameter and its valid range.
    """
    p = _admissible(params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J))
    g = _point(p)
    rho_eps, _ = _closed_form_eps(p.statistics, g, bool(secular))
    c, s = _half_angles(p.lam, p.detuning)
    U = _basis_matrix(np.asarray(c), np.asarray(s))
    rho = U @ rho_eps @ U.T
    return _wrap(rho, p, 1, secular=bool(secular), method="closed-form-secular" if secular else "closed-form")


# --------------------------------------------------------------------------- the printed text
def printed_closed_form(*, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0,
                        lam: float = 2.0, T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0,
                        J: float = 1.0) -> np.ndarray:
    r"""Eqs. 23–34 exactly as printed (with their typos), energy basis, for the investigation.

    The printed ``rho_23`` denominators use ``+ i Omega/J`` (and, for bosons, the opposite overall
    sign); the fermion ``rho_44`` is :math:`\mathcal L_+\mathcal L_-\mathcal R`. Not a physical
    state in general (the fermion trace is not 1).

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.

    Returns
    -------
    ndarray, shape (4, 4), complex
        The printed :math:`\rho_\varepsilon` (eigenbasis of eq. 2, see :func:`eigenbasis`).

    Raises
    ------
    ValueError
        A parameter outside its range or the point outside the admissible domain (module
        docstring), naming the parameter and its valid range.
    """
    p = _admissible(params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J))
    g = _point(p)
    rho, _ = _closed_form_eps(p.statistics, g, False)
    Lp, Lm, Mp, Mm, _, Om = _effective(p.statistics, g)
    x = Om / p.J
    if p.statistics == "boson":
        S = 1 + Lp + Lm
        R = 1.0 / (4 * S ** 2 + x ** 2)
        norm = (1 + 2 * Lp) * (1 + 2 * Lm) - 16 * Mp * Mm * S ** 2 * R
        coh = (Mp * (1 + 2 * Lm) + Mm * (1 + 2 * Lp)) / (2 * S + 1j * x) / norm
    else:
        Rf = (Mp + Mm) ** 2 / (4 + x ** 2)
        rho[3, 3] = Lp * Lm * Rf
        coh = -(Mp + Mm) / (2 + 1j * x)
    rho[1, 2], rho[2, 1] = coh, np.conj(coh)
    return rho


def printed_populations(*, statistics: str = "boson", omega1: ArrayLike = 10.0, omega2: ArrayLike = 10.0,
                        lam: ArrayLike = 2.0, T1: ArrayLike = 1.0, T2: ArrayLike = 1.0, mu1: ArrayLike = 0.0,
                        mu2: ArrayLike = 0.0, J: ArrayLike = 1.0) -> np.ndarray:
    r"""Energy-basis populations of eqs. 18–19 exactly as printed (vectorised like :func:`sweep`).

    Printed: :math:`\rho_{11}\propto\Gamma^+\gamma^-`, :math:`\rho_{22}\propto\gamma^-\gamma^+`,
    :math:`\rho_{33}\propto\Gamma^-\gamma^+`, :math:`\rho_{44}\propto\Gamma^-\Gamma^+`,
    :math:`\mathcal Z = (\gamma^- + \Gamma^-)(\gamma^+ + \Gamma^+)`, with the rates of eqs. 11–12 summed
    over both reservoirs, :math:`\gamma_1^\pm + \gamma_2^\pm = 2J L_\pm`,
    :math:`\Gamma_1^\pm + \Gamma_2^\pm = 2J(1 \pm L_\pm)` (``+`` bosons, ``-`` fermions). For
    asymmetric qubits :math:`L_\pm \to \mathcal L_\pm` (the paper's eq.-29 rule). These are the correct
    secular populations permuted: the ground-state weight sits on :math:`|\varepsilon_4\rangle`.
    Used only to investigate what the paper's figures show.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics (one value for the whole grid).
    omega1, omega2 : array_like
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : array_like
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : array_like
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : array_like
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : array_like
        The paper's spectral density (rate, energy units), ``> 0``.

    Returns
    -------
    ndarray, shape (..., 4)
        The printed populations of :math:`|\varepsilon_1\rangle, \dots, |\varepsilon_4\rangle` (each row sums
        to 1); ``...`` is the broadcast shape of the parameters.

    Raises
    ------
    ValueError
        A parameter outside its range or a point outside the admissible domain (module
        docstring), naming the parameter and its valid range.
    """
    kw = dict(omega1=omega1, omega2=omega2, lam=lam, T1=T1, T2=T2, mu1=mu1, mu2=mu2, J=J)
    g = _grid(statistics, kw)
    Lp, Lm, _, _, _, _ = _effective(statistics, g)
    sign = 1.0 if statistics == "boson" else -1.0
    gm, gp = Lm, Lp                               # common factor 2J cancels
    Gm, Gp = 1 + sign * Lm, 1 + sign * Lp
    Z = (gm + Gm) * (gp + Gp)
    return np.stack([Gp * gm, gm * gp, Gm * gp, Gm * Gp], axis=-1) / Z[..., None]


def printed_equilibrium(*, statistics: str = "boson", omega1: ArrayLike = 10.0, omega2: ArrayLike = 10.0,
                        lam: ArrayLike = 2.0, T1: ArrayLike = 1.0, T2: ArrayLike = 1.0, mu1: ArrayLike = 0.0,
                        mu2: ArrayLike = 0.0, J: ArrayLike = 1.0) -> SweepResult:
    r"""Energy and ergotropy of the diagonal state with the printed eq.-18 populations.

    The state :math:`\sum_k p_k|\varepsilon_k\rangle\langle\varepsilon_k|` with :math:`p_k` from
    :func:`printed_populations`: what the paper's equilibrium figures plot.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics (one value for the whole grid).
    omega1, omega2 : array_like
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : array_like
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : array_like
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : array_like
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : array_like
        The paper's spectral density (rate, energy units), ``> 0``.

    Returns
    -------
    SweepResult
        Over the broadcast shape of the parameters (``coherence`` is 0).

    Raises
    ------
    ValueError
        A parameter outside its range or a point outside the admissible domain (module
        docstring), naming the parameter and its valid range.
    """
    kw = dict(omega1=omega1, omega2=omega2, lam=lam, T1=T1, T2=T2, mu1=mu1, mu2=mu2, J=J)
    pops = printed_populations(statistics=statistics, **kw)
    g = _grid(statistics, kw)
    E = _frequencies(g)[0]
    rho = np.zeros(pops.shape + (4,), dtype=complex)
    idx = np.arange(4)
    rho[..., idx, idx] = pops
    return _result(rho, E)
