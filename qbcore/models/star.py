r"""A qubit battery at the hub of a star (or the end of a chain) of qubits, charged by fermionic reservoirs.

Model of Kamin, Salimi & Arjmandi, Phys. Rev. A **109**, 022226 (2024). Units :math:`\hbar = k_B = 1`.

.. math::
    H_S = \omega_0\sum_{i=1}^N \sigma^z_i + J\sum_{(a,b)\in E}(\sigma^+_a\sigma^-_b + \sigma^-_a\sigma^+_b),

with edges :math:`E = \{(1,i)\}_{i=2..N}` (``topology="star"``, the text and Fig. 1 of the paper) or
:math:`E = \{(i,i+1)\}` (``topology="chain"``, eq. 1 as printed). They coincide for ``N <= 2``; the
``N = 3`` star is the chain 2–1–3, i.e. it differs from eq. 1 only by where the battery sits.

Dissipation (Lindblad, standard form
:math:`\mathcal D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L,\rho\}`):

* ``dissipation="local"`` (eqs. 7–8): qubit :math:`i` has its own reservoir,
  :math:`\gamma[1-n_i]\,\mathcal D[\sigma^-_i] + \gamma n_i\,\mathcal D[\sigma^+_i]` with
  :math:`n_1 = f(\omega;\mu,T)` for the battery and :math:`n_{i\ge2} = f(\omega;\mu+\Delta\mu,T)`;
* ``dissipation="collective"`` (eqs. 4–6, one common reservoir): :math:`\gamma[1-n]\,\mathcal D[S^-] +
  \gamma n\,\mathcal D[S^+]`, :math:`S^- = \sum_i\sigma^-_i`, :math:`n = f(\omega;\mu,T)`; requires
  ``delta_mu = 0``.

:math:`f(\omega;\mu,T) = 1/(e^{(\omega-\mu)/T}+1)`. **Reading of the occupations.** The paper evaluates
every occupation at one frequency :math:`\omega` ("ω = 1") distinct from :math:`\omega_0 = 10`; we take
this literally (parameter ``omega``, default 1). It is the only reading that reproduces the paper's
statements (ergotropy zero for :math:`\mu \le \omega`, nearly full charge at :math:`\mu_1 = 8`); the
physical alternative, occupations at the qubit gap, is ``omega = 2*omega0`` (the gap of
:math:`\omega_0\sigma^z`) or ``omega = omega0`` (if :math:`\omega_0\sigma^z/2` was meant). In this model
:math:`\omega_0` drops out of the steady state (see below) and only sets the energy scale.

Conservation law and the solvers
--------------------------------
Every term commutes with the superoperator :math:`[\hat N,\cdot\,]`, :math:`\hat N = \sum_i\sigma^+_i\sigma^-_i`:
the generator preserves the "coherence order" :math:`q = n_\mathrm{left} - n_\mathrm{right}` of
:math:`|n_\mathrm{left}\rangle\langle n_\mathrm{right}|`. A unique steady state therefore lies in the
:math:`q = 0` sector, block-diagonal in the excitation number, where the :math:`\omega_0` term acts as
zero. Consequences: the battery's reduced state is diagonal, its ergotropy is
:math:`\mathcal E = 2\omega_0\max(0, 2p_1 - 1)` with :math:`p_1` its excited population, the maximum is
:math:`\mathcal E_{\max} = 2\omega_0` (the fully excited battery) and
:math:`\mathcal W = \mathcal E/\mathcal E_{\max} = \max(0, 2p_1-1)`, independent of :math:`\omega_0`.

* ``method="sector"`` (exact, any topology, ``N <= 10``): the :math:`q = 0` sector
  (:math:`\binom{2N}{N}` unknowns; 184 756 at ``N = 10``); sparse LU for ``N <= 6``, beyond that a
  matrix-free GMRES preconditioned by the exact in-block (Sylvester) inverse. Collective dissipation
  (degenerate kernels): dense kernel projection on the sector, ``N <= 6``.
* ``method="symmetric"`` (star, local; ``N <= 400``): the :math:`N-1` ancillas are permutation
  invariant, so :math:`\rho = \bigoplus_j \tilde\rho_j\otimes\mathbb 1_{d_j}/d_j` over the ancillas'
  total spin :math:`j`; inside each block the :math:`q = 0` sector pairs :math:`|e,m\rangle` with
  :math:`|g,m+1\rangle`. The local ancilla dissipators couple :math:`j \to j, j\pm1` with the
  Dicke-basis coefficients of Chase & Geremia (PRA 78, 052101, 2008), also used by QuTiP's PIQS
  (Shammah et al., PRA 98, 063815, 2018), evaluated here in double precision (PIQS stores them in
  single precision). :math:`O(N^2)` real unknowns: 7 600 at ``N = 100``.
* ``method="dense"``: the full :math:`4^N` Liouvillian from :mod:`qbcore.master` (``N <= 5``), a check.

Also here: a batched sweep path (:func:`sweep`), the collective dark-state analysis by ancilla spin
(:func:`collective_blocks`), and closed forms — ``N = 2`` (:func:`two_qubit_population`), the triplet
population of the dark-state blocks (:func:`triplet_population`) and the :math:`N\to\infty` plateau
(:func:`large_n_saturation`).

Conventions: QuTiP's basis (index 0 = excited, qubit 1 = leftmost factor; the battery is qubit 1, index
0 in code). The battery Hamiltonian is :math:`H_{QB} = \omega_0\sigma^z_1`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.optimize import brentq

from .. import _validate as V
from .. import master
from ..baths import Bath, fermi, flat
from ..thermo import ergotropy as _ergotropy
from ..thermo import roundoff_zero

__all__ = [
    "Params", "params", "edges", "hamiltonian", "jumps", "liouvillian", "StarSteadyState",
    "steady_state", "battery_ergotropy", "max_ergotropy", "normalized_ergotropy", "sweep", "Sweep",
    "sector_dimension", "symmetric_dimension", "two_qubit_population", "two_qubit_threshold",
    "collective_blocks", "triplet_population", "charging_threshold", "gaussian_populations",
    "large_n_saturation", "excitation_numbers", "TOPOLOGIES", "DISSIPATIONS", "N_MAX",
]

TOPOLOGIES = ("star", "chain")
DISSIPATIONS = ("local", "collective")
METHODS = ("auto", "sector", "symmetric", "dense")
#: Largest N per method.
N_MAX = {"dense": 5, "sector": 10, "collective": 6, "symmetric": 400}
_FULL_STATE_MAX = 10   # the full 2^N density matrix is assembled up to this N


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Params:
    """Validated parameters (see :func:`params`)."""

    N: int
    mu: float
    delta_mu: float
    T: float
    omega0: float
    omega: float
    J: float
    gamma: float
    topology: str
    dissipation: str

    @property
    def n_battery(self) -> float:
        r"""Occupation :math:`n_1 = f(\omega;\mu,T)` of the battery's reservoir."""
        return float(fermi(self.omega, self.mu, self.T))

    @property
    def n_ancilla(self) -> float:
        r"""Occupation :math:`f(\omega;\mu+\Delta\mu,T)` of each ancilla's reservoir."""
        return float(fermi(self.omega, self.mu + self.delta_mu, self.T))

    def rates(self) -> tuple[float, float, float, float]:
        r"""Loss and gain rates :math:`(\gamma(1-n_1), \gamma n_1, \gamma(1-n_A), \gamma n_A)` (battery, ancillas)."""
        n1, nA = self.n_battery, self.n_ancilla
        g = self.gamma
        return g * (1.0 - n1), g * n1, g * (1.0 - nA), g * nA


def _int_N(N: Any, hi: int) -> int:
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or not 1 <= int(N) <= hi:
        raise ValueError(f"N must be an integer in [1, {hi}]; got {N!r}")
    return int(N)


def params(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, omega0: float = 10.0,
           omega: float = 1.0, J: float = 1.0, gamma: float = 1.0, topology: str = "star",
           dissipation: str = "local") -> Params:
    r"""Validate one parameter point.

    Parameters
    ----------
    N : int
        Number of qubits (battery + ``N-1`` ancillas), ``1 <= N <= 400``.
    mu, delta_mu : float
        Battery reservoir's chemical potential and the ancillas' excess :math:`\Delta\mu`.
    T : float
        Common temperature, ``>= 0``.
    omega0 : float
        Qubit frequency in :math:`\omega_0\sigma^z`, ``> 0`` (sets :math:`\mathcal E_{\max} = 2\omega_0`).
    omega : float
        Frequency at which the occupations are evaluated (the paper's :math:`\omega`).
    J : float
        Flip-flop coupling (any real; the steady state depends on :math:`J^2`).
    gamma : float
        Frequency-independent rate, ``> 0``.
    topology : {"star", "chain"}
    dissipation : {"local", "collective"}
        ``"collective"`` is one common reservoir and needs ``delta_mu = 0``.

    Raises
    ------
    ValueError
        Naming the parameter and its valid range.
    """
    N = _int_N(N, N_MAX["symmetric"])
    topology = V.choice(topology, "topology", TOPOLOGIES)
    dissipation = V.choice(dissipation, "dissipation", DISSIPATIONS)
    mu = V.real_number(mu, "mu", lo=-1e6, hi=1e6)
    delta_mu = V.real_number(delta_mu, "delta_mu", lo=-1e6, hi=1e6)
    T = V.real_number(T, "T", lo=0.0, hi=1e6)
    omega0 = V.real_number(omega0, "omega0", lo=0.0, hi=1e6, lo_open=True)
    omega = V.real_number(omega, "omega", lo=-1e6, hi=1e6)
    J = V.real_number(J, "J", lo=-1e6, hi=1e6)
    gamma = V.real_number(gamma, "gamma", lo=0.0, hi=1e6, lo_open=True)
    if dissipation == "collective" and delta_mu != 0.0:
        raise ValueError("dissipation='collective' is one common reservoir (eqs. 4-6): delta_mu must be 0; "
                         f"got delta_mu = {delta_mu}")
    return Params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)


