r"""Relaxation and charging: the gap of a generator, invariant sectors, time evolution, ergotropy curves.

A generator :math:`\mathcal L` (Lindblad, Redfield, or a classical rate generator) evolves
:math:`v(t) = e^{\mathcal L t} v(0)`. With eigenvalues :math:`\lambda_k` (the kernel :math:`\lambda = 0`
holds the steady state) every observable relaxes as :math:`f(t) = f_\infty + \sum_k a_k e^{\lambda_k t}`,
so the slowest decay rate of *any* initial state is the gap :math:`g = -\max_{\lambda_k\ne0}\mathrm{Re}\,\lambda_k`
(:func:`relaxation_rate`). A particular initial state may have no weight on the slowest modes; then
its late-time rate is that of the slowest mode it excites (:func:`relaxation_modes`, :func:`decay_rate`).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .. import _validate as V
from ._operators import eigh
from ._steady import _dissipative_scale, kernel

#: Largest generator (rows) whose spectrum :func:`relaxation_rate` computes densely.
DENSE_SPECTRUM_MAX = 2500


def _square(L: Any, name: str = "L") -> np.ndarray:
    if sp.issparse(L):
        L = L.toarray()
    A = np.asarray(L, dtype=complex)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix; got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return A


def pauli_generator(W: Any) -> np.ndarray:
    r"""Generator :math:`M = W - \mathrm{diag}(\sum_i W_{ij})` of the classical rate equation :math:`\dot p = M p`.

    Parameters
    ----------
    W : array_like, shape (..., d, d)
        Rates ``W[..., i, j]`` of the jumps ``j -> i`` (energy units); the diagonal is ignored.

    Returns
    -------
    ndarray, shape (..., d, d)
        :math:`M` (columns sum to zero), the Pauli master equation's generator.

    Raises
    ------
    ValueError
        If ``W`` is not a stack of square matrices with finite entries ``>= 0`` off the diagonal.
    """
    W = np.array(V.real_array(W, "W"), dtype=float)
    if W.ndim < 2 or W.shape[-1] != W.shape[-2]:
        raise ValueError(f"W must have shape (..., d, d); got {W.shape}")
    d = W.shape[-1]
    off = ~np.eye(d, dtype=bool)
    if np.any(W[..., off] < 0):
        raise ValueError("rates W must be >= 0 off the diagonal")
    W[..., np.arange(d), np.arange(d)] = 0.0
    return W - np.eye(d) * W.sum(axis=-2)[..., None, :]


def _scale(A: np.ndarray, H: Any, scale: float | None) -> float:
    if scale is not None:
        return V.real_number(scale, "scale", lo=0.0, lo_open=True)
    if H is not None:
        h = V.hermitian(H, "H")
        if A.shape != (h.size, h.size):
            raise ValueError(f"L must have shape {(h.size, h.size)} for H of dimension {h.shape[0]}; got {A.shape}")
        return max(_dissipative_scale(A, h), 1e-300)
    return max(float(np.max(np.sum(np.abs(A), axis=1))), 1e-300)


def _spectrum(A: np.ndarray, H: Any, rtol: float, scale: float | None) -> tuple[np.ndarray, int, float]:
    """Eigenvalues of ``A`` with the kernel removed, the kernel dimension and the rate scale."""
    if A.shape[0] > DENSE_SPECTRUM_MAX:
        raise ValueError(f"the generator has {A.shape[0]} rows; the dense spectrum is computed for at most "
                         f"{DENSE_SPECTRUM_MAX} (restrict it to an invariant sector first, e.g. secular_sector)")
    s = _scale(A, H, scale)
    null, _ = kernel(A, rtol=rtol, scale=s)
    k = null.shape[1]
    if k == 0:
        raise ValueError("the generator has no steady state (no kernel within rtol); it is not a generator "
                         "of a trace-preserving evolution")
    ev = np.linalg.eigvals(A)
    order = np.argsort(np.abs(ev), kind="stable")
    return ev[order[k:]], k, s


def relaxation_rate(L: Any, H: Any = None, *, rtol: float = 1e-12, scale: float | None = None) -> float:
    r"""Relaxation rate :math:`g = -\max\mathrm{Re}\,\lambda` over the non-zero eigenvalues of a generator.

    The kernel is identified with the scale-aware singular-value test of :func:`kernel` (the same
    one :func:`steady_state` uses): its dimension ``k`` is found first, and the ``k`` eigenvalues of
    smallest modulus are dropped. Every initial state then approaches the steady state(s) at least as
    fast as :math:`e^{-gt}`, and generically exactly so at late times; :math:`\tau = 1/g` is the
    relaxation (charging) time. Dense: ``L`` up to :data:`DENSE_SPECTRUM_MAX` rows (restrict a large
    generator to the invariant sector the dynamics explores, e.g. with :func:`secular_sector`).

    Parameters
    ----------
    L : array_like or sparse matrix, shape (n, n)
        Generator: a Liouvillian (column stacking), a block of it on an invariant sector, or a
        classical rate generator (:func:`pauli_generator`).
    H : array_like or Qobj, optional
        Hamiltonian of a full Liouvillian: the kernel threshold is then measured against the
        dissipative part ``L + i[H, .]`` (as in :func:`steady_state`), so that stiff systems keep a
        one-dimensional kernel. Without ``H`` (sector blocks, rate generators) the rate scale is the
        row-sum norm of ``L`` unless ``scale`` is given.
    rtol : float
        Relative kernel threshold (default ``1e-12``, that of :func:`steady_state`).
    scale : float, optional
        Rate scale for the kernel threshold (overrides the one derived from ``H`` or ``L``).

    Returns
    -------
    float
        :math:`g \ge 0` in the units of ``L`` (energy, :math:`\hbar = 1`). ``0.0`` when some non-zero
        eigenvalue is purely imaginary (to ``1e-12`` of the rate scale: an undamped oscillation);
        ``inf`` when ``L`` has no non-zero eigenvalue.

    Raises
    ------
    ValueError
        For a non-square or non-finite ``L``, a generator without kernel, more than
        :data:`DENSE_SPECTRUM_MAX` rows, or a non-zero eigenvalue with :math:`\mathrm{Re}\,\lambda > 0`
        beyond round-off (an unstable generator).
    """
    A = _square(L)
    rtol = V.real_number(rtol, "rtol", lo=0.0)
    ev, _, s = _spectrum(A, H, rtol, scale)
    if ev.size == 0:
        return float("inf")
    g = -float(np.max(ev.real))
    if abs(g) <= 1e-12 * s:
        return 0.0
    if g < 0:
        raise ValueError(f"the generator has an eigenvalue with positive real part {-g:.3g}: the evolution "
                         "is unstable (not a valid generator)")
    return g


def relaxation_modes(L: Any, v0: Any, functional: Any, *, H: Any = None, rtol: float = 1e-12,
                     scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Decay rates and amplitudes of the modes an initial state excites in a linear observable.

    With right and left eigenvectors :math:`r_k, l_k` of ``L`` (:math:`l_j\cdot r_k = \delta_{jk}`),
    :math:`f(t) = f\cdot e^{Lt}v_0 = f_\infty + \sum_k a_k e^{\lambda_k t}` with
    :math:`a_k = (f\cdot r_k)(l_k\cdot v_0)`. The late-time decay of :math:`f(t)` is set by the slowest
    mode with a non-negligible :math:`|a_k|`, which is :math:`g` (:func:`relaxation_rate`) unless the
    initial state or the observable has (almost) no weight on the slowest modes.

    Parameters
    ----------
    L : array_like, shape (n, n)
        Generator (diagonalisable; dense, at most :data:`DENSE_SPECTRUM_MAX` rows).
    v0 : array_like, shape (n,)
        Initial vector (e.g. a column-stacked density matrix, or populations).
    functional : array_like, shape (n,)
        The observable as a linear functional, :math:`f(t) = \mathrm{functional}\cdot v(t)`
        (for :math:`\mathrm{Tr}\,\rho A` with column stacking: ``A.T.flatten(order="F")``).
    H : array_like, optional
        Hamiltonian of a full Liouvillian (kernel threshold, as in :func:`relaxation_rate`).
    rtol : float
        Relative kernel threshold.
    scale : float, optional
        Rate scale of the kernel threshold.

    Returns
    -------
    eigenvalues : ndarray of complex
        :math:`\lambda_k` of the non-kernel modes, by decay rate :math:`-\mathrm{Re}\,\lambda_k` ascending.
    amplitudes : ndarray of complex
        :math:`a_k` in the same order (units of the observable), so that
        :math:`f(t) = f_\infty + \sum_k a_k e^{\lambda_k t}`.

    Raises
    ------
    ValueError
        For shapes that do not match, or as :func:`relaxation_rate`.
    """
    A = _square(L)
    v0 = np.asarray(v0, dtype=complex).ravel()
    f = np.asarray(functional, dtype=complex).ravel()
    if v0.size != A.shape[0] or f.size != A.shape[0]:
        raise ValueError(f"v0 and functional must have {A.shape[0]} entries; got {v0.size} and {f.size}")
    _, k, s = _spectrum(A, H, V.real_number(rtol, "rtol", lo=0.0), scale)
    ev, R = np.linalg.eig(A)
    Linv = np.linalg.solve(R, np.eye(A.shape[0]))       # rows: left eigenvectors, l_j . r_k = delta
    order = np.argsort(np.abs(ev), kind="stable")[k:]
    amp = (f @ R[:, order]) * (Linv[order] @ v0)
    lam = ev[order]
    o = np.argsort(-lam.real, kind="stable")
    return lam[o], amp[o]


