"""Parameters, spectrum, rates and bath couplings of the Ising battery."""
from __future__ import annotations

from itertools import combinations
from typing import Any, Mapping, Sequence

import numpy as np

from ... import _validate as V
from ... import master
from ...baths import Bath, ohmic


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
