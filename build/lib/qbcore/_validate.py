"""Input validation shared by every qbcore module.

Every public function funnels its inputs through these helpers so that bad input
raises a :class:`ValueError` that names the offending parameter and the valid range,
instead of producing a silent NaN or a hang.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Absolute tolerance used for Hermiticity and normalisation checks.
ATOL = 1e-9


def to_array(op: Any, name: str) -> np.ndarray:
    """Return ``op`` (numpy array, nested list or QuTiP ``Qobj``) as a complex square matrix.

    Parameters
    ----------
    op : array_like or qutip.Qobj
        The operator.
    name : str
        Parameter name used in error messages.

    Raises
    ------
    ValueError
        If ``op`` is not a finite, non-empty square matrix.
    """
    if hasattr(op, "full") and callable(op.full):  # QuTiP Qobj (duck-typed: no import needed)
        op = op.full()
    try:
        arr = np.asarray(op, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a square matrix of numbers; got {type(op).__name__}") from exc
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return arr


def hermitian(op: Any, name: str, atol: float = ATOL) -> np.ndarray:
    """Return ``op`` as a Hermitian matrix (exactly symmetrised) or raise ``ValueError``."""
    arr = to_array(op, name)
    scale = max(1.0, float(np.max(np.abs(arr))))
    dev = float(np.max(np.abs(arr - arr.conj().T)))
    if dev > atol * scale:
        raise ValueError(f"{name} must be Hermitian; max |{name} - {name}^dagger| = {dev:.3g}")
    return 0.5 * (arr + arr.conj().T)


def density_matrix(rho: Any, name: str = "rho", atol: float = 1e-8) -> np.ndarray:
    """Return ``rho`` as a Hermitian, unit-trace, positive semidefinite matrix or raise ``ValueError``."""
    arr = hermitian(rho, name, atol=atol)
    tr = float(np.trace(arr).real)
    if abs(tr - 1.0) > atol:
        raise ValueError(f"{name} must have unit trace; got Tr {name} = {tr:.12g}")
    mineig = float(np.linalg.eigvalsh(arr)[0])
    if mineig < -atol:
        raise ValueError(f"{name} must be positive semidefinite; smallest eigenvalue {mineig:.3g}")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless two matrices have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}")


def real_number(x: Any, name: str, *, lo: float = -math.inf, hi: float = math.inf,
                lo_open: bool = False, hi_open: bool = False) -> float:
    """Return ``x`` as a finite float inside the stated range or raise ``ValueError``."""
    try:
        val = float(x)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real number; got {x!r}") from exc
    if not math.isfinite(val):
        raise ValueError(f"{name} must be finite; got {val}")
    bad_lo = val <= lo if lo_open else val < lo
    bad_hi = val >= hi if hi_open else val > hi
    if bad_lo or bad_hi:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise ValueError(f"{name} must lie in {left}{lo}, {hi}{right}; got {val}")
    return val


def temperature(T: Any, name: str = "T") -> float:
    """Return a temperature ``T >= 0`` (``T = 0`` allowed) or raise ``ValueError``."""
    return real_number(T, name, lo=0.0)


def real_array(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a float array with finite entries or raise ``ValueError``."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be real numbers; got {type(x).__name__}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries")
    return arr


def choice(value: Any, name: str, options: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``options`` or raise ``ValueError``."""
    if value not in options:
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value
