"""Rates, vectorised steady states, batched Liouvillians and the transitions of one point."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ...thermo import roundoff_zero
from ._model import (_KERNEL_RTOL, _eig_batch, _eps, _collective, _n_spins, coupling_operators, eigenbasis,
                     paper_eigenstates, validate)
from ._solve import steady_state


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
