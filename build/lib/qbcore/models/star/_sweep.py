"""Battery quantities on a broadcast parameter grid: the batched sweep path."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ... import _validate as V
from ._model import DISSIPATIONS, N_MAX, TOPOLOGIES, _bits, _int_N, _real, _real_array
from ._results import _w_from_p1
from ._sector import _battery_vector, _sector, _trace_vector
from ._solve import steady_state
from ._symmetric import _PIECE_NAMES, _block_batch, _Symmetric


@dataclass
class Sweep:
    r"""Battery quantities on a broadcast parameter grid (shape ``shape``).

    Parameters
    ----------
    p1, W, ancilla, grid
        The attributes below; built by :func:`sweep`, not by hand.

    Attributes
    ----------
    p1 : ndarray
        Battery excited population, in ``[0, 1]``.
    W : ndarray
        Normalised battery ergotropy :math:`\max(0, 2p_1 - 1)` in ``[0, 1]``, exactly 0 where
        :math:`p_1 \le 1/2`.
    ancilla : ndarray
        Mean ancilla excited population (NaN-free; 0 for ``N = 1``).
    grid : dict
        The broadcast parameter arrays ``mu, delta_mu, T, J, gamma, omega`` (energy units).
    shape : tuple
        Shape of the grid (property).
    """

    p1: np.ndarray
    W: np.ndarray
    ancilla: np.ndarray
    grid: dict

    @property
    def shape(self) -> tuple:
        """Shape of the grid."""
        return self.p1.shape


_SWEEP_KEYS = ("mu", "delta_mu", "T", "J", "gamma", "omega")
_SWEEP_DEFAULTS = dict(mu=1.0, delta_mu=0.0, T=1.0, J=1.0, gamma=1.0, omega=1.0)


def _sweep_grid(kw: dict) -> dict[str, np.ndarray]:
    """Validate (ranges of :func:`params`) and broadcast the grid parameters; defaults for missing keys."""
    unknown = set(kw) - set(_SWEEP_KEYS)
    if unknown:
        raise ValueError(f"unknown sweep parameter(s) {sorted(unknown)}; expected {_SWEEP_KEYS}")
    vals = {k: _real_array(kw.get(k, _SWEEP_DEFAULTS[k]), k) for k in _SWEEP_KEYS}
    return dict(zip(_SWEEP_KEYS, (np.array(a, dtype=float) for a in np.broadcast_arrays(*vals.values()))))


def _fermi_vec(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Fermi function, vectorised over T too (T = 0: a step with 1/2 at w = mu)."""
    from scipy.special import expit

    hot = T > 0
    cold = np.where(w > mu, np.inf, np.where(w < mu, -np.inf, 0.0))
    x = np.where(hot, (w - mu) / np.where(hot, T, 1.0), cold)
    return expit(-x)


def _rates_grid(g: dict) -> np.ndarray:
    """Columns (J, e1, a1, eA, aA) for every grid point (flattened)."""
    T = g["T"].ravel()
    w, mu, dmu = g["omega"].ravel(), g["mu"].ravel(), g["delta_mu"].ravel()
    n1, nA = _fermi_vec(w, mu, T), _fermi_vec(w, mu + dmu, T)
    gam = g["gamma"].ravel()
    return np.stack([g["J"].ravel(), gam * (1 - n1), gam * n1, gam * (1 - nA), gam * nA], axis=1)


def _dense_batch(pieces: list[np.ndarray], coefs: np.ndarray, trace: np.ndarray, row: int) -> np.ndarray:
    """Solve stacked generators sum_k coefs[:, k] pieces[k] with row ``row`` replaced by the trace."""
    P = np.stack([np.asarray(p.toarray() if sp.issparse(p) else p) for p in pieces])
    dim = P.shape[-1]
    L = np.tensordot(coefs, P, axes=(1, 0))
    L[:, row, :] = trace
    b = np.zeros((coefs.shape[0], dim, 1), dtype=L.dtype)
    b[:, row, 0] = 1.0
    return np.linalg.solve(L, b)[..., 0]


def _from_points(g: dict, shape: tuple, N: int, omega0: float, topology: str, dissipation: str,
                 initial: Any) -> Sweep:
    """Point by point through :func:`steady_state` (collective dissipation; the chain beyond N = 4)."""
    keys = ("mu", "delta_mu", "T", "omega", "J", "gamma")
    out = [steady_state(N, m, d, t, omega0, w, j, ga, topology, dissipation, initial=initial)
           for m, d, t, w, j, ga in zip(*(g[k].ravel() for k in keys))]
    p1 = np.array([o.battery_population for o in out]).reshape(shape)
    anc = np.array([o.extra["ancilla_population"] for o in out]).reshape(shape)
    return Sweep(p1, _w_from_p1(p1), anc, g)