def edges(N: int, topology: str = "star") -> list[tuple[int, int]]:
    """Coupled pairs (0-based; qubit 0 is the battery): hub-and-spokes or nearest neighbours."""
    N = _int_N(N, N_MAX["symmetric"])
    V.choice(topology, "topology", TOPOLOGIES)
    if topology == "star":
        return [(0, i) for i in range(1, N)]
    return [(i, i + 1) for i in range(N - 1)]


# --------------------------------------------------------------------------- full-space operators
def _bits(N: int) -> np.ndarray:
    """bits[s, i] = 1 if qubit i is in the ground state in basis state s (QuTiP: index 0 = excited)."""
    s = np.arange(2 ** N)
    return (s[:, None] >> (N - 1 - np.arange(N))[None, :]) & 1


def excitation_numbers(N: int) -> np.ndarray:
    """Number of excited qubits in each basis state of :func:`hamiltonian` (QuTiP ordering), ``N <= 12``."""
    N = _int_N(N, 12)
    return (1 - _bits(N)).sum(axis=1)


def _lowering(N: int, i: int) -> sp.csr_matrix:
    """Sparse sigma^-_i on N qubits (excited bit 0 -> ground bit 1)."""
    s = np.arange(2 ** N)
    flag = 1 << (N - 1 - i)
    src = s[(s & flag) == 0]
    return sp.csr_matrix((np.ones(src.size), (src | flag, src)), shape=(2 ** N, 2 ** N))


def _hopping(N: int, topology: str) -> sp.csr_matrix:
    """Sparse sum over edges of sigma^+_a sigma^-_b + h.c. (unit coupling)."""
    H = sp.csr_matrix((2 ** N, 2 ** N))
    for a, b in edges(N, topology):
        la, lb = _lowering(N, a), _lowering(N, b)
        H = H + la.T @ lb + lb.T @ la
    return H.tocsr()


def hamiltonian(N: int = 3, omega0: float = 10.0, J: float = 1.0, topology: str = "star") -> np.ndarray:
    r"""Dense :math:`H_S` (eq. 1 for the chain, the star of Fig. 1 otherwise), ``N <= 10``."""
    N = _int_N(N, _FULL_STATE_MAX)
    omega0 = V.real_number(omega0, "omega0")
    J = V.real_number(J, "J")
    sz = 1.0 - 2.0 * _bits(N)
    return np.diag(omega0 * sz.sum(axis=1)).astype(complex) + J * _hopping(N, topology).toarray()


def jumps(p: Params) -> list[master.Jump]:
    """Lindblad channels (dense operators) of eqs. 5–8 in :mod:`qbcore.master` form (``N <= 6``)."""
    _int_N(p.N, 6)
    low = [_lowering(p.N, i).toarray().astype(complex) for i in range(p.N)]
    if p.dissipation == "collective":
        return master.local_jumps(low, Bath("fermion", p.T, p.mu, J=flat(p.gamma)), p.omega, collective=True,
                                  name="common reservoir")
    out = master.local_jumps(low[:1], Bath("fermion", p.T, p.mu, J=flat(p.gamma)), p.omega, name="battery")
    if p.N > 1:
        out += master.local_jumps(low[1:], Bath("fermion", p.T, p.mu + p.delta_mu, J=flat(p.gamma)), p.omega,
                                  name="ancillas")
    return out


def liouvillian(**kw: Any) -> np.ndarray:
    """Dense Lindblad generator on the full space via :func:`qbcore.master.liouvillian` (``N <= 5``)."""
    p = params(**kw)
    _int_N(p.N, N_MAX["dense"])
    return master.liouvillian(hamiltonian(p.N, p.omega0, p.J, p.topology), jumps(p))


# --------------------------------------------------------------------------- q = 0 sector (exact)
@dataclass(frozen=True)
class _Sector:
    """Excitation-number blocks of N qubits and the unit pieces of the q = 0 sector generator."""

    N: int
    blocks: tuple          # basis-state indices of each excitation number n = 0..N
    offsets: np.ndarray    # start of block n in the stacked vector (row-major vec of each block)
    dim: int
    pieces: dict           # name -> sparse (dim x dim) generator per unit rate / unit J


def sector_dimension(N: int) -> int:
    r"""Size :math:`\binom{2N}{N}` of the :math:`q = 0` sector (unknowns of the exact solver)."""
    N = _int_N(N, 60)
    return math.comb(2 * N, N)


def _restrict(A: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    return A[rows][:, cols].tocsr()


@lru_cache(maxsize=8)
def _sector(N: int, topology: str) -> _Sector:
    bits = _bits(N)
    exc = N - bits.sum(axis=1)
    blocks = tuple(np.flatnonzero(exc == n) for n in range(N + 1))
    dims = np.array([b.size for b in blocks])
    offsets = np.concatenate([[0], np.cumsum(dims ** 2)])
    dim = int(offsets[-1])
    hop = _hopping(N, topology)
    low = [_lowering(N, i) for i in range(N)]
    coll = sum(low[1:], low[0]).tocsr()

    def place(mats: list[tuple[int, int, sp.spmatrix]]) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        for r, c, m in mats:
            m = sp.coo_matrix(m)
            rows.append(m.row + offsets[r])
            cols.append(m.col + offsets[c])
            vals.append(m.data)
        if not rows:
            return sp.csr_matrix((dim, dim))
        return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(dim, dim))

    def coherent(Hf: sp.csr_matrix) -> sp.csr_matrix:
        mats = []
        for n, b in enumerate(blocks):
            h = _restrict(Hf, b, b)
            eye = sp.identity(b.size, format="csr")
            mats.append((n, n, -1j * (sp.kron(h, eye) - sp.kron(eye, h.T))))
        return place(mats)

    def dissipator(Lf: sp.csr_matrix, shift: int) -> sp.csr_matrix:
        """D[L] on the sector, L changing the excitation number by ``shift`` (row-major vec)."""
        K = (Lf.conj().T @ Lf).tocsr()
        mats = []
        for n, b in enumerate(blocks):
            eye = sp.identity(b.size, format="csr")
            k = _restrict(K, b, b)
            mats.append((n, n, -0.5 * (sp.kron(k, eye) + sp.kron(eye, k.T))))
            m = n + shift
            if 0 <= m <= N:
                l_mn = _restrict(Lf, blocks[m], b)
                mats.append((m, n, sp.kron(l_mn, l_mn.conj())))
        return place(mats)

    pieces = {"hop": coherent(hop),
              "loss0": dissipator(low[0], -1), "gain0": dissipator(low[0].T.tocsr(), +1),
              "closs": dissipator(coll, -1), "cgain": dissipator(coll.T.tocsr(), +1)}
    lossA = sp.csr_matrix((dim, dim), dtype=complex)
    gainA = sp.csr_matrix((dim, dim), dtype=complex)
    for i in range(1, N):
        lossA = lossA + dissipator(low[i], -1)
        gainA = gainA + dissipator(low[i].T.tocsr(), +1)
    pieces["lossA"], pieces["gainA"] = lossA.tocsr(), gainA.tocsr()
    return _Sector(N, blocks, offsets, dim, pieces)


def _sector_generator(p: Params) -> sp.csr_matrix:
    s = _sector(p.N, p.topology)
    P = s.pieces
    if p.dissipation == "collective":
        n = p.n_battery
        return (p.J * P["hop"] + p.gamma * (1 - n) * P["closs"] + p.gamma * n * P["cgain"]).tocsr()
    e1, a1, eA, aA = p.rates()
    return (p.J * P["hop"] + e1 * P["loss0"] + a1 * P["gain0"] + eA * P["lossA"] + aA * P["gainA"]).tocsr()


