r"""Two coupled qubits, each exchanging excitations with its own reservoir.

Model of Hadipour & Haseli (arXiv:2406.09580), units :math:`\hbar = k_B = 1`:

.. math::
    H_S = \omega_1 |e\rangle\langle e|_1 + \omega_2 |e\rangle\langle e|_2
          + \tfrac{\lambda}{2}\,(\sigma_+^{(1)}\sigma_-^{(2)} + \sigma_-^{(1)}\sigma_+^{(2)}),

qubit :math:`i` coupled to reservoir :math:`i` through :math:`\sigma_-^{(i)} b_i^\dagger + h.c.`
(bosons: energy exchange, :math:`\mu_i = 0`; fermions: particle exchange at chemical potential
:math:`\mu_i`). In :mod:`qbcore.master` terms each qubit is a
``Coupling(op=sigma_minus_i, bath=Bath(statistics, T_i, mu_i, J=flat(2 J)))``.

Conventions
-----------
* :math:`\delta = \omega_1 + \omega_2`, detuning :math:`\Delta = \omega_1 - \omega_2`,
  :math:`\Omega = \sqrt{\Delta^2 + \lambda^2}`, mixing angle :math:`\theta = \mathrm{atan2}(\lambda, \Delta)
  \in (0, \pi)`, :math:`\Delta T = T_2 - T_1`, :math:`\Delta\mu = \mu_2 - \mu_1`.
* Energies :math:`\varepsilon_{1..4} = 0, (\delta-\Omega)/2, (\delta+\Omega)/2, \delta`, eigenvectors
  :math:`|\varepsilon_1\rangle = |gg\rangle`, :math:`|\varepsilon_2\rangle = -s|eg\rangle + c|ge\rangle`,
  :math:`|\varepsilon_3\rangle = c|eg\rangle + s|ge\rangle` (the paper prints a minus sign here, which
  makes :math:`|\varepsilon_3\rangle` non-orthogonal to :math:`|\varepsilon_2\rangle`),
  :math:`|\varepsilon_4\rangle = |ee\rangle`, with :math:`c = \cos\theta/2`, :math:`s = \sin\theta/2`.
  ``rho_eps`` matrices are written in this basis, :math:`(\rho_\varepsilon)_{ij} = \langle\varepsilon_i|\rho|\varepsilon_j\rangle`.
* Rate normalisation. The paper's dissipators (its eqs. 9–10) are written as
  :math:`\Gamma^\pm[2B\rho B^\dagger - \dots]` with :math:`\Gamma(\omega) = J[1 \pm N(\omega)]`, so the
  emission rate in the standard form :math:`\mathcal D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L,\rho\}`
  is :math:`2J(1\pm N)`. The parameter ``J`` of this module is the paper's :math:`J`; the core bath
  therefore gets ``flat(2 * J)``. With this choice the paper's closed forms (which contain
  :math:`\Omega/J`) agree with the generator to round-off.
* Validity (the paper's rotating-wave condition): :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`, which
  gives :math:`0 < \varepsilon_2 < \varepsilon_3 < \varepsilon_4`.

The non-secular Bloch–Redfield generator is :func:`qbcore.master.redfield` (Lamb shift neglected);
``secular=True`` gives the global Lindblad limit. Redfield is not completely positive: check
``min_eigenvalue`` (fermions with one chemical potential between the two Bohr frequencies and the
other below them give a negative :math:`\rho_{44}`).

Admissible domain
-----------------
For :math:`J > 0` and :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` the mixing angle lies strictly in
:math:`(0, \pi)`, so each reservoir connects all four levels (eq. 5: :math:`A_i, B_i` carry the factors
:math:`c, s > 0`) and every channel has a non-zero total rate (emission + absorption is
:math:`2J(1 + 2N)` for bosons, :math:`2J` for fermions, times :math:`c^2` or :math:`s^2`). The rate graph
is connected and the steady state is unique at every admissible point (for the secular generator
this follows from the connectivity; for the non-secular one the kernel is one-dimensional at every
point of the tests). There is no family of steady states for an initial state to choose from, so
:func:`steady_state` takes none: a numerically degenerate kernel only means that the scales of the
generator are too far apart for double precision. Every function that builds rates
(:func:`generator`, :func:`steady_state`, :func:`closed_form`, :func:`printed_closed_form`, :func:`sweep`,
:func:`printed_populations`, :func:`printed_equilibrium`) therefore rejects such points up front with a
``ValueError`` naming the parameter and its valid range:

* ``omega1 + omega2 <= 1e9 * J``. Frequencies further above the reservoir coupling make the
  generator too stiff: the error of its steady state grows like :math:`10^{-16}\,\delta/J` and its
  kernel eventually turns numerically degenerate (``omega1 = omega2 = 1e12`` with ``J = 1``).
* ``lam`` up to the :math:`\lambda` at which :math:`\omega_- = (\delta-\Omega)/2 = 10^{-8}\max(1, \delta)`,
  slightly below :math:`2\sqrt{\omega_1\omega_2}`: the paper's rotating-wave condition :math:`\omega_- > 0`
  at ten times the Bohr-frequency resolution of :mod:`qbcore.master`, which treats a smaller
  :math:`\omega_-` as a zero frequency (and drops it).
* Bosons: ``T1, T2 <= T_max``, where :math:`N(\omega_-, T_{max}) = (10^9/2 - 1)/2 \approx 2.5\times10^8`,
  i.e. thermal rates :math:`2J(1 + 2N)` of at most :math:`10^9 J` (``T_max`` :math:`\approx 2.5\times10^8\,\omega_-`).
  Hotter reservoirs drive the qubits faster than every Bohr frequency of the system (by the first
  rule), so the weak-coupling (Born–Markov) derivation of the master equation fails outright, and
  their emission and absorption rates agree to round-off (``T1 = 1e300``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from .. import _validate as V
from .. import master
from ..baths import Bath, flat
from ..thermo import batch_ergotropy

__all__ = [
    "Params", "params", "hamiltonian", "number_operator", "eigenbasis", "couplings", "generator",
    "steady_state", "closed_form", "sweep", "SweepResult", "occupations",
    "printed_closed_form", "printed_populations", "printed_equilibrium",
]

_STATS = ("boson", "fermion")
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


def _wrap(rho: np.ndarray, p: Params, kernel_dim: int = 1, **extra: Any) -> master.SteadyState:
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    c, s = _half_angles(p.lam, p.detuning)
    U = _basis_matrix(np.asarray(c), np.asarray(s))
    rho_eps = U.T @ rho @ U
    return master.make_steady_state(rho, H, kernel_dim, rho_eps=rho_eps, coherence=complex(rho_eps[1, 2]),
                                    params=p, **extra)


def steady_state(*, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0, lam: float = 2.0,
                 T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0, J: float = 1.0,
                 secular: bool = False) -> master.SteadyState:
    r"""Steady state of the (non-secular by default) Bloch–Redfield equation, eqs. 8–12.

    The steady state is unique at every admissible point (module docstring), so no initial state
    is taken; points whose scales double precision cannot resolve are rejected up front.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly: such that
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.
    secular : bool
        ``True``: global (secular) Lindblad limit instead of the non-secular Redfield equation.

    Returns
    -------
    qbcore.master.SteadyState
        ``rho`` (product basis), ``H`` (:func:`hamiltonian`), ``energy`` (:math:`\mathrm{Tr}\,\rho H`) and
        ``ergotropy`` (energy units; equal to ``qbcore.thermo.ergotropy(rho, H)``), ``populations``
        (energy basis, ascending), ``kernel_dim`` (1), ``min_eigenvalue`` and ``is_positive``
        (Redfield need not give a positive state); ``extra["rho_eps"]`` (eigenbasis of eq. 2),
        ``extra["coherence"]`` (:math:`\rho_{23}`), ``extra["params"]`` and ``extra["method"]``.

    Raises
    ------
    ValueError
        A parameter outside its range or the point outside the admissible domain, naming the
        parameter and its valid range (see :func:`generator`).
    """
    p = params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J)
    L = generator(secular, statistics=statistics, omega1=omega1, omega2=omega2, lam=lam, T1=T1, T2=T2,
                  mu1=mu1, mu2=mu2, J=J)
    try:
        ss = master.steady_state(L, hamiltonian(p.omega1, p.omega2, p.lam))
    except master.NonUniqueSteadyStateError as exc:      # not expected inside the admissible domain
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the generator's kernel is numerically degenerate (kernel dimension {m.group(1) if m else '> 1'}) "
            f"at {p}, although this model's steady state is unique at every admissible point (no initial "
            "state can select a physical one). closed_form() with the same arguments gives the steady state "
            "analytically") from None
    return _wrap(ss.rho, p, ss.kernel_dim, method="redfield-secular" if secular else "redfield")


# --------------------------------------------------------------------------- occupations
def _bose(w, T):
    w, T = np.broadcast_arrays(np.asarray(w, float), np.asarray(T, float))
    with np.errstate(divide="ignore"):
        x = np.where(T > 0, w / np.where(T > 0, T, 1.0), np.inf)
    return np.exp(-x) / -np.expm1(-x)


def _fermi(w, mu, T):
    w, mu, T = np.broadcast_arrays(np.asarray(w, float), np.asarray(mu, float), np.asarray(T, float))
    hot = T > 0
    cold = np.where(w > mu, np.inf, np.where(w < mu, -np.inf, 0.0))   # T = 0: a step, 1/2 at w = mu
    x = np.where(hot, (w - mu) / np.where(hot, T, 1.0), cold)
    return expit(-x)


def occupations(statistics: str, w: ArrayLike, T: ArrayLike, mu: ArrayLike = 0.0) -> np.ndarray:
    r"""Reservoir occupation :math:`N(\omega)` (Bose or Fermi), vectorised over all arguments.

    Bosons :math:`N = 1/(e^{\omega/T} - 1)`, fermions :math:`N = 1/(e^{(\omega-\mu)/T} + 1)`, evaluated
    without overflow; ``T = 0`` gives the exact limits (0 for bosons, a step with 1/2 at
    :math:`\omega = \mu` for fermions). No range checks beyond ``statistics`` (a fast path).

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    w : array_like
        Mode frequency :math:`\omega` (energy); ``> 0`` for bosons (:math:`N` diverges at 0).
    T : array_like
        Temperature (energy), ``>= 0``.
    mu : array_like, optional
        Chemical potential (energy), used for fermions only (default 0).

    Returns
    -------
    ndarray
        :math:`N(\omega)`, broadcast shape of the arguments; in ``[0, 1]`` for fermions.

    Raises
    ------
    ValueError
        If ``statistics`` is not ``"boson"`` or ``"fermion"``.
    """
    V.choice(statistics, "statistics", _STATS)
    return _bose(w, T) if statistics == "boson" else _fermi(w, mu, T)


# --------------------------------------------------------------------------- vectorised sweep
_KEYS = ("omega1", "omega2", "lam", "T1", "T2", "mu1", "mu2", "J")
_DEFAULTS = dict(omega1=10.0, omega2=10.0, lam=2.0, T1=1.0, T2=1.0, mu1=0.0, mu2=0.0, J=1.0)

#: Admissible domain (module docstring): largest ratio of a generator scale (omega1 + omega2, or a
#: thermal rate 2J(1 + 2N)) to J; kernel decisions in qbcore.master use 1e-12, so 1e9 leaves 1e3 spare.
_MAX_SCALE = 1e9
#: omega_- must be at least this times max(1, omega1 + omega2): ten times qbcore.master's Bohr tolerance.
_MIN_BOHR = 1e-8
#: Largest boson occupation N(omega_-) in the domain: 2J(1 + 2N) <= _MAX_SCALE * J.
_MAX_OCC = 0.5 * (0.5 * _MAX_SCALE - 1.0)


def _check_domain(statistics: str, g: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless every point of the broadcast grid ``g`` lies in the admissible domain.

    ``g`` holds validated float arrays of one shape (as :func:`_grid` returns them). For a grid the
    message reports the worst point.
    """
    w1, w2, lam, J = (np.ravel(g[k]) for k in ("omega1", "omega2", "lam", "J"))
    where = "" if np.ndim(g["omega1"]) == 0 else " everywhere (worst grid point reported)"
    d = w1 + w2
    excess = d / (_MAX_SCALE * J)
    if np.any(excess > 1.0):
        k = int(np.argmax(excess))
        raise ValueError(
            f"omega1 + omega2 must be <= {_MAX_SCALE:.0e} * J{where}: frequencies more than {_MAX_SCALE:.0e} "
            "times the reservoir coupling J make the generator too stiff for double precision (the error of its "
            "steady state grows like 1e-16 (omega1 + omega2)/J, and its kernel turns numerically degenerate); "
            f"got omega1={w1[k]:.6g}, omega2={w2[k]:.6g}, J={J[k]:.6g} "
            f"(omega1 + omega2 = {d[k]:.6g}, limit {_MAX_SCALE * J[k]:.6g})")
    # omega_- = (delta - Omega)/2 without the cancellation near lam -> 2 sqrt(omega1 omega2)
    wm = (4.0 * w1 * w2 - lam * lam) / (2.0 * (d + np.hypot(w1 - w2, lam)))
    wmin = _MIN_BOHR * np.maximum(1.0, d)
    if np.any(wm < wmin):
        k = int(np.argmin(wm / wmin))
        if min(w1[k], w2[k]) <= wmin[k]:          # omega_- <= min(omega1, omega2): no lam helps
            raise ValueError(
                f"min(omega1, omega2) must exceed {_MIN_BOHR:.0e} * max(1, omega1 + omega2) = {wmin[k]:.3g}{where}: "
                "the lower Bohr frequency omega_- <= min(omega1, omega2) must be resolvable by the generator "
                f"(qbcore.master treats smaller Bohr frequencies as zero); got omega1={w1[k]:.6g}, omega2={w2[k]:.6g}")
        lam_res = 2.0 * np.sqrt(w1[k] * w2[k] - wmin[k] * (d[k] - wmin[k]))
        raise ValueError(
            f"lam must lie in (0, {lam_res:.10g}]{where} for omega1={w1[k]:.6g}, omega2={w2[k]:.6g}: the lower Bohr "
            f"frequency omega_- = (delta - Omega)/2 must be >= {_MIN_BOHR:.0e} * max(1, omega1 + omega2) = "
            f"{wmin[k]:.3g} (the paper's rotating-wave condition omega_- > 0 at the resolution of the generator); "
            f"got lam={lam[k]:.10g}, omega_- = {wm[k]:.3g}")
    if statistics == "boson":
        Tmax = wm / np.log1p(1.0 / _MAX_OCC)        # N(omega_-, Tmax) = _MAX_OCC
        for name in ("T1", "T2"):
            T = np.ravel(g[name])
            if np.any(T > Tmax):
                k = int(np.argmax(T / Tmax))
                raise ValueError(
                    f"{name} must lie in [0, {Tmax[k]:.6g}]{where} for boson reservoirs with omega_- = {wm[k]:.6g}: "
                    f"above it the occupation N(omega_-) exceeds {_MAX_OCC:.3g} and the thermal rates 2J(1 + 2N) "
                    f"exceed {_MAX_SCALE:.0e} J, more than every Bohr frequency of the system, so the weak-coupling "
                    "(Born-Markov) master equation does not apply and emission and absorption rates agree to "
                    f"round-off; got {name}={T[k]:.6g}")


