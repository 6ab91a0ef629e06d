"""Generators: dissipators, the Lindblad generator, the global (secular) and Bloch–Redfield equations."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .. import _validate as V
from ._channels import _as_couplings, _tol, channel_rates, global_jumps
from ._operators import Jump, eigh


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