def _trace_vector(s: _Sector) -> np.ndarray:
    t = np.zeros(s.dim)
    for n, b in enumerate(s.blocks):
        t[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = 1.0
    return t


def _battery_vector(s: _Sector) -> np.ndarray:
    """Linear functional giving the battery's excited population from a sector vector."""
    f = np.zeros(s.dim)
    bits = _bits(s.N)
    for n, b in enumerate(s.blocks):
        f[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = 1.0 - bits[b, 0]
    return f


def _to_sector(s: _Sector, rho: np.ndarray) -> np.ndarray:
    return np.concatenate([rho[np.ix_(b, b)].ravel() for b in s.blocks])


def _from_sector(s: _Sector, v: np.ndarray) -> np.ndarray:
    rho = np.zeros((2 ** s.N, 2 ** s.N), dtype=complex)
    for n, b in enumerate(s.blocks):
        rho[np.ix_(b, b)] = v[s.offsets[n]:s.offsets[n + 1]].reshape(b.size, b.size)
    return 0.5 * (rho + rho.conj().T)


def _solve_unique(L: sp.csr_matrix, t: np.ndarray) -> np.ndarray:
    """Solve L v = 0 with t.v = 1 by sparse LU, the vacuum row (a diagonal element) replaced by the trace."""
    A = sp.vstack([sp.csr_matrix(t.astype(complex)), L.tocsr()[1:]]).tocsc()
    b = np.zeros(L.shape[0], dtype=complex)
    b[0] = 1.0
    return spla.splu(A, permc_spec="MMD_AT_PLUS_A").solve(b)


@lru_cache(maxsize=4)
def _block_ops(N: int, topology: str) -> dict:
    """Excitation blocks and index maps for the matrix-free sector solver.

    ``pairs[i][n] = (src, tgt)``: positions in block ``n`` of the states with qubit ``i`` excited and
    positions in block ``n-1`` of the same states with qubit ``i`` lowered (sigma^-_i is a partial
    permutation, so sandwiches are index gathers).
    """
    bits = _bits(N)
    exc = N - bits.sum(axis=1)
    blocks = [np.flatnonzero(exc == n) for n in range(N + 1)]
    where = np.empty(2 ** N, dtype=int)
    for b in blocks:
        where[b] = np.arange(b.size)
    pairs = []
    for i in range(N):
        flag = 1 << (N - 1 - i)
        row = [None]
        for n in range(1, N + 1):
            src_states = blocks[n][bits[blocks[n], i] == 0]
            row.append((where[src_states], where[src_states | flag]))
        pairs.append(row)
    hop = _hopping(N, topology)
    return {"blocks": blocks, "hop": [_restrict(hop, b, b).toarray() for b in blocks], "pairs": pairs,
            "occ": [[1.0 - bits[b, i] for b in blocks] for i in range(N)]}


def _gmres_sector(p: Params, rtol: float = 1e-12) -> tuple[list[np.ndarray], dict]:
    r"""Matrix-free exact solver on the :math:`q = 0` sector (local dissipation, any topology).

    Writes the generator as :math:`\mathcal L = \mathcal A + \mathcal J`, with
    :math:`\mathcal A X_n = G_n X_n + X_n G_n^\dagger`, :math:`G_n = -iJH_n - \tfrac12\sum_i(e_i n_i + a_i(1-n_i))`
    inside each excitation block and :math:`\mathcal J` the jump (sandwich) terms between neighbouring
    blocks. :math:`\mathcal A^{-1}` (a Sylvester solve by eigen-decomposition of :math:`G_n`) is the left
    preconditioner, so GMRES works on :math:`1 - T` with :math:`T = -\mathcal A^{-1}\mathcal J` the
    embedded jump chain; the trace condition enters as a rank-one term.
    """
    ops = _block_ops(p.N, p.topology)
    blocks, pairs, occ = ops["blocks"], ops["pairs"], ops["occ"]
    dims = [b.size for b in blocks]
    nb = len(dims)
    offs = np.concatenate([[0], np.cumsum(np.square(dims))])
    e1, a1, eA, aA = p.rates()
    e = np.array([e1] + [eA] * (p.N - 1))
    a = np.array([a1] + [aA] * (p.N - 1))
    G, Vs, Vinv, den = [], [], [], []
    regular = True
    for n in range(nb):
        K = sum(e[i] * occ[i][n] + a[i] * (1.0 - occ[i][n]) for i in range(p.N))
        g = -1j * p.J * ops["hop"][n] - 0.5 * np.diag(K)
        lam, Vn = np.linalg.eig(g)
        G.append(g)
        Vs.append(Vn)
        Vinv.append(np.linalg.inv(Vn))
        d = lam[:, None] + lam.conj()[None, :]
        # A block without any outflow (e.g. T = 0 with all reservoirs full) has G_n = 0: regularise
        # the preconditioner only (GMRES still solves the exact equation).
        small = np.abs(d) < 1e-6 * p.gamma
        regular = regular and not np.any(small)
        den.append(np.where(small, -p.gamma, d))

    def split(v):
        return [v[offs[n]:offs[n + 1]].reshape(dims[n], dims[n]) for n in range(nb)]

    def jumps_part(X):
        out = [np.zeros((d, d), dtype=complex) for d in dims]
        for i in range(p.N):
            for n in range(1, nb):
                src, tgt = pairs[i][n]
                if e[i] > 0:      # sigma^-_i X_n sigma^+_i  -> block n-1
                    out[n - 1][np.ix_(tgt, tgt)] += e[i] * X[n][np.ix_(src, src)]
                if a[i] > 0:      # sigma^+_i X_{n-1} sigma^-_i -> block n
                    out[n][np.ix_(src, src)] += a[i] * X[n - 1][np.ix_(tgt, tgt)]
        return out

    def A_inv(Y):
        return [Vs[n] @ ((Vinv[n] @ Y[n] @ Vinv[n].conj().T) / den[n]) @ Vs[n].conj().T for n in range(nb)]

    t = np.concatenate([np.eye(d).ravel() for d in dims])
    u = t / t.sum()                                        # the maximally mixed state (t.u = 1)
    Au = np.concatenate([x.ravel() for x in A_inv(split(u))])

    def flat(Xs):
        return np.concatenate([x.ravel() for x in Xs])

    def generator(X):
        JX = jumps_part(X)
        return [G[n] @ X[n] + X[n] @ G[n].conj().T + JX[n] for n in range(nb)]

    def matvec(v):
        X = split(v)
        if regular:                       # A^-1 (A + J) = 1 + A^-1 J
            return v + flat(A_inv(jumps_part(X))) + Au * (t @ v)
        return flat(A_inv(generator(X))) + Au * (t @ v)

    op = spla.LinearOperator((offs[-1], offs[-1]), matvec=matvec, dtype=complex)
    scale = max(p.gamma, abs(p.J))
    rhs = u.astype(complex)                # solve (L + u t^T) v = u, then refine on the true residual
    b0 = flat(A_inv(split(rhs)))
    atol = 1e-14 * float(np.linalg.norm(b0))
    v = np.zeros_like(rhs)
    for _ in range(4):
        dv, info = spla.gmres(op, flat(A_inv(split(rhs))), rtol=rtol, atol=atol, restart=100, maxiter=10)
        if info != 0 and not np.any(v):
            raise ValueError(f"the sector GMRES solver did not converge (info = {info}); N = {p.N}")
        v = v + dv
        rhs = u - flat(generator(split(v))) - u * (t @ v)
        if np.max(np.abs(rhs)) <= 1e-13 * scale:
            break
    X = split(v / (t @ v))
    res = max(float(np.max(np.abs(Y))) for Y in generator(X))   # unpreconditioned residual of L rho = 0
    if res > 1e-9 * scale:
        raise ValueError(f"the sector GMRES solver stalled (residual {res:.1e}); N = {p.N}")
    return X, {"residual": res, "blocks": dims}


def _initial_matrix(initial: Any, N: int) -> np.ndarray:
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


def _collective_kernel(L: np.ndarray, s: _Sector, rtol: float = 1e-10):
    """Right/left kernels of the dense sector generator and whether the battery state is unique on it."""
    R, _ = master.kernel(L, rtol=rtol)
    Lft, _ = master.kernel(L.conj().T, rtol=rtol)
    if R.shape[1] != Lft.shape[1] or R.shape[1] == 0:
        raise ValueError("could not separate the kernel of the collective generator (try a generic omega0, J)")
    if R.shape[1] == 1:
        return R, Lft, True
    # the battery state is the same in every steady state iff p1(r) and tr(r) are proportional on the kernel
    F = np.vstack([_battery_vector(s) @ R, _trace_vector(s) @ R])
    sv = np.linalg.svd(F, compute_uv=False)
    return R, Lft, bool(sv[1] <= 1e-9 * max(sv[0], 1e-300))


# --------------------------------------------------------------------------- permutation-symmetric solver
def symmetric_dimension(N: int) -> int:
    """Number of real unknowns of the permutation-symmetric star solver for ``N`` qubits."""
    return _Symmetric.build(_int_N(N, N_MAX["symmetric"])).dim


def _spins(M: int) -> np.ndarray:
    """Total spins j of M spin-1/2 ancillas, descending (M/2, M/2 - 1, ... >= 0)."""
    return np.arange(M / 2.0, -0.25, -1.0)


def _multiplicity(M: int, j: float) -> int:
    k = int(round(M / 2 - j))
    return math.comb(M, k) - (math.comb(M, k - 1) if k >= 1 else 0)


def _sqrt0(x):
    return np.sqrt(np.maximum(x, 0.0))


def _dicke_sandwich(M: int, J: float, m: np.ndarray, m1: np.ndarray, sign: int) -> dict[float, np.ndarray]:
    r"""Coefficients of :math:`\sum_i \sigma^\mp_i\,X\,\sigma^\pm_i` between normalised Dicke blocks.

    With :math:`F^J_{mm'} = |J,m\rangle\langle J,m'|\otimes\mathbb 1_{d_J}/d_J` (unit-trace multiplicity
    part, :math:`d_J` the number of spin-:math:`J` irreps of M spins-1/2),
    :math:`\sum_i\sigma^-_i F^J_{mm'}\sigma^+_i = \sum_{J'} c_{J'}\,F^{J'}_{m-1,m'-1}` (``sign = -1``) and
    likewise with :math:`\sigma^+` and :math:`m+1` (``sign = +1``). Returns ``{J': c}``; coefficients vanish
    exactly where a target index leaves its block. Checked against an explicit :math:`2^M` construction
    in the tests.
    """
    h = M / 2.0
    out = {}
    if sign < 0:
        same = _sqrt0((J + m) * (J - m + 1) * (J + m1) * (J - m1 + 1))
        down = _sqrt0((J + m) * (J + m - 1) * (J + m1) * (J + m1 - 1))
        up = _sqrt0((J - m + 1) * (J - m + 2) * (J - m1 + 1) * (J - m1 + 2))
    else:
        same = _sqrt0((J + m + 1) * (J - m) * (J + m1 + 1) * (J - m1))
        down = _sqrt0((J - m - 1) * (J - m) * (J - m1 - 1) * (J - m1))
        up = _sqrt0((J + m + 1) * (J + m + 2) * (J + m1 + 1) * (J + m1 + 2))
    if J > 0:
        out[J] = same * (h + 1) / (2 * J * (J + 1))
        out[J - 1] = down * (h + J + 1) / (2 * J * (2 * J + 1))
    out[J + 1] = up * (h - J) / (2 * (J + 1) * (2 * J + 1))
    return out


@dataclass(frozen=True)
class _Symmetric:
    """Real q = 0 unknowns of the permutation-symmetric star and its unit generator pieces.

    Per ancilla spin j (normalised blocks, trace = sum of all populations):
    ``pe[j, m] = <e,m|rho_j|e,m>``, ``pg[j, m] = <g,m|rho_j|g,m>`` (m = -j..j) and
    ``s[j, m] = Im <e,m|rho_j|g,m+1>`` (m = -j..j-1); the real parts of the coherences vanish.
    """

    M: int
    js: np.ndarray
    index: dict            # (kind, j) -> (first index, m values)
    dim: int
    pieces: dict           # unit generator pieces, rows/columns permuted by ``order``
    order: np.ndarray

    @staticmethod
    @lru_cache(maxsize=16)
    def build(N: int) -> "_Symmetric":
        M = N - 1
        js = _spins(M)
        index, start = {}, 0
        for j in js:
            ms = np.arange(-j, j + 0.5)
            for kind, mm in (("pe", ms), ("pg", ms), ("s", ms[:-1])):
                index[(kind, float(j))] = (start, mm)
                start += mm.size
        dim = start

        def idx(kind: str, j: float, m: np.ndarray) -> np.ndarray:
            first, ms = index[(kind, float(j))]
            if ms.size == 0:
                return np.zeros(0, dtype=int)
            return first + np.rint(m - ms[0]).astype(int)

        acc: dict[str, list] = {k: [] for k in ("hop", "loss0", "gain0", "lossA", "gainA")}

        def add(name, rows, cols, vals):
            rows, cols, vals = np.broadcast_arrays(np.asarray(rows), np.asarray(cols), np.asarray(vals, float))
            acc[name].append((rows.ravel(), cols.ravel(), vals.ravel()))

        h = M / 2.0
        for j in js:
            j = float(j)
            ms = np.arange(-j, j + 0.5)
            mc = ms[:-1]                                    # coherence |e,m><g,m+1|
            pe, pg, sc = idx("pe", j, ms), idx("pg", j, ms), idx("s", j, mc)
            # flip-flop J(s+ J- + s- J+) pairs |e,m> and |g,m+1| with amplitude a(m)
            a = np.sqrt((j - mc) * (j + mc + 1))
            pe_c, pg_c = idx("pe", j, mc), idx("pg", j, mc + 1)
            add("hop", pe_c, sc, -2 * a)
            add("hop", pg_c, sc, 2 * a)
            add("hop", sc, pe_c, a)
            add("hop", sc, pg_c, -a)
            # battery loss / gain
            add("loss0", pe, pe, -1.0)
            add("loss0", pg, pe, 1.0)
            add("loss0", sc, sc, -0.5)
            add("gain0", pg, pg, -1.0)
            add("gain0", pe, pg, 1.0)
            add("gain0", sc, sc, -0.5)
            # ancilla anticommutators: sum_i n_i = J_z + M/2 and sum_i (1 - n_i) = M/2 - J_z
            for kind, mm in (("pe", ms), ("pg", ms)):
                ii = idx(kind, j, mm)
                add("lossA", ii, ii, -(mm + h))
                add("gainA", ii, ii, -(h - mm))
            add("lossA", sc, sc, -(mc + 0.5 + h))
            add("gainA", sc, sc, -(h - mc - 0.5))
            # ancilla sandwiches: F^j_{m m'} -> F^{j'}_{m-+1, m'-+1} (normalised blocks)
            for name, sgn in (("lossA", -1), ("gainA", +1)):
                for kind, mm, mm1 in (("pe", ms, ms), ("pg", ms, ms), ("s", mc, mc + 1)):
                    for jp, c in _dicke_sandwich(M, j, mm, mm1, sgn).items():
                        if (kind, float(jp)) not in index:
                            continue
                        keep = c != 0.0
                        if not np.any(keep):
                            continue
                        add(name, idx(kind, jp, mm[keep] + sgn), idx(kind, j, mm[keep]), c[keep])
        # Order the unknowns by total excitation number (then j): the generator is then banded
        # (dissipation changes the number by one), and sparse LU without reordering has little fill.
        ntot, jj = np.zeros(dim), np.zeros(dim)
        for (kind, j), (first, ms) in index.items():
            ntot[first:first + ms.size] = ms + M / 2 + (0 if kind == "pg" else 1)
            jj[first:first + ms.size] = j
        order = np.lexsort((-jj, ntot))
        pieces = {}
        for name, parts in acc.items():
            r = np.concatenate([q[0] for q in parts])
            c = np.concatenate([q[1] for q in parts])
            v = np.concatenate([q[2] for q in parts])
            pieces[name] = sp.csr_matrix((v, (r, c)), shape=(dim, dim))[order][:, order].tocsr()
        return _Symmetric(M, js, index, dim, pieces, order)

    def generator(self, J: float, e1: float, a1: float, eA: float, aA: float) -> sp.csr_matrix:
        """The generator in the banded (permuted) order; :meth:`solve` undoes the permutation."""
        P = self.pieces
        return (J * P["hop"] + e1 * P["loss0"] + a1 * P["gain0"] + eA * P["lossA"] + aA * P["gainA"]).tocsr()

    def trace_vector(self) -> np.ndarray:
        t = np.zeros(self.dim)
        for (kind, _j), (first, ms) in self.index.items():
            if kind in ("pe", "pg"):
                t[first:first + ms.size] = 1.0
        return t

    def battery_vector(self) -> np.ndarray:
        f = np.zeros(self.dim)
        for (kind, _j), (first, ms) in self.index.items():
            if kind == "pe":
                f[first:first + ms.size] = 1.0
        return f

    def ancilla_vector(self) -> np.ndarray:
        """Functional giving the mean excited population per ancilla."""
        f = np.zeros(self.dim)
        if self.M == 0:
            return f
        for (kind, _j), (first, ms) in self.index.items():
            if kind in ("pe", "pg"):
                f[first:first + ms.size] = (ms + self.M / 2.0) / self.M
        return f

    def solve(self, L: sp.csr_matrix) -> np.ndarray:
        """Steady state from a (permuted) generator: the last row (the population of the fully
        excited network) is replaced by the trace; returns the unknowns in :attr:`index` order."""
        t = self.trace_vector()[self.order]
        A = sp.vstack([L.tocsr()[:-1], sp.csr_matrix(t)]).tocsc()
        b = np.zeros(self.dim)
        b[-1] = 1.0
        # The banded order needs no column permutation; diagonal pivots keep the fill at the band
        # (row pivoting can multiply the fill by ten). Fall back to partial pivoting if inaccurate.
        y = spla.splu(A, permc_spec="NATURAL", diag_pivot_thresh=0.0).solve(b)
        if not np.all(np.isfinite(y)) or np.max(np.abs(A @ y - b)) > 1e-11 * max(1.0, abs(A).max()):
            y = spla.splu(A, permc_spec="NATURAL").solve(b)
        x = np.empty_like(y)
        x[self.order] = y
        return x


_PIECE_NAMES = ("hop", "loss0", "gain0", "lossA", "gainA")
_BLOCK_BATCH_FLOATS = 4e6        # stored elimination factors per chunk of points (32 MB)


@lru_cache(maxsize=8)
def _block_pieces(N: int) -> tuple:
    """Dense sub-blocks of the symmetric generator pieces, by total excitation number.

    In the banded order every piece couples excitation number ``n`` only to ``n`` and ``n +- 1`` (the
    Hamiltonian conserves it, each jump changes it by one), so the generator is block tridiagonal
    with blocks ``n = 0..N``; the first (all ground) and last (all excited) blocks are single
    populations. Returns ``(slices, D, Lo, Up, trace)`` with ``D[n]`` of shape ``(5, b_n, b_n)``,
    ``Lo[n]`` the coupling to block ``n - 1`` and ``Up[n]`` to block ``n + 1`` (stacked over pieces).
    """
    sym = _Symmetric.build(N)
    ntot = np.zeros(sym.dim)
    for (kind, j), (first, ms) in sym.index.items():
        ntot[first:first + ms.size] = ms + sym.M / 2 + (0 if kind == "pg" else 1)
    sizes = np.bincount(np.rint(ntot[sym.order]).astype(int))
    edges = np.concatenate([[0], np.cumsum(sizes)])
    sl = [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]
    P = [sym.pieces[k].tocsr() for k in _PIECE_NAMES]
    K = len(sl)
    D = [np.stack([p[s, s].toarray() for p in P]) for s in sl]
    Lo = [None] + [np.stack([p[sl[k], sl[k - 1]].toarray() for p in P]) for k in range(1, K)]
    Up = [np.stack([p[sl[k], sl[k + 1]].toarray() for p in P]) for k in range(K - 1)] + [None]
    nnz_in_band = sum(np.count_nonzero(a) for a in D + Lo[1:] + Up[:-1])
    if nnz_in_band != sum(p.count_nonzero() for p in P) or sizes[-1] != 1:  # pragma: no cover - invariant
        raise RuntimeError("symmetric generator is not block tridiagonal in the excitation number")
    return sl, D, Lo, Up, sym.trace_vector()[sym.order]


def _block_batch(N: int, C: np.ndarray) -> np.ndarray:
    """Steady states of the symmetric star for every row of ``C`` (rates ``J, e1, a1, eA, aA``).

    Block Gaussian elimination of the block-tridiagonal generator (:func:`_block_pieces`), batched over
    the points: forward, :math:`X_n = -(D_n + L_n X_{n-1})^{-1} U_n` expresses block ``n`` through block
    ``n + 1``; the last block (the all-excited population) is set to 1 — the Schur complement left there
    is 1 x 1 and vanishes, so this is the kernel — and back substitution gives the rest. Each block is
    rescaled to unit maximum as it is produced and the scales are kept as logarithms, so populations
    spanning hundreds of decades neither overflow nor spoil the dominant ones; the trace normalises.
    Cost ``O(points * N * b^3)`` with blocks ``b <= N + 1`` (pivoting inside blocks only).

    Returns the unknowns in :attr:`_Symmetric.index` order, shape ``(points, dim)``; rows whose
    elimination failed (a singular block) are NaN, for the caller to solve otherwise.
    """
    sl, D, Lo, Up, trace = _block_pieces(N)
    per_point = sum((s.stop - s.start) * (t.stop - t.start) for s, t in zip(sl[:-1], sl[1:]))
    chunk = max(1, int(_BLOCK_BATCH_FLOATS // per_point))          # bounds the memory of the X_n
    if C.shape[0] > chunk:
        return np.concatenate([_block_batch(N, C[i:i + chunk]) for i in range(0, C.shape[0], chunk)])
    sym = _Symmetric.build(N)
    npts, K = C.shape[0], len(sl)
    X: list = [None] * K
    bad = np.zeros(npts, bool)
    with np.errstate(all="ignore"):
        for n in range(K - 1):
            S = np.tensordot(C, D[n], axes=(1, 0))
            if n > 0:
                S = S + np.tensordot(C, Lo[n], axes=(1, 0)) @ X[n - 1]
            U = np.tensordot(C, Up[n], axes=(1, 0))
            try:
                X[n] = -np.linalg.solve(S, U)
            except np.linalg.LinAlgError:  # some point has a singular block: solve point by point
                X[n] = np.empty_like(U)
                for i in range(npts):
                    try:
                        X[n][i] = -np.linalg.solve(S[i], U[i])
                    except np.linalg.LinAlgError:
                        X[n][i], bad[i] = 0.0, True
        blocks = [np.ones((npts, 1))]
        logs = [np.zeros(npts)]
        for n in range(K - 2, -1, -1):
            v = np.einsum("pij,pj->pi", X[n], blocks[-1])
            scale = np.max(np.abs(v), axis=1)
            scale = np.where(scale > 0, scale, 1.0)
            blocks.append(v / scale[:, None])
            logs.append(logs[-1] + np.log(scale))
        blocks, logs = blocks[::-1], np.stack(logs[::-1])
        w = np.exp(logs - logs.max(axis=0))                       # relative block weights, max 1
        y = np.concatenate([b * w[n][:, None] for n, b in enumerate(blocks)], axis=1)
        y /= (y @ trace)[:, None]
    bad |= ~np.all(np.isfinite(y), axis=1)
    y[bad] = np.nan
    x = np.empty_like(y)
    x[:, sym.order] = y
    return x


def _symmetric_observables(sym: _Symmetric, x: np.ndarray, p: Params) -> dict:
    """Battery state, network energy and ergotropy (spectra with multiplicities) from a solution."""
    M = sym.M
    p1 = float(sym.battery_vector() @ x)
    energy = 0.0
    r_vals, e_vals, counts = [], [], []
    for j in sym.js:
        j = float(j)
        nj = _multiplicity(M, j)
        dj = float(nj)
        f_e, ms = sym.index[("pe", j)]
        f_g, _ = sym.index[("pg", j)]
        f_s, mc = sym.index[("s", j)]
        pe, pg, s = x[f_e:f_e + ms.size], x[f_g:f_g + ms.size], x[f_s:f_s + mc.size]
        energy += p.omega0 * float(np.sum((1 + 2 * ms) * pe + (-1 + 2 * ms) * pg))
        # isolated states |g,-j> and |e,j>
        r_vals += [pg[0] / dj, pe[-1] / dj]
        e_vals += [p.omega0 * (-1 - 2 * j), p.omega0 * (1 + 2 * j)]
        counts += [nj, nj]
        if mc.size:
            a = p.J * np.sqrt((j - mc) * (j + mc + 1))
            A, B = pe[:-1], pg[1:]
            mean, half = 0.5 * (A + B), np.sqrt(0.25 * (A - B) ** 2 + s ** 2)
            r_vals += list((mean + half) / dj) + list((mean - half) / dj)
            base = p.omega0 * (1 + 2 * mc)
            e_vals += list(base + a) + list(base - a)
            counts += [nj] * (2 * mc.size)
    r_vals, e_vals = np.asarray(r_vals), np.asarray(e_vals)
    passive = _weighted_passive_energy(r_vals, e_vals, counts)
    return {"p1": p1, "energy": energy, "ergotropy": roundoff_zero(energy - passive, float(np.abs(e_vals).max())), "ground_energy": float(e_vals.min()),
            "min_eigenvalue": float(r_vals.min()), "ancilla_population": float(sym.ancilla_vector() @ x)}


def _weighted_passive_energy(r: np.ndarray, e: np.ndarray, counts: list[int]) -> float:
    """Passive energy when eigenvalue ``r[k]`` and energy ``e[k]`` each occur ``counts[k]`` times.

    Sorts the eigenvalues down and the energies up and pairs them along the cumulative count, with
    exact integer counts (multiplicities reach ``2**N``).
    """
    ro, eo = np.argsort(-r, kind="stable"), np.argsort(e, kind="stable")
    i = k = 0
    left_r, left_e = counts[ro[0]], counts[eo[0]]
    total = 0.0
    while True:
        w = min(left_r, left_e)
        total += float(w) * float(r[ro[i]]) * float(e[eo[k]])
        left_r -= w
        left_e -= w
        if left_r == 0:
            i += 1
            if i == r.size:
                break
            left_r = counts[ro[i]]
        if left_e == 0:
            k += 1
            if k == e.size:
                break
            left_e = counts[eo[k]]
    return total


# --------------------------------------------------------------------------- results
@dataclass
class StarSteadyState:
    r"""Steady state of the network with the battery's reduced state.

    Attributes
    ----------
    params : Params
    battery_state : ndarray, shape (2, 2)
        Reduced state of qubit 1 (basis: excited, ground).
    rho, H : ndarray or None
        Full state and :math:`H_S` (``N <= 10`` with the exact solvers; None from the symmetric solver).
    energy : float
        :math:`\mathrm{Tr}\,\rho H_S` of the whole network.
    ergotropy : float
        Ergotropy of the whole network (from the spectra with multiplicities in the symmetric solver).
    populations : ndarray or None
        Full-state populations in the eigenbasis of :math:`H_S` (ascending), when ``rho`` is available.
    kernel_dim : int
        Dimension of the generator's kernel on the :math:`q = 0` sector (1 = unique steady state).
    battery_unique : bool
        Whether every steady state has the same battery state (true whenever ``kernel_dim == 1``).
    min_eigenvalue : float
        Smallest eigenvalue of the full state.
    method : str
    extra : dict
        ``ancilla_population`` (mean per ancilla) and solver details.
    """

    params: Params
    battery_state: np.ndarray
    rho: np.ndarray | None
    H: np.ndarray | None
    energy: float
    ergotropy: float
    populations: np.ndarray | None
    kernel_dim: int
    battery_unique: bool
    min_eigenvalue: float
    method: str
    extra: dict = field(default_factory=dict)

    @property
    def battery_population(self) -> float:
        """Excited-state population :math:`p_1` of the battery."""
        return float(np.real(self.battery_state[0, 0]))

    @property
    def battery_H(self) -> np.ndarray:
        r"""Battery Hamiltonian :math:`\omega_0\sigma^z`."""
        return self.params.omega0 * np.diag([1.0, -1.0]).astype(complex)

    @property
    def battery_energy(self) -> float:
        """Battery energy :math:`\\omega_0\\langle\\sigma^z_1\\rangle`."""
        return float(np.real(np.trace(self.battery_state @ self.battery_H)))

    @property
    def battery_ergotropy(self) -> float:
        """Battery ergotropy (energy units)."""
        return float(_ergotropy(self.battery_state, self.battery_H))

    @property
    def bloch_vector(self) -> np.ndarray:
        r"""Battery Bloch vector :math:`(\langle\sigma^x\rangle, \langle\sigma^y\rangle, \langle\sigma^z\rangle)`."""
        r = self.battery_state
        return np.array([2 * r[0, 1].real, -2 * r[0, 1].imag, (r[0, 0] - r[1, 1]).real])

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique."""
        return self.kernel_dim == 1

    @property
    def stored_energy(self) -> float:
        """Network energy above the ground state of :math:`H_S`."""
        return self.energy - float(self.extra["ground_energy"])

    @property
    def is_positive(self) -> bool:
        """Whether the state is positive semidefinite (to 1e-10)."""
        return self.min_eigenvalue >= -1e-10


def max_ergotropy(omega0: float = 10.0) -> float:
    r""":math:`\mathcal E_{\max} = 2\omega_0`: ergotropy of the fully excited battery."""
    return 2.0 * V.real_number(omega0, "omega0", lo=0.0, lo_open=True)


def normalized_ergotropy(p1: Any) -> np.ndarray | float:
    r""":math:`\mathcal W = \max(0, 2p_1 - 1)` for a diagonal battery state with excited population ``p1``."""
    p = V.real_array(p1, "p1")
    if np.any((p < -1e-9) | (p > 1 + 1e-9)):
        raise ValueError("p1 must lie in [0, 1]")
    out = np.maximum(0.0, 2.0 * p - 1.0)
    return out if out.ndim else float(out)


def battery_ergotropy(ss: StarSteadyState, normalized: bool = True) -> float:
    r"""Ergotropy of the battery's reduced state, divided by :math:`\mathcal E_{\max} = 2\omega_0` if ``normalized``."""
    if not isinstance(ss, StarSteadyState):
        raise ValueError("ss must be a StarSteadyState from qbcore.models.star.steady_state")
    W = ss.battery_ergotropy
    return W / max_ergotropy(ss.params.omega0) if normalized else W


def _battery_state(p1: float, coherence: complex = 0.0) -> np.ndarray:
    return np.array([[p1, coherence], [np.conj(coherence), 1.0 - p1]], dtype=complex)


def _from_full(rho: np.ndarray, p: Params, kernel_dim: int, battery_unique: bool, method: str,
               **extra: Any) -> StarSteadyState:
    H = hamiltonian(p.N, p.omega0, p.J, p.topology)
    ss = master.make_steady_state(rho, H, kernel_dim)
    d = 2 ** (p.N - 1)
    r4 = rho.reshape(2, d, 2, d)
    rb = np.einsum("aibi->ab", r4)
    nA = 0.0
    if p.N > 1:
        bits = _bits(p.N)
        nA = float(np.real(np.diag(rho)) @ (1 - bits[:, 1:]).mean(axis=1))
    return StarSteadyState(p, 0.5 * (rb + rb.conj().T), rho, H, ss.energy, ss.ergotropy, ss.populations,
                           kernel_dim, battery_unique, ss.min_eigenvalue, method,
                           dict(ancilla_population=nA, ground_energy=float(ss.energies[0]), **extra))


# --------------------------------------------------------------------------- public solver
def steady_state(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, omega0: float = 10.0,
                 omega: float = 1.0, J: float = 1.0, gamma: float = 1.0, topology: str = "star",
                 dissipation: str = "local", *, initial: Any = None, method: str = "auto") -> StarSteadyState:
    r"""Steady state of the star/chain network (see the module docstring).

    Parameters
    ----------
    N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation
        See :func:`params`.
    initial : array_like, Qobj or {"ground", "excited", "mixed"}, optional
        Initial state. **Required for collective dissipation with** ``N >= 2``: the kernel is then
        degenerate (dark states; see :func:`collective_blocks`), and the result is the long-time limit
        from ``initial``. Ignored (not needed) when the steady state is unique.
    method : {"auto", "sector", "symmetric", "dense"}
        ``"auto"``: ``"symmetric"`` for the star with local dissipation and ``N > 8``, else ``"sector"``.

    Returns
    -------
    StarSteadyState

    Raises
    ------
    qbcore.master.NonUniqueSteadyStateError
        Collective dissipation without ``initial``.
    ValueError
        Bad parameters or ``N`` beyond the chosen method's limit (:data:`N_MAX`).
    """
    p = params(N, mu, delta_mu, T, omega0, omega, J, gamma, topology, dissipation)
    V.choice(method, "method", METHODS)
    if method == "auto":
        method = "symmetric" if (p.topology == "star" and p.dissipation == "local" and p.N > 8) else "sector"
    if method == "symmetric":
        if p.topology != "star" or p.dissipation != "local":
            raise ValueError("method='symmetric' needs topology='star' and dissipation='local'")
        return _steady_symmetric(p)
    if method == "dense":
        _int_N(p.N, N_MAX["dense"])
        L = master.liouvillian(hamiltonian(p.N, p.omega0, p.J, p.topology), jumps(p))
        ini = None if initial is None else _initial_matrix(initial, p.N)
        ss = master.steady_state(L, hamiltonian(p.N, p.omega0, p.J, p.topology), initial=ini)
        return _from_full(ss.rho, p, ss.kernel_dim, ss.kernel_dim == 1, "dense")
    if p.dissipation == "collective":
        if p.N > N_MAX["collective"]:
            raise ValueError(f"collective dissipation is solved exactly for N <= {N_MAX['collective']}; got N = {p.N} "
                             "(for the star see collective_blocks)")
        s = _sector(p.N, p.topology)
        L = _sector_generator(p).toarray()
        R, Lft, unique_battery = _collective_kernel(L, s)
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
    sym = _Symmetric.build(p.N)
    x = sym.solve(sym.generator(p.J, *p.rates()))
    obs = _symmetric_observables(sym, x, p)
    rho = H = pops = None
    return StarSteadyState(p, _battery_state(obs["p1"]), rho, H, obs["energy"], obs["ergotropy"], pops, 1, True,
                           obs["min_eigenvalue"], "symmetric",
                           dict(ancilla_population=obs["ancilla_population"], ground_energy=obs["ground_energy"],
                                unknowns=sym.dim, solution=x))


# --------------------------------------------------------------------------- sweeps
@dataclass
class Sweep:
    """Battery quantities on a broadcast parameter grid (shape ``shape``).

    Attributes
    ----------
    p1 : ndarray
        Battery excited population.
    W : ndarray
        Normalised battery ergotropy :math:`\\max(0, 2p_1 - 1)`.
    ancilla : ndarray
        Mean ancilla excited population (NaN-free; 0 for ``N = 1``).
    grid : dict
        The broadcast parameter arrays.
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


def _sweep_grid(kw: dict) -> dict[str, np.ndarray]:
    defaults = dict(mu=1.0, delta_mu=0.0, T=1.0, J=1.0, gamma=1.0, omega=1.0)
    unknown = set(kw) - set(_SWEEP_KEYS)
    if unknown:
        raise ValueError(f"unknown sweep parameter(s) {sorted(unknown)}; expected {_SWEEP_KEYS}")
    vals = {k: V.real_array(kw.get(k, defaults[k]), k) for k in _SWEEP_KEYS}
    g = dict(zip(_SWEEP_KEYS, (np.array(a, dtype=float) for a in np.broadcast_arrays(*vals.values()))))
    if np.any(g["T"] < 0):
        raise ValueError(f"T must be >= 0 everywhere; smallest value {g['T'].min()}")
    if np.any(g["gamma"] <= 0):
        raise ValueError(f"gamma must be > 0 everywhere; smallest value {g['gamma'].min()}")
    for k in ("mu", "delta_mu", "omega", "J"):
        if np.any(np.abs(g[k]) > 1e6):
            raise ValueError(f"{k} must lie in [-1e6, 1e6]")
    return g


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


def sweep(N: int = 3, *, topology: str = "star", dissipation: str = "local", initial: Any = None,
          **kw: Any) -> Sweep:
    r"""Battery population and normalised ergotropy on a grid (numpy broadcasting).

    ``mu, delta_mu, T, J, gamma, omega`` may be arrays (defaults 1, 0, 1, 1, 1, 1). The generator is a
    fixed linear combination of unit pieces (built once per ``N`` and topology). The star is solved
    for all points at once by block elimination over the excitation number (:func:`_block_batch`; tens of
    milliseconds for a 61-point curve at ``N = 30``); the chain by one batched dense solve for ``N <= 4`` and exactly,
    point by point, beyond. :math:`\omega_0` does not enter (see the module docstring).

    Parameters
    ----------
    N : int
    topology : {"star", "chain"}
    dissipation : {"local", "collective"}
        Collective needs ``initial`` (see :func:`steady_state`) and ``delta_mu = 0``; solved point by point.
    initial : optional
        Initial state for collective dissipation.
    **kw
        Grid parameters.

    Returns
    -------
    Sweep
    """
    V.choice(topology, "topology", TOPOLOGIES)
    V.choice(dissipation, "dissipation", DISSIPATIONS)
    g = _sweep_grid(kw)
    shape = g["mu"].shape
    if dissipation == "collective":
        if np.any(g["delta_mu"] != 0):
            raise ValueError("dissipation='collective' needs delta_mu = 0 everywhere")
        N = _int_N(N, N_MAX["collective"])
        out = [steady_state(N, m, 0.0, t, 10.0, w, j, ga, topology, "collective", initial=initial)
               for m, t, w, j, ga in zip(*(g[k].ravel() for k in ("mu", "T", "omega", "J", "gamma")))]
        p1 = np.array([o.battery_population for o in out]).reshape(shape)
        anc = np.array([o.extra["ancilla_population"] for o in out]).reshape(shape)
        return Sweep(p1, np.maximum(0.0, 2 * p1 - 1), anc, g)
    C = _rates_grid(g)
    if topology == "star":
        N = _int_N(N, N_MAX["symmetric"])
        sym = _Symmetric.build(N)
        fb, fa = sym.battery_vector(), sym.ancilla_vector()
        x = _block_batch(N, C)
        for i in np.flatnonzero(~np.all(np.isfinite(x), axis=1)):   # singular blocks (e.g. T = 0)
            x[i] = sym.solve(sym.generator(*C[i]))
        x = np.real(x)
    else:
        N = _int_N(N, N_MAX["sector"])
        if N <= 4:
            s = _sector(N, "chain")
            x = np.real(_dense_batch([s.pieces[k] for k in _PIECE_NAMES], C.astype(complex), _trace_vector(s), 0))
            fb = _battery_vector(s)
            bits = _bits(N)
            fa = np.zeros(s.dim)
            if N > 1:
                for n, b in enumerate(s.blocks):
                    fa[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = (1 - bits[b, 1:]).mean(axis=1)
        else:
            out = [steady_state(N, m, d, t, 10.0, w, j, ga, "chain") for m, d, t, w, j, ga in
                   zip(*(g[k].ravel() for k in ("mu", "delta_mu", "T", "omega", "J", "gamma")))]
            p1 = np.array([o.battery_population for o in out]).reshape(shape)
            anc = np.array([o.extra["ancilla_population"] for o in out]).reshape(shape)
            return Sweep(p1, np.maximum(0.0, 2 * p1 - 1), anc, g)
    p1 = (x @ fb).reshape(shape)
    anc = (x @ fa).reshape(shape)
    return Sweep(p1, np.maximum(0.0, 2 * p1 - 1), anc, g)


# --------------------------------------------------------------------------- closed forms and limits
def two_qubit_population(n1: Any, n2: Any, J: Any = 1.0, gamma: Any = 1.0) -> np.ndarray | float:
    r"""Battery population for ``N = 2`` with local reservoirs (exact, any parameters).

    The two-point function closes for two qubits: with :math:`c = \langle\sigma^+_1\sigma^-_2\rangle`,
    :math:`\dot c = iJ(p_2-p_1) - \gamma c` (each fermionic reservoir damps coherences at
    :math:`\gamma/2`) and :math:`\dot p_1 = -\gamma(p_1-n_1) + 2J\,\mathrm{Im}\,c`, so

    .. math:: p_1 = n_1 + \frac{\kappa}{1+2\kappa}(n_2-n_1),\qquad \kappa = 2J^2/\gamma^2.
    """
    n1, n2 = V.real_array(n1, "n1"), V.real_array(n2, "n2")
    J, gamma = V.real_array(J, "J"), V.real_array(gamma, "gamma")
    if np.any(gamma <= 0):
        raise ValueError("gamma must be > 0")
    k = 2 * J ** 2 / gamma ** 2
    out = n1 + k / (1 + 2 * k) * (n2 - n1)
    return out if np.ndim(out) else float(out)


def two_qubit_threshold(mu: float = 0.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                        omega: float = 1.0) -> float:
    r"""Smallest :math:`\Delta\mu` that charges the ``N = 2`` battery (:math:`p_1 = 1/2`), closed form.

    :math:`n_2^* = n_1 + (\tfrac12 - n_1)(1+2\kappa)/\kappa`;
    :math:`\Delta\mu^* = \omega - \mu + T\ln[n_2^*/(1-n_2^*)]`.
    The signed root: negative when the battery is charged already at :math:`\Delta\mu = 0`
    (:math:`n_1 > 1/2`); ``-inf`` if it stays charged for every bias (:math:`n_2^* \le 0`) and ``inf``
    if no bias suffices (:math:`n_2^* \ge 1`, i.e. :math:`\kappa \le (1/2 - n_1)/n_1`).
    """
    T = V.real_number(T, "T", lo=0.0, lo_open=True)
    k = 2 * V.real_number(J, "J") ** 2 / V.real_number(gamma, "gamma", lo=0.0, lo_open=True) ** 2
    n1 = float(fermi(omega, mu, T))
    if k == 0:
        return -math.inf if n1 >= 0.5 else math.inf
    n2 = n1 + (0.5 - n1) * (1 + 2 * k) / k
    if n2 >= 1.0:
        return math.inf
    if n2 <= 0.0:
        return -math.inf
    return float(omega - mu + T * math.log(n2 / (1 - n2)))


def triplet_population(n: Any) -> np.ndarray | float:
    r"""Battery population in the symmetric (triplet) steady state of a battery + spin-1/2 pair.

    For collective dissipation the grand-canonical weights :math:`x^{\hat N}`, :math:`x = n/(1-n)`,
    restricted to the triplet :math:`\{|ee\rangle, |T_0\rangle, |gg\rangle\}` give
    :math:`p_T = (x^2 + x/2)/(1 + x + x^2)`; the singlet (a dark state) gives :math:`1/2`.
    """
    n = V.real_array(n, "n")
    if np.any((n < 0) | (n > 1)):
        raise ValueError("n must lie in [0, 1]")
    # written with n to stay finite at n = 1: x^2 + x/2 over 1 + x + x^2, times (1-n)^2
    num = n ** 2 + 0.5 * n * (1 - n)
    den = (1 - n) ** 2 + n * (1 - n) + n ** 2
    out = num / den
    return out if np.ndim(out) else float(out)


def large_n_saturation(n1: Any) -> np.ndarray | float:
    r"""Battery population of the star for :math:`N\to\infty` with fully inverted ancillas (:math:`n_A = 1`).

    With :math:`n_A = 1` the ancillas are a reservoir of holes; a hole created by the flip-flop is refilled
    at rate :math:`\gamma` and, for :math:`N\to\infty`, stays in the symmetric (Dicke) manifold, so the
    holes form one damped bosonic mode coupled to the battery with strength :math:`J\sqrt{N-1}\to\infty`.
    The doublets :math:`\{|g,k\rangle, |e,k+1\rangle\}` (:math:`k` holes) are then equally populated and,
    with the isolated :math:`|e,0\rangle`, form a birth–death chain whose solution is

    .. math:: p_1^\infty = \frac{A + \tfrac12 F}{A + F},\quad A = \frac{1+n_1}{2(1-n_1)},\quad
              F = {}_1F_1\!\left(1; \tfrac{3+n_1}{2}; \tfrac{1-n_1}{2}\right),

    independent of :math:`J \ne 0`, :math:`\gamma` and :math:`T` except through :math:`n_1`.
    Corrections are :math:`O(1/N)` (checked against the symmetric solver in the tests).
    """
    from scipy.special import hyp1f1

    n1 = V.real_array(n1, "n1")
    if np.any((n1 < 0) | (n1 >= 1)):
        raise ValueError("n1 must lie in [0, 1)")
    A = (1 + n1) / (2 * (1 - n1))
    F = hyp1f1(1.0, 0.5 * (3 + n1), 0.5 * (1 - n1))
    out = (A + 0.5 * F) / (A + F)
    return out if np.ndim(out) else float(out)


def charging_threshold(N: int = 3, mu: float = 0.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                       omega: float = 1.0, topology: str = "star", hi: float = 60.0, xtol: float = 1e-10) -> float:
    r"""Smallest :math:`\Delta\mu \in [0, \mathrm{hi}]` at which the battery charges (:math:`p_1 = 1/2`).

    Root of :math:`p_1(\Delta\mu) - 1/2` by Brent's method (:math:`p_1` grows monotonically with
    :math:`\Delta\mu`), on the permutation-symmetric solver (star) or the exact sector solver (chain).
    Returns ``0.0`` if already charged at :math:`\Delta\mu = 0` and ``inf`` if not charged at ``hi``.
    """
    hi = V.real_number(hi, "hi", lo=0.0, hi=1e4, lo_open=True)
    params(N, mu, 0.0, T, 10.0, omega, J, gamma, topology, "local")          # validate once
    method = "symmetric" if topology == "star" else "sector"
    if topology == "star":
        sym = _Symmetric.build(N)
        fb = sym.battery_vector()

        def f(d: float) -> float:
            p = params(N, mu, d, T, 10.0, omega, J, gamma, topology, "local")
            return float(fb @ sym.solve(sym.generator(p.J, *p.rates()))) - 0.5
    else:
        def f(d: float) -> float:
            return steady_state(N, mu, d, T, 10.0, omega, J, gamma, topology, method=method).battery_population - 0.5

    if f(0.0) >= 0:
        return 0.0
    if f(hi) <= 0:
        return math.inf
    return float(brentq(f, 0.0, hi, xtol=xtol))


def gaussian_populations(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, J: float = 1.0,
                         gamma: float = 1.0, omega: float = 1.0, topology: str = "star") -> np.ndarray:
    r"""Site populations of the *free-fermion* model with the same graph (a tempting shortcut, not this model).

    Replaces each :math:`\sigma^\pm_i` by a fermion :math:`c_i^{(\dagger)}` without Jordan–Wigner strings and
    solves the Lyapunov equation for :math:`C_{ij} = \langle c^\dagger_i c_j\rangle`,
    :math:`(iJh - \tfrac\gamma2)C + C(-iJh - \tfrac\gamma2) = -\gamma\,\mathrm{diag}(n)`. It equals the spin
    model for ``N <= 2`` only: the strings of a bath acting between two coupled sites make the spin
    model's dissipators quartic in fermions (chain), and the star's hub–spoke hopping is itself
    non-quadratic for ``N >= 4``. Kept to show that failure (chapter and tests).
    """
    from scipy.linalg import solve_sylvester

    p = params(N, mu, delta_mu, T, 10.0, omega, J, gamma, topology, "local")
    _int_N(p.N, 2000)
    h = np.zeros((p.N, p.N))
    for a, b in edges(p.N, p.topology):
        h[a, b] = h[b, a] = 1.0
    n = np.array([p.n_battery] + [p.n_ancilla] * (p.N - 1))
    A = 1j * p.J * h - 0.5 * p.gamma * np.eye(p.N)
    C = solve_sylvester(A, A.conj().T, -np.diag(p.gamma * n))
    return np.real(np.diag(C))


# --------------------------------------------------------------------------- collective: dark states
def _spin_ops(j: float) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Sparse J^- and J_z for spin j (basis m = j, j-1, ..., -j)."""
    ms = np.arange(j, -j - 0.5, -1.0)
    amp = np.sqrt((j + ms[:-1]) * (j - ms[:-1] + 1))
    d = ms.size
    Jm = sp.csr_matrix((amp, (np.arange(1, d), np.arange(d - 1))), shape=(d, d))
    return Jm, sp.diags(ms).tocsr()


def collective_blocks(N: int = 3, mu: float = 1.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                      omega: float = 1.0) -> list[dict]:
    r"""Steady states of the star with collective dissipation, block by block in the ancillas' total spin.

    :math:`S^\pm = \sigma^\pm_1 + J_A^\pm` and :math:`H_S` commute with the ancillas' total spin
    :math:`\mathbf J_A^2` and with their permutations (strong symmetries), so the generator splits into
    blocks battery :math:`\otimes` spin-:math:`j`, each repeated :math:`d_j` times (steady states can also
    carry any operator on the multiplicity space). For each block this returns the kernel dimension on
    the excitation-conserving sector and the battery population of its steady states.

    Result for :math:`J \ne 0`: every block with :math:`j \ne 1/2` has a unique steady state, with
    battery population exactly :math:`n` (grand canonical); the :math:`j = 1/2` blocks (present for even
    ``N``) behave like ``N = 2`` and hold a dark singlet (battery population 1/2) besides the
    triplet state (:func:`triplet_population`). Hence the battery's state is the same for every initial
    state iff ``N`` is odd.

    Returns
    -------
    list of dict
        Keys ``j``, ``multiplicity``, ``kernel_dim``, ``populations`` (battery population of each
        extreme steady state of the block: one value, or ``[p_T, 1/2]`` when degenerate).
    """
    N = _int_N(N, N_MAX["symmetric"])
    p = params(N, mu, 0.0, T, 10.0, omega, J, gamma, "star", "collective")
    n = p.n_battery
    M = N - 1
    out = []
    sm = sp.csr_matrix(np.array([[0.0, 0.0], [1.0, 0.0]]))
    for j in _spins(M):
        Jm, Jz = _spin_ops(float(j))
        d = Jm.shape[0]
        I2, Id = sp.identity(2, format="csr"), sp.identity(d, format="csr")
        Sm = (sp.kron(sm, Id) + sp.kron(I2, Jm)).tocsr()
        H = p.J * (sp.kron(sm.T, Jm) + sp.kron(sm, Jm.T))
        # excitation number of each basis state (battery excited = index 0)
        nb = np.kron(np.array([1.0, 0.0]), np.ones(d)) + np.kron(np.ones(2), np.diag(Jz.toarray()) + j)
        keep = np.flatnonzero((nb[:, None] == nb[None, :]).ravel())
        D = 2 * d
        eye = sp.identity(D, format="csr")

        def diss(Lo):
            K = (Lo.conj().T @ Lo).tocsr()
            return sp.kron(Lo, Lo.conj()) - 0.5 * (sp.kron(K, eye) + sp.kron(eye, K.T))

        Lsup = -1j * (sp.kron(H, eye) - sp.kron(eye, H.T)) + p.gamma * (1 - n) * diss(Sm) \
            + p.gamma * n * diss(Sm.T.tocsr())
        Lq = Lsup.tocsr()[keep][:, keep].toarray()
        R, _ = master.kernel(Lq, rtol=1e-10)
        tr = np.eye(D).ravel()[keep]
        fb = np.diag(np.kron(np.diag([1.0, 0.0]), np.eye(d))).astype(float)
        fbat = np.zeros(D * D)
        fbat[np.arange(D) * (D + 1)] = fb
        fbat = fbat[keep]
        pops: list[float]
        if R.shape[1] == 1:
            pops = [float(np.real(fbat @ R[:, 0] / (tr @ R[:, 0])))]
        else:
            pops = sorted(_extreme_battery_populations(R, tr, fbat, keep, D))
        out.append({"j": float(j), "multiplicity": _multiplicity(M, float(j)), "kernel_dim": int(R.shape[1]),
                    "populations": pops})
    return out


def _extreme_battery_populations(R: np.ndarray, tr: np.ndarray, fbat: np.ndarray, keep: np.ndarray,
                                 D: int) -> list[float]:
    r"""Min and max battery population over the density matrices in span(R) (2-dimensional kernels).

    The states form a segment :math:`A + sB` (:math:`\mathrm{Tr}A = 1`, :math:`\mathrm{Tr}B = 0`,
    Hermitian); its ends are where the (concave) smallest eigenvalue crosses zero.
    """
    from scipy.optimize import minimize_scalar

    herm = []
    for k in range(R.shape[1]):
        v = np.zeros(D * D, dtype=complex)
        v[keep] = R[:, k]
        X = v.reshape(D, D)
        herm += [0.5 * (X + X.conj().T), 0.5j * (X - X.conj().T)]
    traces = np.array([np.trace(X).real for X in herm])
    k0 = int(np.argmax(np.abs(traces)))
    A = herm[k0] / traces[k0]
    Bs = [X - np.trace(X).real * A for X in herm]
    B = max(Bs, key=np.linalg.norm)
    B = B / np.linalg.norm(B)

    def lmin(s: float) -> float:
        return float(np.linalg.eigvalsh(A + s * B)[0])

    best = minimize_scalar(lambda s: -lmin(s), bracket=(-1.0, 1.0))
    s0 = float(best.x)
    if lmin(s0) < -1e-9:
        raise ValueError("no positive state in the kernel (numerical kernel too inaccurate)")
    ends = []
    for direction in (-1.0, 1.0):
        step = 1.0
        while lmin(s0 + direction * step) > 0:
            step *= 2.0
        ends.append(brentq(lmin, s0, s0 + direction * step) if direction > 0 else brentq(lmin, s0 - step, s0))
    return [float(np.real(np.trace((A + s * B)[: D // 2, : D // 2]))) for s in ends]