def _star_batch(N: int, C: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Symmetric unknowns at every point by block elimination; battery and ancilla functionals."""
    sym = _Symmetric.build(N)
    x = _block_batch(N, C)
    for i in np.flatnonzero(~np.all(np.isfinite(x), axis=1)):   # singular blocks (e.g. T = 0)
        x[i] = sym.solve(sym.generator(*C[i]))
    return np.real(x), sym.battery_vector(), sym.ancilla_vector()


def _chain_batch(N: int, C: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sector unknowns of the chain (``N <= 4``) by one batched dense solve; the two functionals."""
    s = _sector(N, "chain")
    x = np.real(_dense_batch([s.pieces[k] for k in _PIECE_NAMES], C.astype(complex), _trace_vector(s), 0))
    bits = _bits(N)
    fa = np.zeros(s.dim)
    if N > 1:
        for n, b in enumerate(s.blocks):
            fa[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = (1 - bits[b, 1:]).mean(axis=1)
    return x, _battery_vector(s), fa


def sweep(N: int = 3, *, mu: Any = 1.0, delta_mu: Any = 0.0, T: Any = 1.0, omega0: float = 10.0,
          omega: Any = 1.0, J: Any = 1.0, gamma: Any = 1.0, topology: str = "star", dissipation: str = "local",
          initial: Any = None) -> Sweep:
    r"""Battery population and normalised ergotropy on a parameter grid (numpy broadcasting).

    The generator is a fixed linear combination of unit pieces (built once per ``N`` and topology).
    The star is solved for all points at once by block elimination over the excitation number (tens of
    milliseconds for a 61-point curve at ``N = 30``); the chain by one batched dense solve for
    ``N <= 4`` and exactly, point by point, beyond; collective dissipation point by point.
    :math:`\omega_0` does not enter (see the package docstring). Units: :math:`\hbar = k_B = 1`,
    energies, rates and temperatures in the unit of ``omega0``.

    Parameters
    ----------
    N : int
        Number of qubits: ``[1, 400]`` for the star, ``[1, 10]`` for the chain, ``[1, 6]`` for
        collective dissipation.
    mu : float or array_like
        Chemical potential of the battery's reservoir, ``[-1e6, 1e6]``.
    delta_mu : float or array_like
        Excess chemical potential of the ancillas' reservoirs, ``[-1e6, 1e6]`` (0 for collective).
    T : float or array_like
        Temperature, ``[0, 1e6]``.
    omega0 : float
        Qubit frequency, ``[1e-6, 1e6]``; validated, but it does not change ``p1``, ``W`` or ``ancilla``.
    omega : float or array_like
        Frequency of the occupations, ``[-1e6, 1e6]``.
    J : float or array_like
        Flip-flop coupling, ``[-1e6, 1e6]`` (collective: see :func:`steady_state`).
    gamma : float or array_like
        Reservoir rate, ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph.
    dissipation : {"local", "collective"}
        Collective needs ``initial`` for ``N >= 2`` (see :func:`steady_state`) and ``delta_mu = 0``.
    initial : array_like or {"ground", "excited", "mixed"}, optional
        Initial state for collective dissipation.

    Returns
    -------
    Sweep
        ``p1``, ``W`` and ``ancilla`` with the broadcast shape of the grid parameters.

    Raises
    ------
    ValueError
        A grid value outside its range (named, with the range), shapes that do not broadcast, ``N``
        beyond the limit of the path, an unknown ``topology`` / ``dissipation``, or collective
        dissipation with ``delta_mu != 0``.
    """
    V.choice(topology, "topology", TOPOLOGIES)
    V.choice(dissipation, "dissipation", DISSIPATIONS)
    omega0 = _real(omega0, "omega0")
    g = _sweep_grid(dict(mu=mu, delta_mu=delta_mu, T=T, J=J, gamma=gamma, omega=omega))
    shape = g["mu"].shape
    if dissipation == "collective":
        if np.any(g["delta_mu"] != 0):
            raise ValueError("dissipation='collective' needs delta_mu = 0 everywhere")
        N = _int_N(N, N_MAX["collective"])
        return _from_points(g, shape, N, omega0, topology, "collective", initial)
    N = _int_N(N, N_MAX["symmetric" if topology == "star" else "sector"])
    if topology == "chain" and N > 4:
        return _from_points(g, shape, N, omega0, "chain", "local", None)
    C = _rates_grid(g)
    x, fb, fa = _star_batch(N, C) if topology == "star" else _chain_batch(N, C)
    p1 = (x @ fb).reshape(shape)
    return Sweep(p1, _w_from_p1(p1), (x @ fa).reshape(shape), g)
