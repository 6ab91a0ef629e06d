r"""Master equations and steady states.

Units :math:`\hbar = k_B = 1`. Superoperators act on column-stacked density matrices
(``vec(rho) = rho.flatten(order="F")``), the convention of QuTiP, so that
``vec(A rho B) = kron(B.T, A) @ vec(rho)`` and our matrices can be compared entry by entry
with ``qutip.liouvillian(...).full()``.

System–bath coupling
--------------------
A coupling is a system operator :math:`S` and a :class:`~qbcore.baths.Bath`, meaning
:math:`H_I = S\otimes B^\dagger + S^\dagger\otimes B`. For Hermitian :math:`S = X` this is the
familiar :math:`X\otimes(B + B^\dagger)`; for :math:`S = \sigma^-` it is the exchange
(rotating-wave) coupling :math:`\sigma^- b^\dagger + \sigma^+ b`. Every coupling has its own,
independent bath (two couplings to equal ``Bath`` objects are two independent baths with the
same temperature); put the operators into one :math:`S` for a *collective* coupling.

Decompose :math:`S = \sum_\omega S(\omega)`, where :math:`S(\omega)` collects the matrix elements
:math:`|i\rangle\langle i|S|j\rangle\langle j|` with :math:`E_j - E_i = \omega` (it lowers the energy
by :math:`\omega`). Bohr frequencies closer than ``tol`` (default ``1e-9 × max(1, E_max − E_min)``)
are grouped into one channel. Each component gives an *emission* channel :math:`S(\omega)` with rate
:math:`e(\omega) = J(\omega)[1\pm n(\omega)]` and an *absorption* channel :math:`S(\omega)^\dagger`
with rate :math:`a(\omega) = J(\omega)\,n(\omega)` (see :func:`channel_rates`). Boson baths have modes
only at :math:`\omega > 0`; fermion baths at every energy.

Zero-frequency channels (``zero_frequency="limit"``, the default): for a Hermitian :math:`X` the
dephasing term is :math:`\gamma(0)\,\mathcal D[X(0)]` with :math:`\gamma(0) = S(0) =
\tfrac12[S(0^+) + S(0^-)] = \lim_{\omega\to0^+}J(\omega)[n(\omega)+\tfrac12]`, the bath spectrum at
zero frequency (:meth:`~qbcore.baths.Bath.spectrum_at_zero`: the integral of the bath correlation
function, which at a jump of :math:`S` is the mean of the one-sided limits). It is :math:`\kappa T` for
an Ohmic bath and :math:`\gamma/2` for a flat density :math:`J = \gamma` at :math:`T = 0`, where
:math:`S(0^-) = 0 \ne S(0^+) = \gamma`. Emission and absorption each carry
:math:`\tfrac12 S(0^\pm)`, so a non-Hermitian coupling splits the rate the same way.
``zero_frequency="drop"`` omits these channels. Lamb shifts are neglected throughout.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from . import _validate as V
from .baths import Bath

__all__ = [
    "Coupling", "Jump", "spin_operators", "eigh", "bohr_components", "channel_rates",
    "global_jumps", "local_jumps", "liouvillian", "dissipator", "global_lindblad", "redfield",
    "SteadyState", "steady_state", "kernel", "lindblad_steady_batch", "pauli_rates",
    "pauli_steady_batch", "NonUniqueSteadyStateError", "SecularApproximationWarning",
]


class NonUniqueSteadyStateError(ValueError):
    """The generator has more than one steady state and no initial state was given."""


class SecularApproximationWarning(UserWarning):
    """Two distinct Bohr frequencies of one coupling differ by less than their rates.

    The secular (global Lindblad) equation then drops couplings between channels that the
    dynamics does not average out: use :func:`redfield` (non-secular), or merge the two
    frequencies with a ``tol`` above their difference if they are one transition split by noise.
    """


@dataclass(frozen=True)
class Coupling:
    """System operator ``op`` (the :math:`S` of :math:`S\\otimes B^\\dagger + h.c.`) and its bath.

    Parameters
    ----------
    op : array_like or Qobj
        System operator :math:`S` (Hermitian for a dephasing/``X``-type coupling, a lowering
        operator for an exchange coupling).
    bath : qbcore.baths.Bath
        Its own, independent reservoir.
    name : str
        Label carried into the :class:`Jump` objects.
    """

    op: Any
    bath: Bath
    name: str = ""


@dataclass(frozen=True)
class Jump:
    """One Lindblad channel: ``rate * D[op]``, with its bath name and Bohr frequency.

    Parameters
    ----------
    rate : float
        Rate :math:`\\gamma \\ge 0` (energy units, :math:`\\hbar = 1`).
    op : ndarray
        Jump operator :math:`L`.
    name : str
        Bath label.
    omega : float
        Energy the transition gives to the bath (negative: taken from it).
    """

    rate: float
    op: np.ndarray
    name: str = ""
    omega: float = 0.0


# --------------------------------------------------------------------------- operators
def spin_operators(n: int) -> dict[str, list[np.ndarray]]:
    r"""Pauli and ladder operators of ``n`` qubits, as dense arrays.

    Convention (QuTiP's): basis state 0 of each qubit is the excited state, :math:`\sigma^z = +1`;
    :math:`\sigma^- = |1\rangle\langle 0|` lowers. Qubit 0 is the leftmost tensor factor.

    Parameters
    ----------
    n : int
        Number of qubits, ``1 <= n <= 12``.

    Returns
    -------
    dict
        Keys ``"sx", "sy", "sz", "sm", "sp"``, each a list of ``n`` matrices of size ``2**n``.
    """
    if not isinstance(n, (int, np.integer)) or n < 1 or n > 12:
        raise ValueError(f"n must be an integer in [1, 12]; got {n!r}")
    one = {
        "sx": np.array([[0, 1], [1, 0]], complex),
        "sy": np.array([[0, -1j], [1j, 0]], complex),
        "sz": np.array([[1, 0], [0, -1]], complex),
        "sm": np.array([[0, 0], [1, 0]], complex),
        "sp": np.array([[0, 1], [0, 0]], complex),
    }
    out: dict[str, list[np.ndarray]] = {k: [] for k in one}
    for k, op in one.items():
        for i in range(n):
            mats = [np.eye(2, dtype=complex)] * n
            mats[i] = op
            full = mats[0]
            for m in mats[1:]:
                full = np.kron(full, m)
            out[k].append(full)
    return out


def eigh(H: Any) -> tuple[np.ndarray, np.ndarray]:
    """Eigen-decomposition of a Hermitian ``H`` with energies in ascending order.

    Parameters
    ----------
    H : array_like or Qobj
        Hermitian matrix.

    Returns
    -------
    E : ndarray
        Eigenvalues, ascending.
    U : ndarray
        Eigenvectors as columns.

    Raises
    ------
    ValueError
        If ``H`` is not a finite Hermitian matrix.
    """
    h = V.hermitian(H, "H")
    return np.linalg.eigh(h)


def _tol(E: np.ndarray, tol: float | None) -> float:
    if tol is None:
        return 1e-9 * max(1.0, float(E[-1] - E[0]))
    return V.real_number(tol, "tol", lo=0.0, lo_open=True)


def _clusters(values: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Group sorted-able ``values`` into clusters no wider than chained ``tol`` gaps.

    Returns the cluster label of each value and the mean value of each cluster.
    """
    flat = values.ravel()
    order = np.argsort(flat, kind="stable")
    labels = np.empty(flat.size, dtype=int)
    gaps = np.diff(flat[order]) > tol
    labels[order] = np.concatenate([[0], np.cumsum(gaps)])
    centres = np.bincount(labels, weights=flat) / np.bincount(labels)
    return labels.reshape(values.shape), centres


def bohr_components(H: Any, S: Any, *, tol: float | None = None) -> list[tuple[float, np.ndarray]]:
    r"""Decompose ``S`` into components :math:`S(\omega)` lowering the energy by :math:`\omega`.

    Parameters
    ----------
    H, S : array_like or Qobj
        Hamiltonian and system operator.
    tol : float, optional
        Bohr frequencies closer than ``tol`` are merged (default ``1e-9 × max(1, spread of H)``).

    Returns
    -------
    list of (omega, S_omega)
        Non-zero components, in the original basis; ``sum(S_omega) == S``. ``omega`` may be
        negative (components that raise the energy) or zero.
    """
    E, U = eigh(H)
    s = V.to_array(S, "S")
    V.same_shape(s, U, "S", "H")
    t = _tol(E, tol)
    se = U.conj().T @ s @ U
    omega = E[None, :] - E[:, None]          # omega[i, j] = E_j - E_i: j -> i lowers by omega
    labels, centres = _clusters(omega, t)
    out = []
    thresh = 1e-14 * max(1.0, float(np.max(np.abs(se))))
    for k, w in enumerate(centres):
        comp = np.where(labels == k, se, 0.0)
        if np.max(np.abs(comp)) > thresh:
            w = 0.0 if abs(w) <= t else float(w)
            out.append((w, U @ comp @ U.conj().T))
    return out


def channel_rates(bath: Bath, omega: np.ndarray, *, tol: float = 1e-12,
                  zero_frequency: str = "limit") -> tuple[np.ndarray, np.ndarray]:
    r"""Emission and absorption rates :math:`e(\omega)`, :math:`a(\omega)` of a bath.

    * fermions: :math:`e = J(1-f)`, :math:`a = J f` at every :math:`\omega`;
    * bosons: :math:`e = J(1+n)`, :math:`a = J n` for :math:`\omega > 0`; zero for
      :math:`\omega < 0` (no modes); at :math:`|\omega| \le` ``tol`` each is half its one-sided
      limit, so that :math:`e + a = S(0)` = ``bath.spectrum_at_zero()`` (``zero_frequency="limit"``),
      or zero (``"drop"``).

    Vectorised over ``omega``.

    Parameters
    ----------
    bath : qbcore.baths.Bath
        The reservoir.
    omega : array_like
        Bohr frequencies (energy given to the bath).
    tol : float
        Frequencies with ``|omega| <= tol`` are zero-frequency channels.
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels.

    Returns
    -------
    e, a : ndarray
        Emission and absorption rates, same shape as ``omega``.
    """
    V.choice(zero_frequency, "zero_frequency", ("limit", "drop"))
    w = np.asarray(omega, dtype=float)
    zero = np.abs(w) <= tol
    if bath.statistics == "fermion":
        e = bath.down_rate(w)
        a = bath.up_rate(w)
        if zero_frequency == "drop":
            e, a = np.where(zero, 0.0, e), np.where(zero, 0.0, a)
        return np.asarray(e, float), np.asarray(a, float)
    pos = w > tol
    wp = np.where(pos, w, 1.0)
    e = np.where(pos, bath.down_rate(wp), 0.0)
    a = np.where(pos, bath.up_rate(wp), 0.0)
    if np.any(zero) and zero_frequency == "limit":
        # Half of each one-sided limit: e(0) + a(0) = S(0) = [S(0+) + S(0-)]/2 (Bath.spectrum_at_zero).
        # lim J(1+n) and lim J n coincide when finite at T > 0 (both kappa*T for Ohmic); at T = 0, J n -> 0.
        r0 = bath.rate_at_zero()
        a0 = r0 if bath.T > 0 else 0.0
        e = np.where(zero, 0.5 * r0, e)
        a = np.where(zero, 0.5 * a0, a)
    return np.asarray(e, float), np.asarray(a, float)


def _as_couplings(couplings: Iterable) -> list[Coupling]:
    out = []
    for i, c in enumerate(couplings):
        if isinstance(c, Coupling):
            out.append(c)
        elif isinstance(c, tuple) and len(c) in (2, 3):
            out.append(Coupling(*c))
        else:
            raise ValueError(f"couplings[{i}] must be a Coupling or a tuple (op, bath[, name])")
        if not isinstance(out[-1].bath, Bath):
            raise ValueError(f"couplings[{i}].bath must be a qbcore.baths.Bath")
    if not out:
        raise ValueError("couplings must contain at least one (op, bath) pair")
    return out


def global_jumps(H: Any, couplings: Iterable, *, zero_frequency: str = "limit",
                 tol: float | None = None, secular_check: bool = True) -> list[Jump]:
    r"""Jump operators of the global (eigen-operator, secular) Lindblad equation.

    Parameters
    ----------
    H : array_like or Qobj
        System Hamiltonian.
    couplings : iterable of Coupling or (op, bath[, name])
        Independent system–bath couplings (see the module docstring).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency (dephasing) channels.
    tol : float, optional
        Bohr-frequency grouping tolerance (default ``1e-9 × max(1, E_max - E_min)``). Choose it above
        the numerical noise of the spectrum (differences that should be zero) and below every
        splitting that is physical. Frequencies closer than the decay rates cannot be resolved by
        the secular equation either way: then a :class:`SecularApproximationWarning` is issued, and
        :func:`redfield` (non-secular) is the equation to use.
    secular_check : bool
        Whether to warn when the secular approximation is not justified (default ``True``). The
        model modules that reproduce a paper's secular equation pass ``False`` and discuss its
        validity in their chapters.

    Returns
    -------
    list of Jump
        Channels with non-zero rate.

    Warns
    -----
    SecularApproximationWarning
        When two distinct Bohr frequencies of one coupling differ by less than their rates.
    """
    E, _ = eigh(H)
    t = _tol(E, tol)
    jumps: list[Jump] = []
    for c in _as_couplings(couplings):
        comps = bohr_components(H, c.op, tol=t)
        start = len(jumps)
        herm = np.allclose(V.to_array(c.op, "op"), V.to_array(c.op, "op").conj().T, atol=1e-12)
        for w, Sw in comps:
            e, a = channel_rates(c.bath, np.array([w]), tol=t, zero_frequency=zero_frequency)
            e, a = float(e[0]), float(a[0])
            if herm and w == 0.0:
                # S(0) is Hermitian: emission and absorption act with the same operator.
                if e + a > 0:
                    jumps.append(Jump(e + a, Sw, c.name, 0.0))
                continue
            if e > 0:
                jumps.append(Jump(e, Sw, c.name, w))
            if a > 0:
                jumps.append(Jump(a, Sw.conj().T, c.name, -w))
        if secular_check:
            _check_secular(jumps[start:], t)
    return jumps


def _check_secular(jumps: list[Jump], tol: float) -> None:
    """Warn when two distinct Bohr frequencies of one coupling are closer than their rates."""
    by_w: dict[float, float] = {}
    for j in jumps:
        w = abs(j.omega)
        by_w[w] = max(by_w.get(w, 0.0), j.rate)
    ws = sorted(by_w)
    for w1, w2 in zip(ws, ws[1:]):
        rate = max(by_w[w1], by_w[w2])
        if w2 - w1 < rate:
            warnings.warn(SecularApproximationWarning(
                f"Bohr frequencies {w1:.6g} and {w2:.6g} differ by {w2 - w1:.3g}, less than their rate "
                f"{rate:.3g}: the secular approximation is not justified. Use redfield(...) "
                f"(non-secular), or tol > {w2 - w1:.3g} if they are one transition (tol is now {tol:.3g})."),
                stacklevel=3)
            return


def local_jumps(lowering: Sequence[Any], bath: Bath, omega: float | Sequence[float], *,
                collective: bool = False, name: str = "") -> list[Jump]:
    r"""Local Lindblad channels: :math:`\sigma^-_i` at the *local* frequency of each site.

    Parameters
    ----------
    lowering : sequence of operators
        Local lowering operators (e.g. ``spin_operators(n)["sm"][i]`` for chosen sites).
    bath : Bath
        The reservoir (one independent copy per site unless ``collective``).
    omega : float or sequence
        Local transition frequency of each site (one number for all).
    collective : bool
        ``True``: one channel :math:`\sum_i \sigma^-_i` (requires equal frequencies).

    Returns
    -------
    list of Jump
        ``e(omega) D[sigma^-]`` and ``a(omega) D[sigma^+]`` per site (or collectively).
    """
    ops = [V.to_array(o, f"lowering[{i}]") for i, o in enumerate(lowering)]
    if not ops:
        raise ValueError("lowering must contain at least one operator")
    om = np.broadcast_to(V.real_array(omega, "omega"), (len(ops),))
    if collective:
        if np.ptp(om) > 1e-12:
            raise ValueError("collective=True needs equal local frequencies omega")
        ops, om = [sum(ops)], om[:1]
    jumps = []
    for op, w in zip(ops, om):
        e, a = channel_rates(bath, np.array([w]))
        if e[0] > 0:
            jumps.append(Jump(float(e[0]), op, name, float(w)))
        if a[0] > 0:
            jumps.append(Jump(float(a[0]), op.conj().T, name, -float(w)))
    return jumps


# --------------------------------------------------------------------------- generators
def _kron(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``np.kron`` for two matrices, without its generic-shape overhead (hot in sweeps)."""
    return (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])


def _spre(A: np.ndarray) -> np.ndarray:
    return _kron(np.eye(A.shape[0]), A)


def _spost(A: np.ndarray) -> np.ndarray:
    return _kron(A.T, np.eye(A.shape[0]))


def dissipator(L: np.ndarray) -> np.ndarray:
    r"""Superoperator of :math:`\mathcal D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L, \rho\}`.

    Parameters
    ----------
    L : ndarray, shape (d, d)
        Jump operator.

    Returns
    -------
    ndarray, shape (d*d, d*d)
        Column-stacking convention.
    """
    LdL = L.conj().T @ L
    return _kron(L.conj(), L) - 0.5 * _spre(LdL) - 0.5 * _spost(LdL)


def liouvillian(H: Any, jumps: Iterable[Jump]) -> np.ndarray:
    r"""Lindblad generator :math:`-i[H,\cdot] + \sum_k \gamma_k \mathcal D[L_k]` as a matrix.

    The anticommutator parts of all jumps are summed first (one :math:`\sum_k\gamma_k L_k^\dagger L_k`),
    so each jump costs one Kronecker product.

    Parameters
    ----------
    H : array_like or Qobj
        Hamiltonian.
    jumps : iterable of Jump
        Channels with finite rates ``>= 0``.

    Returns
    -------
    ndarray, shape (d*d, d*d)
        The generator (column-stacking convention, equal to ``qutip.liouvillian(H, c_ops).full()``).

    Raises
    ------
    ValueError
        For a non-Hermitian ``H``, mismatched shapes or a negative / non-finite rate.
    """
    h = V.hermitian(H, "H")
    G = np.zeros(h.shape, dtype=complex)               # sum_k gamma_k L_k^dagger L_k
    L = np.zeros((h.size, h.size), dtype=complex)
    for j in jumps:
        op = V.to_array(j.op, "jump operator")
        V.same_shape(op, h, "jump operator", "H")
        if not (np.isfinite(j.rate) and j.rate >= 0):
            raise ValueError(f"jump rate must be finite and >= 0; got {j.rate}")
        L += j.rate * _kron(op.conj(), op)
        G += j.rate * (op.conj().T @ op)
    K = -1j * h - 0.5 * G                                # rho -> K rho + rho K^dagger + jumps
    return L + _spre(K) + _spost(K.conj().T)


def global_lindblad(H: Any, couplings: Iterable, *, zero_frequency: str = "limit",
                    tol: float | None = None, secular_check: bool = True) -> np.ndarray:
    """Generator of the global (secular, eigen-operator) Lindblad equation.

    Parameters
    ----------
    H : array_like or Qobj
        System Hamiltonian.
    couplings : iterable of Coupling or (op, bath[, name])
        Independent system–bath couplings.
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency (dephasing) channels.
    tol : float, optional
        Bohr-frequency grouping tolerance (see :func:`global_jumps`).
    secular_check : bool
        Warn when the secular approximation is not justified (see :func:`global_jumps`).

    Returns
    -------
    ndarray, shape (d*d, d*d)
        The generator, column-stacking convention (compare with ``qutip.liouvillian``).

    Warns
    -----
    SecularApproximationWarning
        When two distinct Bohr frequencies of one coupling differ by less than their rates.
    """
    return liouvillian(H, global_jumps(H, couplings, zero_frequency=zero_frequency, tol=tol,
                                       secular_check=secular_check))


def redfield(H: Any, couplings: Iterable, *, secular: bool = False, zero_frequency: str = "limit",
             tol: float | None = None, secular_check: bool = True) -> np.ndarray:
    r"""Bloch–Redfield generator (non-secular by default), Lamb shift neglected.

    For couplings :math:`S_k\otimes B_k^\dagger + h.c.` to independent baths,

    .. math::
        \dot\rho = -i[H,\rho] + \sum_k \big([\Lambda^e_k\rho, S_k^\dagger] + [\Lambda^a_k\rho, S_k] + h.c.\big),
        \quad \Lambda^e = \tfrac12\sum_\omega e(\omega) S(\omega),\quad
        \Lambda^a = \tfrac12\sum_\omega a(\omega) S(\omega)^\dagger,

    with the rates of :func:`channel_rates`. For Hermitian :math:`S` this is the standard
    Redfield equation with :math:`\Gamma(\omega)=\tfrac12\gamma(\omega)`; keeping only equal-frequency
    pairs (``secular=True``) gives exactly :func:`global_lindblad`. Not completely positive:
    the steady state can have negative eigenvalues (check ``SteadyState.min_eigenvalue``).

    Parameters
    ----------
    H : array_like or Qobj
        System Hamiltonian.
    couplings : iterable of Coupling or (op, bath[, name])
        Independent system–bath couplings.
    secular : bool
        Keep only equal-frequency pairs (then the result is :func:`global_lindblad`).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels (see the module docstring).
    tol : float, optional
        Bohr-frequency grouping tolerance.
    secular_check : bool
        With ``secular=True``: warn when the secular approximation is not justified.

    Returns
    -------
    ndarray, shape (d*d, d*d)
        The generator (column-stacking convention, as ``qutip.bloch_redfield_tensor(..., fock_basis=True)``).
    """
    if secular:
        return global_lindblad(H, couplings, zero_frequency=zero_frequency, tol=tol, secular_check=secular_check)
    E, U = eigh(H)
    t = _tol(E, tol)
    h = V.hermitian(H, "H")
    Lsup = -1j * (_spre(h) - _spost(h))
    omega = E[None, :] - E[:, None]
    for c in _as_couplings(couplings):
        s = V.to_array(c.op, "op")
        V.same_shape(s, h, "op", "H")
        se = U.conj().T @ s @ U
        # Rates only where S has matrix elements (a zero-frequency limit may not exist elsewhere).
        thresh = 1e-14 * max(1.0, float(np.max(np.abs(se))))
        e, a = np.zeros(omega.shape), np.zeros(omega.shape)
        m_e, m_a = np.abs(se) > thresh, np.abs(se.conj().T) > thresh
        e[m_e] = channel_rates(c.bath, omega[m_e], tol=t, zero_frequency=zero_frequency)[0]
        a[m_a] = channel_rates(c.bath, -omega[m_a], tol=t, zero_frequency=zero_frequency)[1]
        # (Lambda_e)_ij = e(E_j - E_i)/2 * S_ij ; (Lambda_a)_ij = a(E_i - E_j)/2 * (S^dag)_ij
        lam_e = U @ (0.5 * e * se) @ U.conj().T
        lam_a = U @ (0.5 * a * se.conj().T) @ U.conj().T
        for lam, Y in ((lam_e, s.conj().T), (lam_a, s)):
            term = (_kron(Y.T, lam) - _spre(Y @ lam))          # lam rho Y - Y lam rho
            term_h = (_kron(lam.conj(), Y.conj().T) - _spost(lam.conj().T @ Y.conj().T))
            Lsup = Lsup + term + term_h
    return Lsup


# --------------------------------------------------------------------------- steady states
def kernel(L: np.ndarray, *, rtol: float = 1e-12, scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Right null space of ``L`` and its singular values (dense SVD).

    Parameters
    ----------
    L : ndarray, shape (n, n)
        Superoperator.
    rtol : float
        A singular value counts as zero when it is at most ``rtol * scale``, or below the SVD's
        round-off floor ``64 * eps * s_max`` (whichever is larger).
    scale : float, optional
        The rate scale against which ``rtol`` is measured; default ``s_max``, the largest
        singular value. :func:`steady_state` passes the size of the dissipative part of ``L``,
        so that a stiff system (rates far below the energy scale) is not mistaken for a
        degenerate one.

    Returns
    -------
    null : ndarray, shape (n, k)
        Orthonormal basis of the (numerical) kernel.
    s : ndarray, shape (n,)
        Singular values in descending order.

    Raises
    ------
    ValueError
        If ``L`` is not square or has non-finite entries.
    """
    L = np.asarray(L, dtype=complex)
    if L.ndim != 2 or L.shape[0] != L.shape[1]:
        raise ValueError(f"L must be a square superoperator matrix; got shape {L.shape}")
    if not np.all(np.isfinite(L)):
        raise ValueError("L contains NaN or infinite entries")
    rtol = V.real_number(rtol, "rtol", lo=0.0)
    _, s, vh = np.linalg.svd(L)
    smax = max(float(s[0]), 1e-300)
    ref = smax if scale is None else float(scale)
    null = s <= max(rtol * ref, 64 * np.finfo(float).eps * smax, 1e-300)
    return vh[null].conj().T, s


def _dissipative_scale(L: np.ndarray, h: np.ndarray) -> float:
    """Size (row-sum norm) of ``L + i[H, .]``: the rates, without the Hamiltonian's frequencies."""
    D = L + 1j * (_spre(h) - _spost(h))
    return float(np.max(np.sum(np.abs(D), axis=1)))


@dataclass
class SteadyState:
    """A steady state with its diagnostics.

    Attributes
    ----------
    rho : ndarray
        Density matrix in the input basis.
    H : ndarray
        Hamiltonian.
    energies : ndarray
        Eigenenergies of ``H`` in ascending order.
    populations : ndarray
        Populations in the energy eigenbasis (ascending energy).
    energy : float
        :math:`\\mathrm{Tr}\\,\\rho H`.
    ergotropy : float
        Ergotropy of ``rho``.
    kernel_dim : int
        Dimension of the generator's kernel (1 = unique steady state).
    min_eigenvalue : float
        Smallest eigenvalue of ``rho`` (negative = not a physical state; Redfield can do this).
    """

    rho: np.ndarray
    H: np.ndarray
    energies: np.ndarray
    populations: np.ndarray
    energy: float
    ergotropy: float
    kernel_dim: int = 1
    min_eigenvalue: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique."""
        return self.kernel_dim == 1

    @property
    def is_positive(self) -> bool:
        """Whether ``rho`` is positive semidefinite (to 1e-10)."""
        return self.min_eigenvalue >= -1e-10

    @property
    def stored_energy(self) -> float:
        """Energy above the ground state, :math:`\\mathrm{Tr}\\,\\rho H - E_0`."""
        return self.energy - float(self.energies[0])


def make_steady_state(rho: np.ndarray, H: np.ndarray, kernel_dim: int = 1, **extra) -> SteadyState:
    """Wrap a density matrix and its Hamiltonian into a :class:`SteadyState` (no validation)."""
    from .thermo import batch_ergotropy

    E, U = np.linalg.eigh(H)
    rho_e = U.conj().T @ rho @ U
    en, W = batch_ergotropy(rho_e, E)
    return SteadyState(rho=rho, H=H, energies=E, populations=np.real(np.diag(rho_e)).copy(),
                       energy=float(en), ergotropy=float(W), kernel_dim=int(kernel_dim),
                       min_eigenvalue=float(np.linalg.eigvalsh(rho)[0]), extra=dict(extra))


def steady_state(L: np.ndarray, H: Any, *, initial: Any = None, rtol: float = 1e-12) -> SteadyState:
    """Steady state of the generator ``L`` (dense; Hilbert-space dimension up to 64).

    Parameters
    ----------
    L : ndarray
        Superoperator (column-stacking convention).
    H : array_like or Qobj
        Hamiltonian (for energies and ergotropy, and to separate the rates from the frequencies).
    initial : array_like or Qobj, optional
        Initial state. Required when the kernel of ``L`` is degenerate: the result is then the
        projection of ``initial`` onto the kernel along the other eigenvectors, i.e.
        :math:`\\lim_{t\\to\\infty} e^{Lt}\\rho_0` (time-averaged if ``L`` has purely imaginary
        eigenvalues).
    rtol : float
        Uniqueness threshold, relative to the *rates*: a singular value of ``L`` below ``rtol`` times
        the size of the dissipative part ``L + i[H, .]`` (or below the SVD's round-off floor
        ``64 eps s_max``) counts as zero. Measuring against the rates rather than the largest
        frequency keeps stiff systems (e.g. a qubit at ``omega = 1e4`` with rates ``1e-9``) unique.

    Returns
    -------
    SteadyState
        The state with energy, ergotropy, populations, ``kernel_dim`` and ``min_eigenvalue``.

    Raises
    ------
    NonUniqueSteadyStateError
        If the kernel is degenerate and ``initial`` is None. The message gives the kernel's
        singular values and the smallest non-zero one, and names both remedies.
    ValueError
        For inconsistent shapes, a dimension above 64, or no kernel at all.
    """
    h = V.hermitian(H, "H")
    d = h.shape[0]
    if d > 64:
        raise ValueError(f"H has dimension {d}; the dense solver supports at most 64 (use a model's own solver)")
    L = np.asarray(L, dtype=complex)
    if L.shape != (d * d, d * d):
        raise ValueError(f"L must have shape {(d * d, d * d)} for H of dimension {d}; got {L.shape}")
    scale = _dissipative_scale(L, h) if np.all(np.isfinite(L)) else None
    R, s = kernel(L, rtol=rtol, scale=scale)
    k = R.shape[1]
    if k == 0:
        raise ValueError(f"L has no steady state within rtol={rtol} (smallest singular value {s[-1]:.3g})")
    tr = np.eye(d).flatten(order="F")
    if k == 1:
        v = R[:, 0]
    else:
        if initial is None:
            floor = 64 * np.finfo(float).eps * max(float(s[0]), 1e-300)
            zero = ", ".join("~0" if x <= floor else f"{x:.2g}" for x in s[-k:])  # round-off prints as ~0
            nxt = s[-k - 1] if s.size > k else float("nan")
            raise NonUniqueSteadyStateError(
                f"the steady state is not unique (kernel dimension {k}; singular values {zero}, next "
                f"{nxt:.2g}, rate scale {scale:.2g}). Pass initial=rho0 to select the long-time limit "
                f"from rho0; if the system is only stiff (rates far below the frequencies) and the "
                f"singular values above are not round-off, pass a smaller rtol (now rtol={rtol:g}).")
        r0 = V.density_matrix(initial, "initial")
        V.same_shape(r0, h, "initial", "H")
        Lft, _ = kernel(L.conj().T, rtol=rtol, scale=scale)
        if Lft.shape[1] != k:
            raise ValueError("left and right kernels of L differ in dimension; cannot project initial state")
        P = R @ np.linalg.solve(Lft.conj().T @ R, Lft.conj().T)
        v = P @ r0.flatten(order="F")
    v = v / (tr @ v)
    rho = v.reshape(d, d, order="F")
    rho = 0.5 * (rho + rho.conj().T)
    return make_steady_state(rho, h, kernel_dim=k)


def lindblad_steady_batch(Ls: np.ndarray) -> np.ndarray:
    """Steady states of a stack of generators with unique kernels (fast path for sweeps).

    Replaces the first row of each generator by the trace condition and solves the stacked
    linear systems with one batched LAPACK call. The caller is responsible for uniqueness
    (e.g. checked once per sweep with :func:`kernel`, or by a symmetry argument).

    Parameters
    ----------
    Ls : ndarray, shape (n, d*d, d*d)
        Generators (column-stacking convention).

    Returns
    -------
    ndarray, shape (n, d, d)
        Unit-trace, Hermitian steady states.
    """
    Ls = np.array(Ls, dtype=complex)
    n, D, _ = Ls.shape
    d = int(round(np.sqrt(D)))
    Ls[:, 0, :] = np.eye(d).flatten(order="F")
    b = np.zeros((n, D, 1), dtype=complex)
    b[:, 0, 0] = 1.0
    v = np.linalg.solve(Ls, b)[..., 0]
    rho = v.reshape(n, d, d).transpose(0, 2, 1)  # undo column stacking
    return 0.5 * (rho + rho.conj().transpose(0, 2, 1))


def pauli_rates(H: Any, jumps: Iterable[Jump]) -> np.ndarray:
    r"""Classical rate matrix :math:`W_{ij} = \sum_k \gamma_k |\langle i|L_k|j\rangle|^2` (j → i).

    In the energy eigenbasis (ascending). When no two transitions share a Bohr frequency the
    populations of the global secular equation decouple from the coherences and obey
    :math:`\dot p = (W - \mathrm{diag}\sum_i W_{ij})\,p`.

    Parameters
    ----------
    H : array_like or Qobj
        Hamiltonian.
    jumps : iterable of Jump
        Channels (e.g. from :func:`global_jumps`).

    Returns
    -------
    ndarray, shape (d, d)
        Off-diagonal rates, zero diagonal.
    """
    E, U = eigh(H)
    W = np.zeros((len(E), len(E)))
    for j in jumps:
        op = U.conj().T @ V.to_array(j.op, "jump operator") @ U
        W += j.rate * np.abs(op) ** 2
    np.fill_diagonal(W, 0.0)
    return W


def pauli_steady_batch(W: np.ndarray) -> np.ndarray:
    """Stationary populations of a stack of rate matrices ``W[..., i, j]`` (rate j → i).

    Parameters
    ----------
    W : ndarray, shape (..., d, d)
        Rate matrices (diagonal ignored), each with a unique stationary distribution.

    Returns
    -------
    ndarray, shape (..., d)
        Populations summing to 1.
    """
    W = np.array(W, dtype=float)
    d = W.shape[-1]
    M = W - np.eye(d) * W.sum(axis=-2)[..., None, :]
    M[..., 0, :] = 1.0
    b = np.zeros(W.shape[:-1] + (1,))
    b[..., 0, 0] = 1.0
    return np.linalg.solve(M, b)[..., 0]
