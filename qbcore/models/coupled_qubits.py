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
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
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
    """Validated parameters of one point (see :func:`params`)."""

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

    Parameters
    ----------
    omega1, omega2 : float
        Qubit transition frequencies, ``> 0``.
    lam : float
        Inter-qubit coupling, :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`.
    T1, T2 : float
        Reservoir temperatures, ``>= 0``.
    mu1, mu2 : float
        Chemical potentials (fermions); must be 0 for bosons.
    statistics : {"boson", "fermion"}
    J : float
        The paper's frequency-independent spectral density, ``> 0`` (see the module docstring).

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
    """System Hamiltonian in the QuTiP product basis (``|ee>, |eg>, |ge>, |gg>``)."""
    sp, sm = _SIGMA["sp"], _SIGMA["sm"]
    return (omega1 * sp[0] @ sm[0] + omega2 * sp[1] @ sm[1]
            + 0.5 * lam * (sp[0] @ sm[1] + sm[0] @ sp[1]))


def number_operator() -> np.ndarray:
    r"""Excitation (particle) number :math:`\hat N = \sigma_+^{(1)}\sigma_-^{(1)} + \sigma_+^{(2)}\sigma_-^{(2)}`."""
    sp, sm = _SIGMA["sp"], _SIGMA["sm"]
    return sp[0] @ sm[0] + sp[1] @ sm[1]


def _half_angles(lam, detuning):
    """cos(theta/2), sin(theta/2) from half-angle formulas (vectorised, theta in (0, pi))."""
    Om = np.hypot(detuning, lam)
    cos_t = detuning / Om
    return np.sqrt(0.5 * (1.0 + cos_t)), np.sqrt(0.5 * (1.0 - cos_t))


def eigenbasis(omega1: float, omega2: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Energies and eigenvectors (columns :math:`|\varepsilon_1\rangle..|\varepsilon_4\rangle`) of eq. 2.

    Returns
    -------
    E : ndarray, shape (4,)
    U : ndarray, shape (4, 4)
        Real orthogonal; ``U.T @ rho @ U`` is :math:`\rho_\varepsilon`.
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
    """The two qubit–reservoir couplings in :mod:`qbcore.master` form (core bath ``J = flat(2 J)``)."""
    sm = _SIGMA["sm"]
    return [master.Coupling(sm[0], Bath(p.statistics, p.T1, p.mu1, J=flat(2.0 * p.J)), "reservoir 1"),
            master.Coupling(sm[1], Bath(p.statistics, p.T2, p.mu2, J=flat(2.0 * p.J)), "reservoir 2")]


def generator(secular: bool = False, **kw: Any) -> np.ndarray:
    """Bloch–Redfield generator (16×16, product basis) from :func:`qbcore.master.redfield`."""
    p = params(**kw)
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    # sigma_- has no zero-frequency component, so dropping zero-frequency channels changes nothing.
    return master.redfield(H, couplings(p), secular=bool(secular), zero_frequency="drop")


def _wrap(rho: np.ndarray, p: Params, kernel_dim: int = 1, **extra: Any) -> master.SteadyState:
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    c, s = _half_angles(p.lam, p.detuning)
    U = _basis_matrix(np.asarray(c), np.asarray(s))
    rho_eps = U.T @ rho @ U
    return master.make_steady_state(rho, H, kernel_dim, rho_eps=rho_eps, coherence=complex(rho_eps[1, 2]),
                                    params=p, **extra)


def steady_state(*, secular: bool = False, **kw: Any) -> master.SteadyState:
    """Steady state of the (non-secular by default) Bloch–Redfield equation, eqs. 8–12.

    Parameters
    ----------
    secular : bool
        ``True``: global (secular) Lindblad limit.
    **kw
        ``omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J`` (see :func:`params`).

    Returns
    -------
    qbcore.master.SteadyState
        ``rho`` (product basis), ``H``, ``energy``, ``ergotropy``, ``populations`` (energy basis),
        ``min_eigenvalue``, ``kernel_dim``; ``extra["rho_eps"]`` (eigenbasis of eq. 2) and
        ``extra["coherence"]`` (:math:`\\rho_{23}`).
    """
    p = params(**kw)
    L = generator(secular=secular, **kw)
    ss = master.steady_state(L, hamiltonian(p.omega1, p.omega2, p.lam))
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


def occupations(statistics: str, w, T, mu=0.0):
    r"""Reservoir occupation :math:`N(\omega)` (Bose or Fermi), vectorised over all arguments.

    ``T = 0`` gives the exact limits (0 for bosons, a step with 1/2 at :math:`\omega = \mu` for fermions).
    """
    V.choice(statistics, "statistics", _STATS)
    return _bose(w, T) if statistics == "boson" else _fermi(w, mu, T)


# --------------------------------------------------------------------------- vectorised sweep
_KEYS = ("omega1", "omega2", "lam", "T1", "T2", "mu1", "mu2", "J")
_DEFAULTS = dict(omega1=10.0, omega2=10.0, lam=2.0, T1=1.0, T2=1.0, mu1=0.0, mu2=0.0, J=1.0)


def _grid(statistics: str, kw: dict) -> dict[str, np.ndarray]:
    """Broadcast and validate array parameters (same rules as :func:`params`)."""
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
    return {k: np.array(v, dtype=float) for k, v in g.items()}


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
    """Steady-state quantities on a broadcast parameter grid (shape ``shape``).

    Attributes
    ----------
    rho_eps : ndarray, shape (..., 4, 4)
        States in the eigenbasis of eq. 2.
    energies : ndarray, shape (..., 4)
    energy, ergotropy, min_eigenvalue : ndarray, shape (...)
    populations : ndarray, shape (..., 4)
    coherence : ndarray, shape (...)
        :math:`\\rho_{23} = \\langle\\varepsilon_2|\\rho|\\varepsilon_3\\rangle`.
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


def sweep(*, statistics: str = "boson", secular: bool = False, method: str = "generator",
          **kw: Any) -> SweepResult:
    """Steady states on a grid: every parameter may be an array (numpy broadcasting).

    Parameters
    ----------
    statistics : {"boson", "fermion"}
    secular : bool
        Secular (global Lindblad) limit instead of the non-secular Redfield equation.
    method : {"generator", "full", "closed_form"}
        ``"full"``: build all 16×16 generators in the energy basis with numpy (eq. 5 operators,
        eqs. 8–12) and solve them with :func:`qbcore.master.lindblad_steady_batch`.
        ``"generator"`` (default): the same generators restricted to the 6×6 block :data:`SECTOR`
        that holds the steady state (excitation-number conservation), solved in one batched call.
        ``"closed_form"``: the corrected closed forms. The first two are independent of the third.
    **kw
        ``omega1, omega2, lam, T1, T2, mu1, mu2, J`` (scalars or arrays; defaults as :func:`params`).

    Returns
    -------
    SweepResult
    """
    V.choice(method, "method", ("generator", "full", "closed_form"))
    g = _grid(statistics, kw)
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


def closed_form(*, secular: bool = False, **kw: Any) -> master.SteadyState:
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

    The boson and fermion forms hold for any ``T1, T2`` (and ``mu1, mu2``).
    """
    p = params(**kw)
    g = {k: np.array(float(getattr(p, k))) for k in _KEYS}
    rho_eps, _ = _closed_form_eps(p.statistics, g, bool(secular))
    c, s = _half_angles(p.lam, p.detuning)
    U = _basis_matrix(np.asarray(c), np.asarray(s))
    rho = U @ rho_eps @ U.T
    return _wrap(rho, p, 1, method="closed-form-secular" if secular else "closed-form")


# --------------------------------------------------------------------------- the printed text
def printed_closed_form(**kw: Any) -> np.ndarray:
    r"""Eqs. 23–34 exactly as printed (with their typos), energy basis, for the investigation.

    The printed ``rho_23`` denominators use ``+ i Omega/J``; the fermion ``rho_44`` is
    :math:`\mathcal L_+\mathcal L_-\mathcal R`. Not a physical state in general.
    """
    p = params(**kw)
    g = {k: np.array(float(getattr(p, k))) for k in _KEYS}
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


def printed_populations(*, statistics: str = "boson", **kw: Any) -> np.ndarray:
    r"""Energy-basis populations of eqs. 18–19 exactly as printed (vectorised like :func:`sweep`).

    Printed: :math:`\rho_{11}\propto\Gamma^+\gamma^-`, :math:`\rho_{22}\propto\gamma^-\gamma^+`,
    :math:`\rho_{33}\propto\Gamma^-\gamma^+`, :math:`\rho_{44}\propto\Gamma^-\Gamma^+`,
    :math:`\mathcal Z = (\gamma^- + \Gamma^-)(\gamma^+ + \Gamma^+)`, with the rates of eqs. 11–12 summed
    over both reservoirs, :math:`\gamma_1^\pm + \gamma_2^\pm = 2J L_\pm`,
    :math:`\Gamma_1^\pm + \Gamma_2^\pm = 2J(1 \pm L_\pm)` (``+`` bosons, ``-`` fermions). For
    asymmetric qubits :math:`L_\pm \to \mathcal L_\pm` (the paper's eq.-29 rule). These are the correct
    secular populations permuted: the ground-state weight sits on :math:`|\varepsilon_4\rangle`.
    Used only to investigate what the paper's figures show.

    Returns
    -------
    ndarray, shape (..., 4)
    """
    g = _grid(statistics, kw)
    Lp, Lm, _, _, _, _ = _effective(statistics, g)
    sign = 1.0 if statistics == "boson" else -1.0
    gm, gp = Lm, Lp                               # common factor 2J cancels
    Gm, Gp = 1 + sign * Lm, 1 + sign * Lp
    Z = (gm + Gm) * (gp + Gp)
    return np.stack([Gp * gm, gm * gp, Gm * gp, Gm * Gp], axis=-1) / Z[..., None]


def printed_equilibrium(*, statistics: str = "boson", **kw: Any) -> SweepResult:
    """Energy and ergotropy of the diagonal state with the printed eq.-18 populations."""
    pops = printed_populations(statistics=statistics, **kw)
    g = _grid(statistics, kw)
    E = _frequencies(g)[0]
    rho = np.zeros(pops.shape + (4,), dtype=complex)
    idx = np.arange(4)
    rho[..., idx, idx] = pops
    return _result(rho, E)