def secular_sector(L: Any, H: Any, *, tol: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Restriction of a secular generator to the operators that commute with ``H``.

    A secular (global Lindblad) generator commutes with the superoperator :math:`[H,\cdot\,]`, so the
    operators :math:`|i\rangle\langle j|` of the energy eigenbasis with :math:`E_i = E_j` (the
    zero-Bohr-frequency sector: populations, and coherences between degenerate levels) form an
    invariant subspace. Every state diagonal in the energy basis (the ground state, a Gibbs state)
    evolves inside it, and so does the steady state; for a non-degenerate spectrum the block is the
    Pauli rate generator of the populations.

    Parameters
    ----------
    L : array_like, shape (d*d, d*d)
        Generator (column stacking).
    H : array_like or Qobj, shape (d, d)
        Hamiltonian.
    tol : float, optional
        Levels closer than ``tol`` are degenerate (default ``1e-9 * max(1, E_max - E_min)``, the
        Bohr-frequency grouping of :func:`global_jumps`).

    Returns
    -------
    G : ndarray, shape (m, m)
        The block of ``L`` on the sector, written in the energy eigenbasis.
    index : ndarray of int, shape (m,)
        Column-stacked positions ``i + d*j`` (energy basis) of the sector's elements.
    E : ndarray, shape (d,)
        Energies, ascending.
    U : ndarray, shape (d, d)
        Eigenvectors (columns); an operator ``X`` of the sector is ``U @ X_e @ U^dagger``.

    Raises
    ------
    ValueError
        For mismatched shapes, or if ``L`` couples the sector to the rest (it is not secular; the
        message gives the size of the leak relative to ``L``).
    """
    A = _square(L)
    E, U = eigh(H)
    d = E.size
    if A.shape != (d * d, d * d):
        raise ValueError(f"L must have shape {(d * d, d * d)} for H of dimension {d}; got {A.shape}")
    t = 1e-9 * max(1.0, float(E[-1] - E[0])) if tol is None else V.real_number(tol, "tol", lo=0.0)
    S = np.kron(U.T, U.conj().T)                         # vec(U^dag X U) = S vec(X)
    Le = S @ A @ S.conj().T
    i, j = np.meshgrid(np.arange(d), np.arange(d), indexing="ij")
    inside = (np.abs(E[i] - E[j]) <= t).ravel(order="F")
    idx = np.flatnonzero(inside)
    leak = float(np.max(np.abs(Le[np.ix_(~inside, inside)]))) if np.any(~inside) else 0.0
    size = max(float(np.max(np.abs(Le))), 1e-300)
    if leak > 1e-9 * size:
        raise ValueError(f"L couples the operators commuting with H to the others (leak {leak / size:.2e} of the "
                         "largest element): it is not a secular generator; use its own invariant sector")
    return Le[np.ix_(idx, idx)], idx, E, U


def _times(times: Any) -> np.ndarray:
    t = V.real_array(times, "times").ravel()
    if np.any(t < 0):
        raise ValueError("times must be >= 0")
    return t


def propagate(G: Any, v0: Any, times: Any) -> np.ndarray:
    r"""Solve :math:`\dot v = G v` exactly: :math:`v(t) = e^{Gt}v_0` at each time.

    Matrix exponentials of the generator itself (no ODE solver): for dense ``G`` up to 400 rows,
    ``scipy.linalg.expm`` of each distinct time step (reused on a uniform grid); beyond that, or for
    a sparse ``G``, ``scipy.sparse.linalg.expm_multiply``.

    Parameters
    ----------
    G : array_like or sparse matrix, shape (n, n)
        Generator (energy units).
    v0 : array_like, shape (n,)
        Initial vector.
    times : float or array_like
        Times :math:`t \ge 0` (units of 1/energy), in any order.

    Returns
    -------
    ndarray of complex, shape (len(times), n)
        :math:`v(t)` for each time, in the order given.

    Raises
    ------
    ValueError
        For mismatched shapes, non-finite entries or negative times.
    """
    sparse = sp.issparse(G)
    A = G.tocsr().astype(complex) if sparse else _square(G, "G")
    n = A.shape[0]
    v = np.asarray(v0, dtype=complex).ravel()
    if v.size != n:
        raise ValueError(f"v0 must have {n} entries; got {v.size}")
    t = _times(times)
    out = np.empty((t.size, n), dtype=complex)
    order = np.argsort(t, kind="stable")
    now, last_dt, P = 0.0, None, None
    dense = (not sparse) and n <= 400
    for i in order:
        dt = float(t[i]) - now
        if dt > 0:
            if dense:
                if last_dt is None or abs(dt - last_dt) > 1e-12 * max(dt, 1e-300):
                    P, last_dt = sla.expm(A * dt), dt
                v = P @ v
            else:
                v = spla.expm_multiply(A * dt, v)
            now = float(t[i])
        out[i] = v
    return out


def evolve(L: Any, rho0: Any, times: Any) -> np.ndarray:
    r"""Density matrices :math:`\rho(t) = e^{\mathcal L t}\rho_0` (column stacking), exactly.

    Parameters
    ----------
    L : array_like, shape (d*d, d*d)
        Generator (e.g. :func:`liouvillian`, :func:`redfield`).
    rho0 : array_like or Qobj, shape (d, d)
        Initial density matrix.
    times : float or array_like
        Times :math:`t \ge 0` (units of 1/energy).

    Returns
    -------
    ndarray of complex, shape (len(times), d, d)
        The states, Hermitian part (Redfield generators need not keep them positive).

    Raises
    ------
    ValueError
        For a ``rho0`` that is not a density matrix, mismatched shapes or negative times.
    """
    r0 = V.density_matrix(rho0, "rho0")
    d = r0.shape[0]
    A = _square(L)
    if A.shape != (d * d, d * d):
        raise ValueError(f"L must have shape {(d * d, d * d)} for rho0 of dimension {d}; got {A.shape}")
    vs = propagate(A, r0.flatten(order="F"), times)
    rho = vs.reshape(-1, d, d).transpose(0, 2, 1)          # undo column stacking
    return 0.5 * (rho + rho.conj().transpose(0, 2, 1))


def ergotropy_curve(L: Any, rho0: Any, times: Any, H: Any) -> np.ndarray:
    r"""Ergotropy :math:`\mathcal W(\rho(t), H)` along :func:`evolve` (a charging curve).

    Parameters
    ----------
    L : array_like, shape (d*d, d*d)
        Generator.
    rho0 : array_like or Qobj, shape (d, d)
        Initial state (e.g. the ground state of ``H``: the discharged battery).
    times : float or array_like
        Times :math:`t \ge 0`.
    H : array_like or Qobj, shape (d, d)
        The battery Hamiltonian with respect to which the ergotropy is taken.

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal W(t)` (energy units), with the round-off clamp of
        :func:`qbcore.thermo.batch_ergotropy`.

    Raises
    ------
    ValueError
        As :func:`evolve`, or for an ``H`` of another dimension.
    """
    from ..thermo import batch_ergotropy

    rho = evolve(L, rho0, times)
    E, U = eigh(H)
    if U.shape[0] != rho.shape[-1]:
        raise ValueError(f"H must have dimension {rho.shape[-1]}; got {U.shape[0]}")
    rho_e = U.conj().T @ rho @ U
    return batch_ergotropy(rho_e, E)[1]


def decay_rate(times: Any, values: Any, limit: float, *, where: Sequence[bool] | None = None,
               segments: int | None = None) -> float:
    r"""Late-time decay rate of ``values`` towards ``limit``: least-squares slope of :math:`-\ln|f(t) - f_\infty|`.

    With ``segments``, the window is cut into that many consecutive pieces and only the largest
    :math:`|f - f_\infty|` of each piece is fitted: the rate of the *envelope*, which is what a decay
    :math:`e^{-\gamma t}(a + b\cos\Omega t)` with oscillating modes has (choose pieces longer than the
    period :math:`2\pi/\Omega`); without it the zero crossings of such a signal bias the slope.

    Parameters
    ----------
    times : array_like
        Times (units of 1/energy).
    values : array_like
        :math:`f(t)` at those times.
    limit : float
        :math:`f_\infty`.
    where : array_like of bool, optional
        The window to fit (default: every point); points with :math:`|f - f_\infty|` exactly 0 are left out.
    segments : int, optional
        Fit the envelope: the maximum of each of ``segments >= 3`` consecutive pieces of the window.

    Returns
    -------
    float
        The rate :math:`\gamma` of :math:`|f - f_\infty| \propto e^{-\gamma t}` (energy units).

    Raises
    ------
    ValueError
        For mismatched lengths, fewer than three usable points (or pieces) in the window, or a bad
        ``segments``.
    """
    t = V.real_array(times, "times").ravel()
    y = V.real_array(values, "values").ravel()
    lim = V.real_number(limit, "limit")
    if t.size != y.size:
        raise ValueError(f"times and values must have the same length; got {t.size} and {y.size}")
    keep = np.ones(t.size, bool) if where is None else np.asarray(where, bool).ravel()
    if keep.size != t.size:
        raise ValueError("where must have the length of times")
    dev = np.abs(y - lim)
    keep = keep & (dev > 0)
    if keep.sum() < 3:
        raise ValueError("need at least three points with values != limit in the window")
    tt, dd = t[keep], dev[keep]
    if segments is not None:
        if isinstance(segments, bool) or not isinstance(segments, (int, np.integer)) or not 3 <= segments <= tt.size:
            raise ValueError(f"segments must be an integer in [3, {tt.size}] (points in the window); got {segments!r}")
        o = np.argsort(tt)
        tt, dd = tt[o], dd[o]
        picks = [int(np.argmax(dd[c])) + c[0] for c in np.array_split(np.arange(tt.size), int(segments))]
        tt, dd = tt[picks], dd[picks]
    slope = np.polyfit(tt, np.log(dd), 1)[0]
    return float(-slope)
