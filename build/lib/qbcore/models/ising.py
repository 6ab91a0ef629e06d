r"""Two- and three-cell Ising quantum battery between independent thermal baths.

Model (units :math:`\hbar = k_B = 1`; :cite:`hadipour2025ising`)

.. math::
    H = \sum_i \frac{\omega_i}{2}\sigma^z_i + \sum_{i<j} \frac{\lambda_{ij}}{2}\sigma^z_i\sigma^z_j ,

each pair counted **once**. Cell :math:`i` couples through :math:`\sigma^x_i` to its own bosonic
bath with Ohmic spectral density :math:`J(\omega)=\kappa\omega` and temperature :math:`T_i\ge 0`.
The dynamics is the global (eigen-operator, secular) Lindblad equation of :mod:`qbcore.master`.

Cells are numbered left to right: ``0, 1`` = ``L, R`` for two cells and ``0, 1, 2`` =
``L, M, R`` for three. Basis states follow QuTiP's convention (state 0 of a qubit is
:math:`|\uparrow\rangle`, :math:`\sigma^z=+1`; qubit 0 is the leftmost factor), so the product
basis index ``b`` runs from :math:`|\uparrow\uparrow\uparrow\rangle` (``b = 0``) to
:math:`|\downarrow\downarrow\downarrow\rangle` (``b = 7``), the order of the paper's labels 1–8.

Why a rate equation is exact here
---------------------------------
:math:`H` is diagonal in the product basis and :math:`\sigma^x_i` permutes that basis (it flips
spin :math:`i`). Every eigen-operator :math:`A_i(\omega)` is therefore a *partial permutation*:
each column and each row holds at most one non-zero entry, whatever the degeneracies of
:math:`H` or of its Bohr frequencies. Consequently :math:`A^\dagger A` is diagonal and
:math:`\langle k|A\rho A^\dagger|k\rangle = |A_{km}|^2\rho_{mm}` with a single :math:`m`, so the
product-basis populations obey a closed classical (Pauli) rate equation and the diagonal
matrices form an invariant subspace. The same holds for the non-secular Bloch–Redfield
equation (only one operator per bath). When the rate matrix has a single stationary
distribution and the Liouvillian kernel is one-dimensional, the steady state is
``diag(p)`` in the product basis. :func:`sweep` uses this; :func:`steady_state` builds the
full Liouvillian and checks the kernel.

The transition that flips spin :math:`i` out of configuration :math:`s` lowers the energy by

.. math::
    \Delta_i(s) = s_i\Big(\omega_i + \sum_{j\ne i}\lambda_{ij}s_j\Big),

and bath :math:`i` drives it at rate :math:`\kappa\Delta[1+n_i(\Delta)]` if :math:`\Delta>0`,
:math:`\kappa|\Delta|n_i(|\Delta|)` if :math:`\Delta<0`, and :math:`\kappa T_i` (the
:math:`\Delta\to0^+` limit, as in :mod:`qbcore.master`) if :math:`\Delta=0`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np

from .. import _validate as V
from .. import master
from ..baths import Bath, ohmic
from ..thermo import roundoff_zero

__all__ = [
    "CELL_NAMES", "parse_couplings", "topology_couplings", "configurations", "basis_labels",
    "hamiltonian", "level_energies", "flip_frequencies", "rate_matrix", "bath_couplings",
    "steady_state", "sweep", "Sweep", "transitions", "zero_crossings", "two_cell_closed_form",
    "uncoupled_ergotropy",
]

#: Cell names for two and three cells.
CELL_NAMES = {2: ("L", "R"), 3: ("L", "M", "R")}

_RTOL_KERNEL = 1e-10


# --------------------------------------------------------------------------- parameters
def _n_cells(temperatures: Sequence[Any]) -> int:
    try:
        n = len(temperatures)
    except TypeError as exc:
        raise ValueError("temperatures must be a sequence (T_L, T_R) or (T_L, T_M, T_R)") from exc
    if n not in (2, 3):
        raise ValueError(f"temperatures must have 2 entries (T_L, T_R) or 3 (T_L, T_M, T_R); got {n}")
    return n


def _cell_index(key: Any, n: int) -> int:
    names = CELL_NAMES[n]
    if isinstance(key, str):
        if key not in names:
            raise ValueError(f"unknown cell {key!r}; cells are {names} (or indices 0..{n - 1})")
        return names.index(key)
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool) and 0 <= key < n:
        return int(key)
    raise ValueError(f"unknown cell {key!r}; cells are {names} (or indices 0..{n - 1})")


def parse_couplings(couplings: Any, n: int) -> dict[tuple[int, int], Any]:
    r"""Normalise ``couplings`` to ``{(i, j): lambda_ij}`` with ``i < j``, every pair present.

    Parameters
    ----------
    couplings : float, array_like or dict
        A number (or array, for sweeps) used for **all** pairs, or a dict
        ``{(i, j): lambda_ij}`` whose keys are cell indices or names (``"L", "M", "R"``).
        Missing pairs are zero; each unordered pair may appear once.
    n : int
        Number of cells (2 or 3).

    Returns
    -------
    dict
        ``{(i, j): value}`` for every pair ``i < j``; values as given (validated finite).

    Raises
    ------
    ValueError
        For non-finite values, keys that are not pairs of known cells, a cell coupled to itself,
        or a pair given twice.
    """
    pairs = list(combinations(range(n), 2))
    if isinstance(couplings, Mapping):
        out: dict[tuple[int, int], Any] = {p: 0.0 for p in pairs}
        seen: set[tuple[int, int]] = set()
        for key, val in couplings.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise ValueError(f"couplings keys must be pairs (i, j); got {key!r}")
            i, j = (_cell_index(k, n) for k in key)
            if i == j:
                raise ValueError(f"couplings pair {key!r} couples a cell to itself")
            p = (min(i, j), max(i, j))
            if p in seen:
                raise ValueError(f"couplings pair {key!r} given twice")
            seen.add(p)
            out[p] = V.real_array(val, f"couplings[{key!r}]")
        return out
    lam = V.real_array(couplings, "couplings")
    return {p: lam for p in pairs}


def topology_couplings(topology: str, lam: Any) -> dict[tuple[int, int], Any]:
    r"""Three-cell couplings: ``"triangle"`` (all pairs ``lam``) or ``"chain"`` (``lam_LR = 0``).

    Parameters
    ----------
    topology : {"triangle", "chain"}
        ``"triangle"``: :math:`\lambda_{LM} = \lambda_{MR} = \lambda_{LR} = \lambda`; ``"chain"``: the end
        cells L and R are not coupled, :math:`\lambda_{LR} = 0`.
    lam : float or array_like
        Coupling strength :math:`\lambda` (energy, finite; an array sweeps it).

    Returns
    -------
    dict
        ``{(0, 1): lam, (1, 2): lam, (0, 2): lam or zeros}``, for :func:`steady_state`, :func:`sweep`, ...

    Raises
    ------
    ValueError
        For an unknown ``topology`` or a non-finite ``lam``.
    """
    V.choice(topology, "topology", ("triangle", "chain"))
    lam = V.real_array(lam, "lam")
    out = {(0, 1): lam, (1, 2): lam, (0, 2): lam}
    if topology == "chain":
        out[(0, 2)] = np.zeros_like(lam)
    return out


def _parse_omega(omega: Any, n: int, *, allow_arrays: bool) -> list[Any]:
    if isinstance(omega, (list, tuple)):
        if len(omega) != n:
            raise ValueError(f"omega must be one number or {n} numbers (one per cell); got {len(omega)}")
        vals = [V.real_array(w, f"omega[{i}]") for i, w in enumerate(omega)]
    else:
        w = V.real_array(omega, "omega")
        if w.ndim and not allow_arrays:
            if w.shape != (n,):
                raise ValueError(f"omega must be one number or {n} numbers (one per cell); got shape {w.shape}")
            vals = list(w)
        else:
            vals = [w] * n
    for i, w in enumerate(vals):
        if np.any(np.asarray(w) <= 0):
            raise ValueError(f"omega (cell {CELL_NAMES[n][i]}) must be > 0; got {w}")
    return vals


def _parse_temperatures(temperatures: Sequence[Any], n: int) -> list[np.ndarray]:
    out = []
    for i, T in enumerate(temperatures):
        t = V.real_array(T, f"T_{CELL_NAMES[n][i]}")
        if np.any(t < 0):
            raise ValueError(f"T_{CELL_NAMES[n][i]} must be >= 0 (T = 0 allowed); got {T}")
        out.append(t)
    return out


def _scalar_temperatures(temperatures: Sequence[Any]) -> list[float]:
    n = _n_cells(temperatures)
    Ts = _parse_temperatures(temperatures, n)
    for i, t in enumerate(Ts):
        if t.ndim:
            raise ValueError(f"T_{CELL_NAMES[n][i]} must be a single number here (use sweep() for arrays)")
    return [float(t) for t in Ts]


def _parse_kappa(kappa: Any) -> float:
    return V.real_number(kappa, "kappa", lo=0.0, lo_open=True)


# --------------------------------------------------------------------------- spectrum
def configurations(n: int) -> np.ndarray:
    r"""Spin values :math:`s_i=\pm1` of the product basis, shape ``(2**n, n)`` (QuTiP order).

    Parameters
    ----------
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    ndarray of int, shape (2**n, n)
        Row ``b`` holds :math:`s_i` of basis state ``b`` (``+1`` = :math:`\uparrow`, cell 0 first);
        row 0 is all up, the last row all down.

    Raises
    ------
    ValueError
        If ``n`` is not 2 or 3.
    """
    if n not in (2, 3):
        raise ValueError(f"n must be 2 or 3; got {n}")
    b = np.arange(2 ** n)[:, None]
    bits = (b >> (n - 1 - np.arange(n))[None, :]) & 1
    return 1 - 2 * bits


def basis_labels(n: int) -> list[str]:
    """Ket labels of the product basis, e.g. ``'↑↓↑'``, in basis order.

    Parameters
    ----------
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    list of str
        ``2**n`` labels, cell 0 leftmost (``'↑↑'``, ``'↑↓'``, ``'↓↑'``, ``'↓↓'`` for two cells).

    Raises
    ------
    ValueError
        If ``n`` is not 2 or 3.
    """
    return ["".join("↑" if s > 0 else "↓" for s in row) for row in configurations(n)]


def _lam_matrix(lam: dict[tuple[int, int], Any], n: int, shape: tuple[int, ...]) -> np.ndarray:
    M = np.zeros(shape + (n, n))
    for (i, j), v in lam.items():
        M[..., i, j] = M[..., j, i] = np.broadcast_to(v, shape)
    return M


def level_energies(omega: Any, couplings: Any, n: int) -> np.ndarray:
    r"""Energies of the product basis states (not sorted), vectorised over parameter arrays.

    :math:`E(s) = \sum_i \tfrac{\omega_i}{2}s_i + \sum_{i<j}\tfrac{\lambda_{ij}}{2}s_is_j`.

    Parameters
    ----------
    omega : float, array_like, or list/tuple of one value per cell
        Cell frequencies :math:`\omega_i` (energy), ``> 0``: one number (or array) for all cells, or a
        list/tuple of ``n`` values (each may be an array).
    couplings : float, array_like or dict
        Pair couplings :math:`\lambda_{ij}` (energy, any sign; each pair counted once in :math:`H`): one
        value for all pairs, or ``{(i, j): value}`` with cell indices or names (missing pairs 0);
        see :func:`parse_couplings`.
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    ndarray, shape ``(..., 2**n)``
        Energies in basis order (see :func:`basis_labels`); ``...`` is the broadcast shape of the
        parameter arrays.

    Raises
    ------
    ValueError
        For ``omega <= 0``, non-finite values, a malformed ``couplings`` dict or a bad ``n``.
    """
    w = _parse_omega(omega, n, allow_arrays=True)
    lam = parse_couplings(couplings, n)
    shape = np.broadcast_shapes(*(np.shape(x) for x in w), *(np.shape(v) for v in lam.values()))
    return _energies(np.stack([np.broadcast_to(x, shape) for x in w], -1), _lam_matrix(lam, n, shape), n)


def _energies(w: np.ndarray, lamM: np.ndarray, n: int) -> np.ndarray:
    s = configurations(n).astype(float)                     # (d, n)
    ss = (s[:, :, None] * s[:, None, :]).reshape(len(s), n * n)   # (d, n*n): s_i s_j
    lead = lamM.shape[:-2]
    pair = lamM.reshape(lead + (n * n,)) @ ss.T             # each pair appears twice in (i, j)
    return 0.5 * (w @ s.T) + 0.25 * pair


def _flip_freqs(w: np.ndarray, lamM: np.ndarray, n: int) -> np.ndarray:
    s = configurations(n).astype(float)
    local = w[..., None, :] + np.swapaxes(lamM @ s.T, -1, -2)       # (..., d, n)
    return s * local


def flip_frequencies(omega: Any, couplings: Any, n: int) -> np.ndarray:
    r"""Energy lowered by flipping spin ``i`` out of product state ``b``: :math:`\Delta_i(s_b)`.

    :math:`\Delta_i(s) = s_i(\omega_i + \sum_{j\ne i}\lambda_{ij}s_j)` (module docstring).

    Parameters
    ----------
    omega : float, array_like, or list/tuple of one value per cell
        Cell frequencies :math:`\omega_i` (energy), ``> 0``: one number (or array) for all cells, or a
        list/tuple of ``n`` values (each may be an array).
    couplings : float, array_like or dict
        Pair couplings :math:`\lambda_{ij}` (energy, any sign; each pair counted once in :math:`H`): one
        value for all pairs, or ``{(i, j): value}`` with cell indices or names (missing pairs 0);
        see :func:`parse_couplings`.
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    ndarray, shape ``(..., 2**n, n)``
        Positive: the flip releases energy to bath ``i``; negative: it absorbs energy.

    Raises
    ------
    ValueError
        For ``omega <= 0``, non-finite values, a malformed ``couplings`` dict or a bad ``n``.
    """
    w = _parse_omega(omega, n, allow_arrays=True)
    lam = parse_couplings(couplings, n)
    shape = np.broadcast_shapes(*(np.shape(x) for x in w), *(np.shape(v) for v in lam.values()))
    return _flip_freqs(np.stack([np.broadcast_to(x, shape) for x in w], -1), _lam_matrix(lam, n, shape), n)


def zero_crossings(omega: float, pattern: Mapping[tuple[int, int], float], n: int) -> list[float]:
    r"""Coupling strengths :math:`\lambda>0` at which some Bohr frequency vanishes.

    With :math:`\lambda_{ij} = c_{ij}\lambda` (``pattern`` gives :math:`c_{ij}`) and equal
    :math:`\omega`, flipping spin :math:`i` has frequency :math:`\pm(\omega + \lambda\sum_j c_{ij}s_j)`,
    which crosses zero at :math:`\lambda = -\omega/\sum_j c_{ij}s_j`.

    Parameters
    ----------
    omega : float
        Common cell frequency (energy), ``> 0``.
    pattern : mapping
        ``{(i, j): c_ij}``: the relative coupling of each pair (missing pairs 0), e.g. 1 for every
        pair of the triangle.
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    list of float
        The distinct crossing strengths :math:`\lambda > 0` (energy), ascending (rounded to 12 decimals).

    Raises
    ------
    ValueError
        For ``omega <= 0`` or a malformed ``pattern``.
    """
    omega = V.real_number(omega, "omega", lo=0.0, lo_open=True)
    c = _lam_matrix(parse_couplings(dict(pattern), n), n, ())
    s = configurations(n).astype(float)
    slope = s @ c                                             # (d, n): sum_j c_ij s_j
    vals = sorted({round(-omega / x, 12) for x in slope.ravel() if x < -1e-12})
    return [float(v) for v in vals]


def hamiltonian(omega: Any = 1.0, couplings: Any = 0.1, n: int = 3) -> np.ndarray:
    r"""The (diagonal) Hamiltonian as a dense ``2**n × 2**n`` matrix in the product basis.

    Parameters
    ----------
    omega : float or sequence of float
        Cell frequencies (energy), ``> 0``: one number for all cells or one per cell.
    couplings : float or dict
        Pair couplings :math:`\lambda_{ij}` (energy): one number for all pairs or
        ``{(i, j): value}`` (missing pairs 0).
    n : int
        Number of cells, 2 or 3.

    Returns
    -------
    ndarray, shape (2**n, 2**n), complex
        :math:`H = \sum_i \tfrac{\omega_i}{2}\sigma^z_i + \sum_{i<j}\tfrac{\lambda_{ij}}{2}\sigma^z_i\sigma^z_j`,
        diagonal, basis order of :func:`basis_labels`.

    Raises
    ------
    ValueError
        For a bad ``n``, ``omega <= 0``, non-finite values, or arrays (use :func:`level_energies`).
    """
    if n not in (2, 3):
        raise ValueError(f"n must be 2 or 3; got {n}")
    w = _parse_omega(omega, n, allow_arrays=False)
    for i, x in enumerate(w):
        if np.ndim(x):
            raise ValueError(f"omega[{i}] must be a single number here; got shape {np.shape(x)}")
    lam = parse_couplings(couplings, n)
    for p, v in lam.items():
        if np.ndim(v):
            raise ValueError(f"coupling {p} must be a single number here; got shape {np.shape(v)}")
    return np.diag(level_energies(tuple(float(x) for x in w), {p: float(v) for p, v in lam.items()}, n)
                   ).astype(complex)


# --------------------------------------------------------------------------- rates
def _rates(delta: np.ndarray, T: np.ndarray, kappa: float, tol: np.ndarray) -> np.ndarray:
    """Rate of a flip lowering the energy by ``delta`` (vectorised; Ohmic boson bath)."""
    a = np.abs(delta)
    Tb = np.broadcast_to(T, delta.shape)
    zero = a <= tol
    hot = (Tb > 0) & ~zero
    x = np.where(hot, a / np.where(hot, Tb, 1.0), 1.0)
    n = np.where(hot, 1.0 / np.expm1(np.minimum(x, 700.0)), 0.0)
    rate = kappa * a * np.where(delta > 0, 1.0 + n, n)
    return np.where(zero, kappa * Tb, rate)


def _zero_tol(E: np.ndarray) -> np.ndarray:
    """Bohr frequencies below this count as zero (the grouping tolerance of :mod:`qbcore.master`)."""
    return 1e-9 * np.maximum(1.0, E.max(-1) - E.min(-1))


def _rate_matrix(T: np.ndarray, w: np.ndarray, lamM: np.ndarray, kappa: float, n: int) -> np.ndarray:
    """``W[..., b', b]``: rate b → b' (product basis)."""
    d = 2 ** n
    E = _energies(w, lamM, n)
    delta = _flip_freqs(w, lamM, n)                            # (..., d, n)
    r = _rates(delta, T[..., None, :], kappa, _zero_tol(E)[..., None, None])
    W = np.zeros(delta.shape[:-2] + (d, d))
    b = np.arange(d)
    for i in range(n):
        target = b ^ (1 << (n - 1 - i))
        W[..., target, b] = r[..., :, i]
    return W


def rate_matrix(temperatures: Sequence[Any], omega: Any = 1.0, couplings: Any = 0.1,
                kappa: float = 1.0) -> np.ndarray:
    r"""Pauli rate matrix ``W[..., b', b]`` (rate of ``b → b'``) in the product basis, vectorised.

    A flip of spin :math:`i` lowering the energy by :math:`\Delta` has rate :math:`\kappa\Delta[1+n_i(\Delta)]`,
    the reverse :math:`\kappa|\Delta|n_i(|\Delta|)`, and :math:`\kappa T_i` at :math:`\Delta = 0` (module docstring).

    Parameters
    ----------
    temperatures : sequence of 2 or 3 array_like
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``; the length fixes the number of cells.
    omega : float, array_like, or list/tuple of one value per cell
        Cell frequencies :math:`\omega_i` (energy), ``> 0``: one number (or array) for all cells, or a
        list/tuple of ``n`` values (each may be an array).
    couplings : float, array_like or dict
        Pair couplings :math:`\lambda_{ij}` (energy, any sign; each pair counted once in :math:`H`): one
        value for all pairs, or ``{(i, j): value}`` with cell indices or names (missing pairs 0);
        see :func:`parse_couplings`.
    kappa : float
        Ohmic coupling (dimensionless, :math:`J(\omega) = \kappa\omega`), ``> 0``.

    Returns
    -------
    ndarray, shape (..., 2**n, 2**n)
        Rates (energy units) over the broadcast shape of the parameters; zero diagonal.

    Raises
    ------
    ValueError
        A parameter out of range (naming it) or a malformed ``couplings`` dict.
    """
    n = _n_cells(temperatures)
    T, w, lamM, _ = _broadcast(temperatures, omega, couplings, n)
    return _rate_matrix(T, w, lamM, _parse_kappa(kappa), n)


def _broadcast(temperatures, omega, couplings, n):
    Ts = _parse_temperatures(temperatures, n)
    w = _parse_omega(omega, n, allow_arrays=True)
    lam = parse_couplings(couplings, n)
    shape = np.broadcast_shapes(*(t.shape for t in Ts), *(np.shape(x) for x in w),
                                *(np.shape(v) for v in lam.values()))
    T = np.stack([np.broadcast_to(t, shape) for t in Ts], -1).astype(float)
    W = np.stack([np.broadcast_to(x, shape) for x in w], -1).astype(float)
    return T, W, _lam_matrix(lam, n, shape), shape


# --------------------------------------------------------------------------- single point
def bath_couplings(temperatures: Sequence[Any], kappa: float = 1.0) -> list[master.Coupling]:
    r"""System–bath couplings :math:`\sigma^x_i` ↔ Ohmic boson bath at :math:`T_i` (for :mod:`qbcore.master`).

    Parameters
    ----------
    temperatures : sequence of 2 or 3 float
        :math:`T_L, (T_M,) T_R` (energy), single numbers ``>= 0``.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0``.

    Returns
    -------
    list of qbcore.master.Coupling
        ``Coupling(sigma_x_i, Bath("boson", T_i, J=ohmic(kappa)), name)`` with names ``"L", ("M",) "R"``.

    Raises
    ------
    ValueError
        A temperature that is negative, not finite or an array, or ``kappa <= 0``.
    """
    Ts = _scalar_temperatures(temperatures)
    n = len(Ts)
    kappa = _parse_kappa(kappa)
    sx = master.spin_operators(n)["sx"]
    return [master.Coupling(sx[i], Bath("boson", Ts[i], J=ohmic(kappa)), CELL_NAMES[n][i]) for i in range(n)]


def steady_state(temperatures: Sequence[float] = (1.0, 1.0, 0.0), omega: Any = 1.0, couplings: Any = 0.1,
                 kappa: float = 1.0, *, initial: Any = None) -> master.SteadyState:
    r"""Steady state of the global Lindblad equation (full Liouvillian, kernel checked).

    Parameters
    ----------
    temperatures : (T_L, T_R) or (T_L, T_M, T_R)
        Bath temperatures, each ``>= 0``; the length fixes the number of cells.
    omega : float or sequence
        Cell frequencies (one number for all, or one per cell), ``> 0``.
    couplings : float or dict
        :math:`\lambda_{ij}`: one number for all pairs, or ``{(i, j): value}`` (indices or
        names ``"L", "M", "R"``); missing pairs are 0.
    kappa : float
        Ohmic coupling :math:`J(\omega)=\kappa\omega`, ``> 0``. The steady state does not
        depend on it (it scales the whole dissipator).
    initial : array_like, optional
        Initial state, needed only if the steady state is not unique (e.g. every bath at
        ``T = 0`` with a degenerate ground level).

    Returns
    -------
    qbcore.master.SteadyState
        ``rho, H, energy, ergotropy, populations`` (energy basis, ascending) and
        diagnostics (``kernel_dim``, ``min_eigenvalue``). ``extra`` holds ``labels``
        (product-basis kets), ``product_populations`` and ``level_energies`` in basis order.

    Raises
    ------
    ValueError
        Bad parameters; :class:`qbcore.master.NonUniqueSteadyStateError` if the kernel is
        degenerate and ``initial`` is None.
    """
    Ts = _scalar_temperatures(temperatures)
    n = len(Ts)
    H = hamiltonian(omega, couplings, n)
    cps = bath_couplings(Ts, kappa)
    # The paper's global secular equation; its validity is discussed in the chapter.
    L = master.global_lindblad(H, cps, secular_check=False)
    try:
        ss = master.steady_state(L, H, initial=initial)
    except master.NonUniqueSteadyStateError as exc:
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the steady state is not unique (kernel dimension {m.group(1) if m else '> 1'}); in this model "
            "that happens when every bath is at T = 0 and the ground level is degenerate, or at an exact level "
            "crossing where a cold bath has no zero-frequency channel or a hot one conserves a coherence "
            f"(temperatures={tuple(Ts)}). Pass initial=rho0 (a density matrix of shape ({2 ** n}, {2 ** n})) "
            "for the long-time limit from rho0") from None
    ss.extra.update(labels=basis_labels(n), product_populations=np.real(np.diag(ss.rho)).copy(),
                    level_energies=np.real(np.diag(H)).copy(), temperatures=tuple(Ts))
    return ss


# --------------------------------------------------------------------------- sweeps
@dataclass
class Sweep:
    """Result of :func:`sweep` (arrays over the broadcast parameter shape ``S``).

    Attributes
    ----------
    energy, ergotropy, stored_energy : ndarray, shape S
        :math:`\\mathrm{Tr}\\rho H`, ergotropy, energy above the ground level.
    populations : ndarray, shape S + (2**n,)
        Product-basis populations (basis order, see :func:`basis_labels`); the state is
        ``diag(populations)``.
    level_energies : ndarray, shape S + (2**n,)
        Product-basis energies.
    populations_unique : ndarray of bool, shape S
        Whether the rate equation has a single stationary distribution (one closed class of
        states). Where not (e.g. every bath at ``T = 0`` and a degenerate ground level),
        ``populations`` is the long-time limit from the maximally mixed state.
    at_crossing : ndarray of bool, shape S
        Some spin flip has zero Bohr frequency (two levels cross). There, and in the all-cold
        cases with a degenerate ground level, the full Liouvillian can keep a stationary
        *coherence* between degenerate levels (its kernel is larger than the rate equation's);
        ``populations`` is then the state reached from any initial state without coherences.
    rates : ndarray, shape S + (2**n, 2**n)
        Rate matrix ``W[b', b]`` (rate of ``b → b'``).
    """

    energy: np.ndarray
    ergotropy: np.ndarray
    stored_energy: np.ndarray
    populations: np.ndarray
    level_energies: np.ndarray
    populations_unique: np.ndarray
    at_crossing: np.ndarray
    rates: np.ndarray = field(repr=False)


def _generator(W: np.ndarray) -> np.ndarray:
    d = W.shape[-1]
    return W - np.eye(d) * W.sum(axis=-2)[..., None, :]


def _single_closed_class(W: np.ndarray) -> np.ndarray:
    """Whether each rate matrix has exactly one closed communicating class.

    That is the condition for a one-dimensional kernel of the rate generator (a unique
    stationary distribution). Rates below ``1e-10 ×`` the largest rate of the same matrix
    count as absent, the threshold :func:`qbcore.master.kernel` applies to singular values:
    classes connected only by such rates relax on no practical time scale.
    """
    d = W.shape[-1]
    thr = _RTOL_KERNEL * W.max(axis=(-2, -1), keepdims=True)
    R = ((W > thr) | np.eye(d, dtype=bool)).astype(np.float32)      # R[j, i]: i -> j in one step
    for _ in range(int(np.ceil(np.log2(d))) + 1):                    # paths of length >= d - 1
        R = (R @ R > 0).astype(np.float32)
    reach = R > 0
    escapes = reach & ~np.swapaxes(reach, -1, -2)                    # i -> j but not j -> i
    recurrent = ~escapes.any(axis=-2)                                # state i: no escape
    both = recurrent[..., :, None] & recurrent[..., None, :]
    return ~np.any(both & ~reach, axis=(-2, -1))


def _stationary(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stationary populations of stacked rate matrices and a uniqueness mask."""
    d = W.shape[-1]
    flat = W.reshape(-1, d, d)
    unique = _single_closed_class(flat)
    M = _generator(flat)
    p = np.empty((flat.shape[0], d))
    if np.any(unique):
        A = M[unique]
        A[:, 0, :] = 1.0
        b = np.zeros((A.shape[0], d, 1))
        b[:, 0, 0] = 1.0
        p[unique] = np.linalg.solve(A, b)[..., 0]
    for k in np.flatnonzero(~unique):
        p[k] = _limit_from_mixed(M[k])
    p = np.clip(p, 0.0, None)
    p /= p.sum(-1, keepdims=True)
    return p.reshape(W.shape[:-1]), unique.reshape(W.shape[:-2])


def _limit_from_mixed(M: np.ndarray) -> np.ndarray:
    """``lim exp(M t) p0`` for the uniform ``p0`` (kernel projection; degenerate kernels)."""
    d = M.shape[0]
    R, _ = master.kernel(M.astype(complex), rtol=_RTOL_KERNEL)
    Lf, _ = master.kernel(M.T.astype(complex), rtol=_RTOL_KERNEL)
    P = R @ np.linalg.solve(Lf.conj().T @ R, Lf.conj().T)
    return np.real(P @ np.full(d, 1.0 / d))


def _ergotropy_diag(p: np.ndarray, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energy and ergotropy of states diagonal in the (product) eigenbasis."""
    energy = np.sum(p * E, -1)
    passive = np.sum(np.sort(p, -1)[..., ::-1] * np.sort(E, -1), -1)
    return energy, roundoff_zero(energy - passive, np.max(np.abs(E), -1))


def sweep(temperatures: Sequence[Any], omega: Any = 1.0, couplings: Any = 0.1, kappa: float = 1.0) -> Sweep:
    r"""Vectorised steady states over broadcast parameter arrays (Pauli rate equation).

    Exact for this model (see the module docstring): populations in the product basis close
    on themselves and the steady state is diagonal there. No QuTiP objects are built.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 array_like
        :math:`T_L, (T_M,) T_R` (energy, :math:`k_B = 1`), ``>= 0``, broadcast together with the other
        parameters; the length fixes the number of cells.
    omega : float, array_like, or list/tuple of one array_like per cell
        Cell frequencies (energy), ``> 0``. A list/tuple of length ``n`` is read as one value per
        cell; anything else is the common frequency (an array sweeps it).
    couplings : array_like or dict of array_like
        Pair couplings :math:`\lambda_{ij}` (energy, finite), as in :func:`steady_state`; values may be arrays.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0`` (does not affect the steady state).

    Returns
    -------
    Sweep
        Arrays over the broadcast shape of the parameters.

    Raises
    ------
    ValueError
        A parameter out of range (naming it), arrays that do not broadcast, or a malformed
        ``couplings`` dict.
    """
    n = _n_cells(temperatures)
    T, w, lamM, shape = _broadcast(temperatures, omega, couplings, n)
    W = _rate_matrix(T, w, lamM, _parse_kappa(kappa), n)
    E = _energies(w, lamM, n)
    p, unique = _stationary(W)
    energy, erg = _ergotropy_diag(p, E)
    crossing = np.any(np.abs(_flip_freqs(w, lamM, n)) <= _zero_tol(E)[..., None, None], axis=(-2, -1))
    return Sweep(energy=energy, ergotropy=erg, stored_energy=energy - E.min(-1), populations=p,
                 level_energies=E, populations_unique=unique, at_crossing=crossing, rates=W)


def transitions(temperatures: Sequence[float], omega: Any = 1.0, couplings: Any = 0.1,
                kappa: float = 1.0) -> list[dict]:
    r"""Every bath-driven transition at one parameter point, with its steady-state net flux.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 float
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``.
    omega : float or sequence of float
        Cell frequencies (energy), ``> 0`` (single numbers).
    couplings : float or dict
        Pair couplings :math:`\lambda_{ij}` (energy, single numbers), as in :func:`steady_state`.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0``; rates and fluxes are proportional to it.

    Returns
    -------
    list of dict
        One per unordered pair of states connected by a flip: keys ``upper, lower`` (basis
        indices, ``upper`` has the higher energy), ``cell`` (index), ``frequency``
        (:math:`\ge 0`), ``down_rate, up_rate`` and ``flux`` (net probability current
        upper → lower in the steady state; negative = pumped upward). Rates and fluxes in energy
        units (:math:`\hbar = 1`).

    Raises
    ------
    ValueError
        A parameter out of range or given as an array.
    """
    Ts = _scalar_temperatures(temperatures)
    n = len(Ts)
    hamiltonian(omega, couplings, n)  # validates: single numbers only
    sw = sweep(Ts, omega, couplings, kappa)
    W, p, E = sw.rates, sw.populations, sw.level_energies
    out = []
    for b in range(2 ** n):
        for i in range(n):
            c = b ^ (1 << (n - 1 - i))
            if c < b:
                continue
            hi, lo = (b, c) if E[b] >= E[c] else (c, b)
            out.append(dict(upper=hi, lower=lo, cell=i, frequency=float(E[hi] - E[lo]),
                            down_rate=float(W[lo, hi]), up_rate=float(W[hi, lo]),
                            flux=float(W[lo, hi] * p[hi] - W[hi, lo] * p[lo])))
    return out


# --------------------------------------------------------------------------- two cells, closed form
def two_cell_closed_form(T_L: Any, T_R: Any, omega: float = 1.0, lam: Any = 0.1) -> np.ndarray:
    r"""Exact stationary populations of the two-cell battery (equal :math:`\omega`, :math:`|\lambda|<\omega`).

    The four product states form one cycle
    :math:`\uparrow\uparrow \overset{R}{-} \uparrow\downarrow \overset{L}{-} \downarrow\downarrow
    \overset{R}{-} \downarrow\uparrow \overset{L}{-} \uparrow\uparrow`, with the flips at
    :math:`\nu=\omega+\lambda` (touching :math:`\uparrow\uparrow`) and :math:`\mu=\omega-\lambda`
    (touching :math:`\downarrow\downarrow`). Kirchhoff's spanning-tree formula gives the weights
    below, with :math:`x=n_R(\nu)`, :math:`y=n_R(\mu)`, :math:`u=n_L(\nu)`, :math:`v=n_L(\mu)`
    (derived independently of :func:`sweep`; used to test it).

    Parameters
    ----------
    T_L, T_R : array_like
        Temperatures of the left and right baths (energy), ``>= 0`` (broadcast with ``lam``).
    omega : float
        Common cell frequency (energy), ``> 0``.
    lam : array_like
        Coupling :math:`\lambda` (energy), :math:`|\lambda| < \omega` (so that :math:`\nu, \mu > 0`).

    Returns
    -------
    ndarray, shape (..., 4)
        Populations of ``↑↑, ↑↓, ↓↑, ↓↓``, summing to 1.

    Raises
    ------
    ValueError
        For ``omega <= 0``, :math:`|\lambda| \ge \omega`, a negative temperature or non-finite values.
    """
    omega = V.real_number(omega, "omega", lo=0.0, lo_open=True)
    lam = V.real_array(lam, "lam")
    if np.any(np.abs(lam) >= omega):
        raise ValueError(f"lam must satisfy |lam| < omega = {omega} for the closed form; got {lam}")
    TL, TR = _parse_temperatures((T_L, T_R), 2)
    nu, mu = omega + lam, omega - lam

    def bose(w, T):
        T = np.asarray(T, float)
        safe = np.where(T > 0, T, 1.0)
        return np.where(T > 0, 1.0 / np.expm1(np.minimum(w / safe, 700.0)), 0.0)

    x, y, u, v = bose(nu, TR), bose(mu, TR), bose(nu, TL), bose(mu, TL)
    pa = mu * (u * y * (v + 1) + v * x * (y + 1)) + nu * u * x * (v + y)
    pb = mu * v * (y + 1) * (u + x + 2) + nu * u * (x + 1) * (v + y)
    pc = mu * y * (v + 1) * (u + x + 2) + nu * x * (u + 1) * (v + y)
    pd = mu * (v + 1) * (y + 1) * (u + x + 2) + nu * (u * (v + 1) * (x + 1) + x * (u + 1) * (y + 1))
    p = np.stack(np.broadcast_arrays(pa, pb, pc, pd), -1)
    return p / p.sum(-1, keepdims=True)


def uncoupled_ergotropy(temperatures: Sequence[Any], omega: float = 1.0) -> np.ndarray:
    r"""Closed-form ergotropy at :math:`\lambda = 0` (independent cells, equal :math:`\omega`).

    Each cell is then a qubit in its own Gibbs state, excited with probability
    :math:`q_i = 1/(e^{\omega/T_i}+1)`. Two cells are always passive. For three, with the cells
    sorted as coldest :math:`c` and the others :math:`h, h'`, the only possible inversion is the
    doubly excited :math:`|h\,h'\rangle` level above the singly excited :math:`|c\rangle` level, so

    .. math::
        \mathcal W = \omega\,\big[q_h q_{h'}(1-q_c) - q_c(1-q_h)(1-q_{h'})\big]_+ ,

    positive iff :math:`1/T_c > 1/T_h + 1/T_{h'}`.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 array_like
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``, broadcast together.
    omega : float
        Common cell frequency (energy), ``> 0``.

    Returns
    -------
    ndarray
        :math:`\mathcal W` (energy units) over the broadcast shape of the temperatures; zeros for two cells.

    Raises
    ------
    ValueError
        For a wrong number of temperatures, a negative or non-finite one, or ``omega <= 0``.
    """
    n = _n_cells(temperatures)
    omega = V.real_number(omega, "omega", lo=0.0, lo_open=True)
    Ts = np.broadcast_arrays(*_parse_temperatures(temperatures, n))
    if n == 2:
        return np.zeros(Ts[0].shape)
    T = np.sort(np.stack(Ts, -1), -1)
    safe = np.where(T > 0, T, 1.0)
    q = np.where(T > 0, 1.0 / (np.exp(np.minimum(omega / safe, 700.0)) + 1.0), 0.0)
    qc, qh, qh2 = q[..., 0], q[..., 1], q[..., 2]
    return omega * np.maximum(qh * qh2 * (1 - qc) - qc * (1 - qh) * (1 - qh2), 0.0)