def _grid(statistics: str, kw: dict) -> dict[str, np.ndarray]:
    """Broadcast and validate array parameters (rules of :func:`params`, then the admissible domain)."""
    unknown = set(kw) - set(_KEYS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; expected {_KEYS} and statistics")
    V.choice(statistics, "statistics", _STATS)
    vals = {k: V.real_array(kw.get(k, _DEFAULTS[k]), k) for k in _KEYS}
    g = dict(zip(_KEYS, np.broadcast_arrays(*vals.values())))
    for k in ("omega1", "omega2", "J"):
        if np.any(g[k] <= 0):
            raise ValueError(f"{k} must be > 0 everywhere; smallest value {g[k].min()}")
    for k in ("T1", "T2"):
        if np.any(g[k] < 0):
            raise ValueError(f"{k} must be >= 0 everywhere; smallest value {g[k].min()}")
    lmax = 2.0 * np.sqrt(g["omega1"] * g["omega2"])
    if np.any(g["lam"] <= 0) or np.any(g["lam"] >= lmax):
        raise ValueError("lam must lie in (0, 2*sqrt(omega1*omega2)) everywhere (eigenvalue ordering "
                         f"of the paper); got lam in [{g['lam'].min()}, {g['lam'].max()}]")
    if statistics == "boson" and (np.any(g["mu1"] != 0) or np.any(g["mu2"] != 0)):
        raise ValueError("mu1 and mu2 must be 0 for boson reservoirs")
    out = {k: np.array(v, dtype=float) for k, v in g.items()}
    _check_domain(statistics, out)
    return out


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
    return _wrap(rho, p, 1, method="closed-form-secular" if secular else "closed-form")


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
