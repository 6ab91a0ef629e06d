r"""Relaxation, charging and reservoir currents of the network.

**The generator.** Every term conserves the excitation number, so a network that starts diagonal in it
(the discharged network, all qubits in :math:`|g\rangle`) evolves in the :math:`q = 0` sector of the
exact solver; for the star with local dissipation also inside the permutation-symmetric subspace of
the ancillas (the symmetric solver's unknowns). The relaxation rate is the gap of that generator:
the symmetric one for the local star (dense spectrum up to ``N = 56``), the :math:`q = 0` sector
otherwise (``N <= 6``). Coherences between different excitation numbers relax in other sectors (at
the paper's parameters more slowly, e.g. the battery's :math:`\langle\sigma^-_1\rangle` at
:math:`\gamma/2` when the ancillas are decoupled), but nothing in this model ever creates them.

**The currents.** Reservoir :math:`k` of the local equation is
:math:`\gamma(1-n_k)\mathcal D[\sigma^-_k] + \gamma n_k\mathcal D[\sigma^+_k]`; with
:math:`\hat N = \sum_i\sigma^+_i\sigma^-_i` (the particle number exchanged with the fermionic reservoirs)

.. math::
    J_{N,k} = \gamma(n_k - p_k),\qquad
    J_{E,k} = \mathrm{Tr}[H_S\mathcal D_k\rho] = 2\omega_0 J_{N,k} - \gamma J\sum_{b\sim k}\mathrm{Re}\,\langle\sigma^+_k\sigma^-_b\rangle,

:math:`p_k` the excited population of qubit :math:`k` and :math:`b\sim k` its neighbours. In the steady
state the coherences :math:`\langle\sigma^+_k\sigma^-_b\rangle` are purely imaginary (the symmetric
solver's unknowns), so :math:`J_{E,k} = 2\omega_0 J_{N,k}`: every particle carries the qubit gap
:math:`2\omega_0`. **Chemical potentials.** The dissipator obeys detailed balance for the transition it
drives (energy :math:`2\omega_0`) at the chemical potential :math:`\mu_k^{\rm eff} = \mu_k + 2\omega_0 - \omega`,
because :math:`f(\omega;\mu_k,T) = f(2\omega_0;\mu_k^{\rm eff},T)`: with the paper's reading
:math:`\omega \ne 2\omega_0` (package docstring) it is :math:`\mu_k^{\rm eff}`, not :math:`\mu_k`, that the
second law sees, and the currents report it. With one temperature for all reservoirs the entropy
production :math:`\sigma = (1/T)\sum_k \mu_k J_{N,k}` is the same with either (particle number is
conserved); the individual heat currents are not.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import master
from ._model import Params, _int_N, _lowering, edges, jumps, params
from ._results import StarSteadyState, _w_from_p1, max_ergotropy
from ._sector import _battery_vector, _sector, _sector_generator, _to_sector
from ._symmetric import _Symmetric

#: Largest N whose symmetric generator (local star) has a dense spectrum within master.DENSE_SPECTRUM_MAX.
_SYMMETRIC_SPECTRUM_N = 56
#: Largest N of the q = 0 sector spectrum (chain, collective): C(12, 6) = 924 unknowns.
_SECTOR_SPECTRUM_N = 6


def _uses_symmetric(p: Params) -> bool:
    return p.topology == "star" and p.dissipation == "local"


def _generator(p: Params):
    """The generator of the charging dynamics (sparse) and the battery functional on its unknowns."""
    if _uses_symmetric(p):
        sym = _Symmetric.build(p.N)
        return sym.generator(p.J, *p.rates()), sym.battery_vector()[sym.order], sym
    s = _sector(p.N, p.topology)
    return _sector_generator(p), _battery_vector(s), s


def _relaxation_rate(p: Params) -> float:
    if _uses_symmetric(p):
        if p.N > _SYMMETRIC_SPECTRUM_N:
            raise ValueError(f"relaxation_rate of the local star is computed (densely) for N <= {_SYMMETRIC_SPECTRUM_N}; "
                             f"got N = {p.N}")
    elif p.N > _SECTOR_SPECTRUM_N:
        raise ValueError(f"relaxation_rate of the chain or of collective dissipation is computed (densely) for "
                         f"N <= {_SECTOR_SPECTRUM_N}; got N = {p.N}")
    G, _, _ = _generator(p)
    return master.relaxation_rate(G.toarray())


def _local_names(N: int) -> list[str]:
    return ["battery"] + [f"ancilla {i + 1}" for i in range(1, N)]


def _currents(ss: StarSteadyState) -> master.BathCurrents:
    """Currents from every reservoir into the network (module docstring above)."""
    p = ss.params
    if p.dissipation == "collective":
        d = 2 ** p.N
        N_op = np.diag((1 - ((np.arange(d)[:, None] >> (p.N - 1 - np.arange(p.N))[None, :]) & 1)).sum(axis=1)
                       ).astype(float)
        D = master.jump_dissipators(jumps(p), d)
        mu_eff = p.mu + 2.0 * p.omega0 - p.omega
        return master.bath_currents(ss.rho, ss.H, D, {"common reservoir": p.T},
                                    chemical_potentials={"common reservoir": mu_eff}, number=N_op)
    names = _local_names(p.N)
    n = [p.n_battery] + [p.n_ancilla] * (p.N - 1)
    mus = [p.mu] + [p.mu + p.delta_mu] * (p.N - 1)
    if ss.rho is not None:
        diag = np.real(np.diag(ss.rho))
        pop = [float(diag @ (_lowering(p.N, k).T @ _lowering(p.N, k)).diagonal()) for k in range(p.N)]
        coh = {}
        for a, b in edges(p.N, p.topology):
            op = (_lowering(p.N, a).T @ _lowering(p.N, b)).tocsr()       # sigma^+_a sigma^-_b
            coh[(a, b)] = coh[(b, a)] = float(np.real(op.multiply(ss.rho.T).sum()))
    else:                                                              # symmetric solver: star, Re coherences 0
        pA = float(ss.extra["ancilla_population"])
        pop = [ss.battery_population] + [pA] * (p.N - 1)
        coh = {}
    nbrs = {k: [b for a, b in edges(p.N, p.topology) if a == k] + [a for a, b in edges(p.N, p.topology) if b == k]
            for k in range(p.N)}
    JN, JE = {}, {}
    for k, name in enumerate(names):
        JN[name] = p.gamma * (n[k] - pop[k])
        JE[name] = 2.0 * p.omega0 * JN[name] - p.gamma * p.J * sum(coh.get((k, b), 0.0) for b in nbrs[k])
    shift = 2.0 * p.omega0 - p.omega
    mu_eff = {k: m + shift for k, m in zip(names, mus)}
    gross = p.gamma * (2.0 * p.omega0 + max(abs(m) for m in mu_eff.values()) + 2.0 * abs(p.J) * max(1, p.N - 1))
    return master.BathCurrents(JE, JN, {k: p.T for k in names}, mu_eff, gross)


def charging_curve(times: Any, N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0,
                   omega0: float = 10.0, omega: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                   topology: str = "star", dissipation: str = "local") -> np.ndarray:
    r"""Battery ergotropy :math:`\mathcal E(t)` from the discharged network (every qubit in :math:`|g\rangle`).

    The all-ground state is the ground state of the battery Hamiltonian :math:`\omega_0\sigma^z_1` and of
    the ancillas' (and of :math:`H_S` when the hopping stays below the gap, :math:`|J|\sqrt{N-1} < 2\omega_0`
    for the star). It evolves exactly (matrix exponential)
    under the generator of the charging dynamics (the excitation number is conserved: the permutation-symmetric
    generator for the local star, the :math:`q = 0` sector otherwise), and
    :math:`\mathcal E(t) = 2\omega_0\max(0, 2p_1(t) - 1)` as in :func:`battery_ergotropy` (unnormalised).
    For collective dissipation (``N >= 2``) the long-time limit is the steady state reached from the
    all-ground state (``steady_state(..., initial="ground")``).

    Parameters
    ----------
    times : float or array_like
        Times :math:`t \ge 0` (units of 1/omega0's energy unit, :math:`\hbar = 1`).
    N : int
        Number of qubits: ``[1, 400]`` for the local star, ``[1, 10]`` for the chain, ``[1, 6]`` for
        collective dissipation.
    mu : float
        Chemical potential of the battery's reservoir, ``[-1e6, 1e6]``.
    delta_mu : float
        Excess chemical potential of the ancillas' reservoirs, ``[-1e6, 1e6]`` (0 for collective).
    T : float
        Temperature, ``[0, 1e6]``.
    omega0 : float
        Qubit frequency, ``[1e-6, 1e6]``.
    omega : float
        Frequency of the occupations, ``[-1e6, 1e6]``.
    J : float
        Flip-flop coupling, ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate, ``[1e-6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph.
    dissipation : {"local", "collective"}
        One reservoir per qubit, or one common reservoir.

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal E(t)` in energy units (divide by :func:`max_ergotropy` for :math:`\mathcal W`).

    Raises
    ------
    ValueError
        A parameter outside its range, ``N`` beyond the path's limit, or negative times.
    """
    p = params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)
    if p.dissipation == "collective":
        _int_N(p.N, 6)
    elif p.topology == "chain":
        _int_N(p.N, 10)
    G, f, s = _generator(p)
    if _uses_symmetric(p):
        x0 = np.zeros(s.dim)
        first, _ = s.index[("pg", s.M / 2.0)]
        x0[first] = 1.0                                       # |g> battery, ancillas all down (j = M/2, m = -j)
        v0 = x0[s.order]
    else:
        rho0 = np.zeros((2 ** p.N, 2 ** p.N))
        rho0[-1, -1] = 1.0
        v0 = _to_sector(s, rho0)
    v = master.propagate(G, v0, times)
    p1 = np.clip(np.real(v @ f), 0.0, 1.0)
    return max_ergotropy(p.omega0) * _w_from_p1(p1)

