"""Parameters, operators, couplings and the Bloch–Redfield generator of one point."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import _validate as V
from ... import master
from ...baths import Bath, flat
from ._domain import _KEYS, _STATS, _check_domain


_SIGMA = master.spin_operators(2)

# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Params:
    r"""Validated parameters of one point, as returned by :func:`params`.

    Units :math:`\hbar = k_B = 1`; all energies (frequencies, temperatures, chemical potentials,
    coupling strengths) share one unit, which the chapter takes as the reservoir coupling :math:`J`.

    Attributes
    ----------
    omega1, omega2 : float
        Qubit transition frequencies :math:`\omega_1, \omega_2` (energy), ``> 0``.
    lam : float
        Inter-qubit exchange coupling :math:`\lambda` (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`.
    T1, T2 : float
        Temperatures of reservoirs 1 and 2 (energy), ``>= 0``.
    mu1, mu2 : float
        Chemical potentials of the reservoirs (energy); 0 for bosons, any real number for fermions.
    statistics : {"boson", "fermion"}
        Reservoir statistics (both reservoirs share it).
    J : float
        The paper's frequency-independent spectral density (a rate, energy units), ``> 0``.
    delta, detuning, Omega, theta : float
        Derived: :math:`\delta = \omega_1+\omega_2`, :math:`\Delta = \omega_1-\omega_2`,
        :math:`\Omega = \sqrt{\Delta^2+\lambda^2}`, :math:`\theta = \mathrm{atan2}(\lambda, \Delta)\in(0,\pi)`.
    energies : ndarray, shape (4,)
        Derived: eigenenergies :math:`(0, (\delta-\Omega)/2, (\delta+\Omega)/2, \delta)` of eq. 2.
    """

    omega1: float
    omega2: float
    lam: float
    T1: float
    T2: float
    mu1: float
    mu2: float
    statistics: str
    J: float

    @property
    def delta(self) -> float:
        r""":math:`\delta = \omega_1 + \omega_2`."""
        return self.omega1 + self.omega2

    @property
    def detuning(self) -> float:
        r""":math:`\Delta = \omega_1 - \omega_2`."""
        return self.omega1 - self.omega2

    @property
    def Omega(self) -> float:
        r""":math:`\Omega = \sqrt{\Delta^2 + \lambda^2}`."""
        return float(np.hypot(self.detuning, self.lam))

    @property
    def theta(self) -> float:
        r"""Mixing angle :math:`\theta = \mathrm{atan2}(\lambda, \Delta) \in (0, \pi)`."""
        return float(np.arctan2(self.lam, self.detuning))

    @property
    def energies(self) -> np.ndarray:
        r"""Eigenenergies :math:`(0, (\delta-\Omega)/2, (\delta+\Omega)/2, \delta)`."""
        d, W = self.delta, self.Omega
        return np.array([0.0, 0.5 * (d - W), 0.5 * (d + W), d])


def params(omega1: float = 10.0, omega2: float = 10.0, lam: float = 2.0, T1: float = 1.0,
           T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0, statistics: str = "boson",
           J: float = 1.0) -> Params:
    r"""Validate one parameter point.

    Checks each parameter on its own range (the admissible-domain rules of the module docstring,
    which couple the parameters, are applied by the functions that build rates).

    Parameters
    ----------
    omega1, omega2 : float
        Qubit transition frequencies :math:`\omega_{1,2}` (energy), finite and ``> 0``.
    lam : float
        Inter-qubit coupling :math:`\lambda` (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`
        (the paper's rotating-wave condition, which orders the levels).
    T1, T2 : float
        Reservoir temperatures (energy, :math:`k_B = 1`), finite and ``>= 0``; ``T = 0`` is exact.
    mu1, mu2 : float
        Chemical potentials (energy): any finite real for fermions, must be 0 for bosons.
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    J : float
        The paper's frequency-independent spectral density (a rate, energy units), finite and
        ``> 0``; the core bath gets ``flat(2 * J)`` (see the module docstring).

    Returns
    -------
    Params
        The validated point (floats).

    Raises
    ------
    ValueError
        Naming the offending parameter and its valid range.
    """
    stats = V.choice(statistics, "statistics", _STATS)
    w1 = V.real_number(omega1, "omega1", lo=0.0, lo_open=True)
    w2 = V.real_number(omega2, "omega2", lo=0.0, lo_open=True)
    lmax = 2.0 * float(np.sqrt(w1 * w2))
    lam = V.real_number(lam, "lam", lo=0.0, hi=lmax, lo_open=True, hi_open=True)
    T1, T2 = V.temperature(T1, "T1"), V.temperature(T2, "T2")
    mu1, mu2 = V.real_number(mu1, "mu1"), V.real_number(mu2, "mu2")
    if stats == "boson" and (mu1 != 0.0 or mu2 != 0.0):
        raise ValueError(f"mu1 and mu2 must be 0 for boson reservoirs; got mu1={mu1}, mu2={mu2}")
    J = V.real_number(J, "J", lo=0.0, lo_open=True)
    return Params(w1, w2, lam, T1, T2, mu1, mu2, stats, J)


# --------------------------------------------------------------------------- operators
def hamiltonian(omega1: float, omega2: float, lam: float) -> np.ndarray:
    r"""System Hamiltonian :math:`H_S` of eq. 2 in the QuTiP product basis.

    Parameters
    ----------
    omega1, omega2 : float
        Qubit transition frequencies :math:`\omega_{1,2}` (energy). Not validated here; the
        model's range is that of :func:`params` (``> 0``).
    lam : float
        Exchange coupling :math:`\lambda` (energy), entering as
        :math:`\tfrac{\lambda}{2}(\sigma_+^{(1)}\sigma_-^{(2)} + h.c.)`; the model's range is
        :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`.

    Returns
    -------
    ndarray, shape (4, 4), complex
        :math:`H_S` in the basis ``|ee>, |eg>, |ge>, |gg>`` (qubit 1 leftmost, excited state first).
    """
    sp, sm = _SIGMA["sp"], _SIGMA["sm"]
    return (omega1 * sp[0] @ sm[0] + omega2 * sp[1] @ sm[1]
            + 0.5 * lam * (sp[0] @ sm[1] + sm[0] @ sp[1]))


def number_operator() -> np.ndarray:
    r"""Excitation (particle) number :math:`\hat N = \sigma_+^{(1)}\sigma_-^{(1)} + \sigma_+^{(2)}\sigma_-^{(2)}`.

    Returns
    -------
    ndarray, shape (4, 4), complex
        :math:`\hat N` in the product basis ``|ee>, |eg>, |ge>, |gg>`` (eigenvalues 2, 1, 1, 0).
    """
    sp, sm = _SIGMA["sp"], _SIGMA["sm"]
    return sp[0] @ sm[0] + sp[1] @ sm[1]


def _half_angles(lam, detuning):
    """cos(theta/2), sin(theta/2) from half-angle formulas (vectorised, theta in (0, pi))."""
    Om = np.hypot(detuning, lam)
    cos_t = detuning / Om
    return np.sqrt(0.5 * (1.0 + cos_t)), np.sqrt(0.5 * (1.0 - cos_t))


def eigenbasis(omega1: float, omega2: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Energies and eigenvectors of eq. 2, with the sign convention of the module docstring.

    Parameters
    ----------
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`.

    Returns
    -------
    E : ndarray, shape (4,)
        :math:`(\varepsilon_1, \dots, \varepsilon_4) = (0, (\delta-\Omega)/2, (\delta+\Omega)/2, \delta)`, ascending.
    U : ndarray, shape (4, 4)
        Real orthogonal; column ``k`` is :math:`|\varepsilon_{k+1}\rangle` in the product basis, so
        ``U.T @ rho @ U`` is :math:`\rho_\varepsilon`.

    Raises
    ------
    ValueError
        If a parameter is outside the range of :func:`params`.
    """
    p = params(omega1, omega2, lam)
    c, s = _half_angles(p.lam, p.detuning)
    return p.energies, _basis_matrix(np.asarray(c), np.asarray(s))


def _basis_matrix(c: np.ndarray, s: np.ndarray) -> np.ndarray:
    U = np.zeros(np.shape(c) + (4, 4))
    U[..., 3, 0] = 1.0
    U[..., 1, 1], U[..., 2, 1] = -s, c
    U[..., 1, 2], U[..., 2, 2] = c, s
    U[..., 0, 3] = 1.0
    return U


def couplings(p: Params) -> list[master.Coupling]:
    r"""The two qubit–reservoir couplings of one point in :mod:`qbcore.master` form.

    Parameters
    ----------
    p : Params
        A validated point (from :func:`params`).

    Returns
    -------
    list of qbcore.master.Coupling
        ``Coupling(sigma_minus_i, Bath(statistics, T_i, mu_i, J=flat(2 J)), "reservoir i")`` for
        ``i = 1, 2``: the exchange coupling :math:`\sigma_-^{(i)} b_i^\dagger + h.c.` with the core rate
        convention (emission :math:`2J(1\pm N)`, absorption :math:`2JN`; see the module docstring).
    """
    sm = _SIGMA["sm"]
    return [master.Coupling(sm[0], Bath(p.statistics, p.T1, p.mu1, J=flat(2.0 * p.J)), "reservoir 1"),
            master.Coupling(sm[1], Bath(p.statistics, p.T2, p.mu2, J=flat(2.0 * p.J)), "reservoir 2")]


def _point(p: Params) -> dict[str, np.ndarray]:
    """One validated point as the 0-d arrays that the vectorised routines take."""
    return {k: np.array(float(getattr(p, k))) for k in _KEYS}


def _admissible(p: Params) -> Params:
    """``p`` after the admissible-domain checks of the module docstring (ValueError otherwise)."""
    _check_domain(p.statistics, _point(p))
    return p


def generator(secular: bool = False, *, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0,
              lam: float = 2.0, T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0,
              J: float = 1.0) -> np.ndarray:
    r"""Bloch–Redfield generator of eqs. 8–12 from :func:`qbcore.master.redfield` (Lamb shift neglected).

    Parameters
    ----------
    secular : bool
        ``False`` (default): non-secular Bloch–Redfield; ``True``: the global (secular) Lindblad limit.
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`.
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``.
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.

    Returns
    -------
    ndarray, shape (16, 16), complex
        The superoperator acting on column-stacked density matrices in the product basis
        (the convention of :mod:`qbcore.master`), in units of the energies.

    Raises
    ------
    ValueError
        A parameter outside the range of :func:`params` or the point outside the admissible domain
        of the module docstring (``omega1 + omega2 <= 1e9 J``, ``lam`` below the resolvable
        :math:`\lambda_{max}`, boson ``T1, T2 <= T_max``), naming the parameter and its valid range.
    """
    p = _admissible(params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J))
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    # sigma_- has no zero-frequency component, so dropping zero-frequency channels changes nothing.
    # secular=True is the paper's eq.-18 limit, whose validity the chapter discusses: no warning here.
    return master.redfield(H, couplings(p), secular=bool(secular), zero_frequency="drop", secular_check=False)
