"""The public steady-state solver: method choice and the three exact routes."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ._model import METHODS, N_MAX, Params, _check_collective_ratio, _int_N, hamiltonian, jumps, params
from ._results import StarSteadyState, _battery_state, _from_full
from ._sector import (_block_ops, _collective_kernel, _from_sector, _gmres_sector, _sector, _sector_generator,
                      _solve_unique, _to_sector, _trace_vector)
from ._symmetric import _Symmetric, _symmetric_observables


def _initial_matrix(initial: Any, N: int) -> np.ndarray:
    """``initial`` (a density matrix or ``"ground" | "excited" | "mixed"``) as a 2^N x 2^N matrix."""
    d = 2 ** N
    if isinstance(initial, str):
        V.choice(initial, "initial", ("ground", "excited", "mixed"))
        if initial == "mixed":
            return np.eye(d, dtype=complex) / d
        r = np.zeros((d, d), dtype=complex)
        k = d - 1 if initial == "ground" else 0
        r[k, k] = 1.0
        return r
    r = V.density_matrix(initial, "initial")
    if r.shape != (d, d):
        raise ValueError(f"initial must be a {d}x{d} density matrix for N = {N}; got shape {r.shape}")
    return r


def steady_state(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, omega0: float = 10.0,
                 omega: float = 1.0, J: float = 1.0, gamma: float = 1.0, topology: str = "star",
                 dissipation: str = "local", *, initial: Any = None, method: str = "auto") -> StarSteadyState:
    r"""Steady state of the star/chain network (see the package docstring).

    Units: :math:`\hbar = k_B = 1`; energies, rates and temperatures in the unit of ``omega0``.

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 400]`` and at most the chosen method's limit
        :data:`N_MAX`: ``"symmetric"`` 400, ``"sector"`` 10 (6 for collective dissipation), ``"dense"`` 5.
    mu : float
        Chemical potential of the battery's reservoir, ``[-1e6, 1e6]``.
    delta_mu : float
        Excess chemical potential of the ancillas' reservoirs, ``[-1e6, 1e6]``; 0 for collective.
    T : float
        Temperature of every reservoir, ``[0, 1e6]``.
    omega0 : float
        Qubit frequency, ``[1e-6, 1e6]`` (energy scale only; the state does not depend on it).
    omega : float
        Frequency of the reservoir occupations, ``[-1e6, 1e6]``.
    J : float
        Flip-flop coupling, ``[-1e6, 1e6]``; for collective dissipation with ``N >= 2`` also
        ``J = 0`` or ``1e-3 <= |J|/gamma <= 1e3`` (:data:`COLLECTIVE_J_OVER_GAMMA`).
    gamma : float
        Reservoir rate, ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).
    dissipation : {"local", "collective"}
        One reservoir per qubit, or one common reservoir.
    initial : array_like, Qobj or {"ground", "excited", "mixed"}, optional
        Initial state (a ``2**N x 2**N`` density matrix). **Required for collective dissipation with**
        ``N >= 2``: the kernel is then degenerate (dark states; see :func:`collective_blocks`), and the
        result is the long-time limit from ``initial``. Ignored (not needed) when the steady state is
        unique.
    method : {"auto", "sector", "symmetric", "dense"}
        ``"auto"``: ``"symmetric"`` for the star with local dissipation and ``N > 8``, else ``"sector"``.
        ``"symmetric"`` needs the star with local dissipation.

    Returns
    -------
    StarSteadyState
        The steady state, the battery's reduced state and the network's energy and ergotropy.

    Raises
    ------
    qbcore.master.NonUniqueSteadyStateError
        Collective dissipation with a degenerate kernel and no ``initial``.
    ValueError
        A parameter outside its range (named, with the range; see :func:`params`), ``N`` beyond the
        chosen method's limit, an unknown ``method``, ``method="symmetric"`` with the chain or
        collective dissipation, collective dissipation at an unresolvable ``|J|/gamma``, or a bad
        ``initial``.
    """
    p = params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)
    V.choice(method, "method", METHODS)
    if p.dissipation == "collective":
        _check_collective_ratio(p.N, p.J, p.gamma)
    if method == "auto":
        method = "symmetric" if (p.topology == "star" and p.dissipation == "local" and p.N > 8) else "sector"
    if method == "symmetric":
        if p.topology != "star" or p.dissipation != "local":
            raise ValueError("method='symmetric' needs topology='star' and dissipation='local'")
        return _steady_symmetric(p)
    if method == "dense":
        return _steady_dense(p, initial)
    if p.dissipation == "collective":
        return _steady_collective(p, initial)
    return _steady_sector(p)


def _steady_dense(p: Params, initial: Any) -> StarSteadyState:
    """The full 4^N Liouvillian of :mod:`qbcore.master` (``N <= 5``)."""
    _int_N(p.N, N_MAX["dense"])
    H = hamiltonian(p.N, p.omega0, p.J, p.topology)
    L = master.liouvillian(H, jumps(p))
    ini = None if initial is None else _initial_matrix(initial, p.N)
    ss = master.steady_state(L, H, initial=ini)
    return _from_full(ss.rho, p, ss.kernel_dim, ss.kernel_dim == 1, "dense")


def _steady_collective(p: Params, initial: Any) -> StarSteadyState:
    """Dense kernel projection on the q = 0 sector (collective dissipation, ``N <= 6``)."""
    if p.N > N_MAX["collective"]:
        raise ValueError(f"collective dissipation is solved exactly for N <= {N_MAX['collective']}; got N = {p.N} "
                         "(for the star see collective_blocks)")
    s = _sector(p.N, p.topology)
    R, Lft, unique_battery = _collective_kernel(_sector_generator(p).toarray(), s)
    k = R.shape[1]
    if k == 1:
        v = R[:, 0]
    else:
        if initial is None:
            raise master.NonUniqueSteadyStateError(
                f"collective dissipation: the steady state is not unique (kernel dimension {k} on the "
                f"excitation-conserving sector; battery state {'the same' if unique_battery else 'different'} "
                "in every steady state); pass initial=rho0 or initial='ground'|'excited'|'mixed'")
        v0 = _to_sector(s, _initial_matrix(initial, p.N))
        v = R @ np.linalg.solve(Lft.conj().T @ R, Lft.conj().T @ v0)
    v = v / (_trace_vector(s) @ v)
    return _from_full(_from_sector(s, v), p, k, unique_battery or k == 1, "sector-collective")


def _steady_sector(p: Params) -> StarSteadyState:
    """Exact local solver on the q = 0 sector: sparse LU (``N <= 6``), matrix-free GMRES beyond."""
    if p.N > N_MAX["sector"]:
        raise ValueError(f"method='sector' supports N <= {N_MAX['sector']}; got N = {p.N} "
                         "(use the star with method='symmetric' for larger N)")
    if p.N <= 6:
        s = _sector(p.N, p.topology)
        v = _solve_unique(_sector_generator(p), _trace_vector(s))
        return _from_full(_from_sector(s, v), p, 1, True, "sector-lu")
    X, info = _gmres_sector(p)
    rho = np.zeros((2 ** p.N, 2 ** p.N), dtype=complex)
    for b, x in zip(_block_ops(p.N, p.topology)["blocks"], X):
        rho[np.ix_(b, b)] = x
    return _from_full(0.5 * (rho + rho.conj().T), p, 1, True, "sector-gmres", residual=info["residual"])


def _steady_symmetric(p: Params) -> StarSteadyState:
    """Permutation-symmetric solver (star, local dissipation, ``N <= 400``); no full state."""
    sym = _Symmetric.build(p.N)
    x = sym.solve(sym.generator(p.J, *p.rates()))
    obs = _symmetric_observables(sym, x, p)
    return StarSteadyState(p, _battery_state(obs["p1"]), None, None, obs["energy"], obs["ergotropy"], None, 1, True,
                           obs["min_eigenvalue"], "symmetric",
                           dict(ancilla_population=obs["ancilla_population"], ground_energy=obs["ground_energy"],
                                unknowns=sym.dim, solution=x))
