"""Operators and the coupling/jump records: spin operators, ordered eigendecomposition, errors."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate as V
from ..baths import Bath


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
