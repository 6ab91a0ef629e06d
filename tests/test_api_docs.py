"""qbcore as a library: every public name is exported, documented in numpy style, and importable
from ``import qbcore`` alone."""
from __future__ import annotations

import importlib
import inspect

import pytest

import qbcore

MODULES = ["qbcore.thermo", "qbcore.baths", "qbcore.master", "qbcore.negf", "qbcore.viz",
           "qbcore.models.coupled_qubits", "qbcore.models.ising", "qbcore.models.spin_chain",
           "qbcore.models.star"]


def public(modname):
    mod = importlib.import_module(modname)
    assert hasattr(mod, "__all__"), f"{modname} has no __all__"
    return [(n, getattr(mod, n)) for n in mod.__all__]


def test_import_qbcore_gives_every_module():
    for m in MODULES:
        obj = qbcore
        for part in m.split(".")[1:]:
            obj = getattr(obj, part)  # AttributeError here = not imported by `import qbcore`
        assert obj.__name__ == m
    assert set(qbcore.models.__all__) == {"coupled_qubits", "ising", "spin_chain", "star"}


@pytest.mark.parametrize("modname", MODULES)
def test_every_public_name_exists_and_has_a_numpy_docstring(modname):
    missing = []
    for name, obj in public(modname):
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        if not doc.strip():
            missing.append(f"{name}: no docstring")
            continue
        try:
            params = [p for p in inspect.signature(obj).parameters.values() if p.name not in ("self", "cls")]
        except (TypeError, ValueError):
            params = []
        if any(p.kind == p.VAR_KEYWORD for p in params) and inspect.isfunction(obj):
            missing.append(f"{name}: **kwargs hide its parameters from help()")
        if params and "Parameters" not in doc and not (inspect.isclass(obj) and "Attributes" in doc):
            missing.append(f"{name}: no Parameters section")
        if inspect.isfunction(obj):
            ret = inspect.signature(obj).return_annotation
            if ret not in (None, "None", inspect.Signature.empty) and "Returns" not in doc \
                    and "Yields" not in doc:
                missing.append(f"{name}: no Returns section")
    assert not missing, f"{modname}: " + "; ".join(missing)


def test_runtime_dependencies_match_the_imports():
    """Module-level imports of qbcore need only numpy, scipy and matplotlib (pyproject's
    dependencies); IPython/ipywidgets (the ``widgets`` extra) and qutip (``test``) are never
    imported at module level."""
    import ast
    import sys
    from pathlib import Path

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = None
    root = Path(qbcore.__file__).resolve().parent
    allowed = {"numpy", "scipy", "matplotlib"}
    stdlib = set(sys.stdlib_module_names)
    bad = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: function-level imports are optional features
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for n in names:
                top = n.split(".")[0]
                if top not in allowed and top not in stdlib and top != "__future__":
                    bad.append(f"{path.relative_to(root)}: import {n}")
    assert not bad, bad
    if tomllib is not None:
        meta = tomllib.loads((root.parent / "pyproject.toml").read_text())["project"]
        deps = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in meta["dependencies"]}
        assert deps == allowed
        extras = meta["optional-dependencies"]
        assert any(d.startswith("qutip") for d in extras["test"])
        assert any(d.startswith("ipywidgets") for d in extras["widgets"])
        assert any(d.lower().startswith("ipython") for d in extras["widgets"])
