"""The teacher's kit, tested on what `python3 dev.py test` built just before (PDF, student edition,
release bundle). Locally a missing artefact skips its tests; in CI (CI=true) it fails them."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402

__all__ = ["ROOT", "dev", "need"]


def need(path: Path, command: str) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing ({command} makes it)")
        pytest.skip(f"{path} is missing: run {command}")
    return path
