"""Bohr-frequency components, bath rates and the jump operators of the global and local equations."""
from __future__ import annotations

import warnings
from typing import Any, Iterable, Sequence

import numpy as np

from .. import _validate as V
from ..baths import Bath
from ._operators import Coupling, Jump, SecularApproximationWarning, eigh


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
        # the rates of every component at once (channel_rates is elementwise: the same numbers)
        es, as_ = channel_rates(c.bath, np.array([w for w, _ in comps], dtype=float), tol=t,
                                zero_frequency=zero_frequency)
        for (w, Sw), e, a in zip(comps, es.tolist(), as_.tolist()):
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
