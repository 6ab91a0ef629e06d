"""Versions of everything a result depends on (the About this build page)."""
from __future__ import annotations

import os
import platform

import numpy as np


def _blas() -> str:
    """numpy's BLAS library as built (name and version), e.g. ``scipy-openblas 0.3.28``."""
    try:
        cfg = np.show_config(mode="dicts")
        b = cfg["Build Dependencies"]["blas"]
        return f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # pragma: no cover - very old numpy
        return "unknown"


def lock_mismatches(lock_path: str | os.PathLike | None = None) -> list[str] | None:
    """Installed packages whose version differs from ``requirements.lock``.

    Returns ``None`` when no lock file is found (``qbcore`` installed without the book), else a
    list of ``"name installed X, locked Y"`` strings (empty when the environment is exact).
    Markers of other Python versions are skipped.

    Parameters
    ----------
    lock_path : path-like, optional
        The lock file; default ``requirements.lock`` next to the ``qbcore`` package.

    Returns
    -------
    list of str or None
    """
    import importlib.metadata as md
    from pathlib import Path

    path = Path(lock_path) if lock_path else Path(__file__).resolve().parents[2] / "requirements.lock"
    if not path.is_file():
        return None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        spec, _, marker = line.partition(";")
        name, version = (x.strip() for x in spec.split("=="))
        if marker.strip() and not _marker_holds(marker):
            continue
        try:
            have = md.version(name)
        except md.PackageNotFoundError:
            out.append(f"{name} not installed, locked {version}")
            continue
        if have != version:
            out.append(f"{name} installed {have}, locked {version}")
    return out


def _marker_holds(marker: str) -> bool:
    """Evaluate an environment marker of the lock file for this interpreter (``packaging``)."""
    try:
        from packaging.markers import Marker
    except ImportError:  # pragma: no cover - packaging ships with pip/setuptools environments
        return True
    return Marker(marker).evaluate()


def about() -> None:
    """Print the versions of qbcore and of the libraries every result depends on.

    Also prints numpy's BLAS library and whether the environment matches the book's
    ``requirements.lock`` (when qbcore runs from the book's repository).
    """
    import importlib.metadata as md

    from .. import __version__

    print(f"qbcore      {__version__}")
    for pkg in ("qutip", "numpy", "scipy", "matplotlib", "ipywidgets", "jupyter-book", "myst-nb"):
        try:
            print(f"{pkg:<11} {md.version(pkg)}")
        except md.PackageNotFoundError:
            print(f"{pkg:<11} (not installed)")
    print(f"python      {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"BLAS        {_blas()} (results agree across CPUs and BLAS kernels at the printed precision)")
    bad = lock_mismatches()
    if bad is None:
        print("lock file   requirements.lock not found (qbcore installed on its own)")
    elif not bad:
        print("lock file   every installed package matches requirements.lock")
    else:
        print(f"lock file   {len(bad)} package(s) differ from requirements.lock: " + "; ".join(bad[:8]))
