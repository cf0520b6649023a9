"""Every test gets its own data folder (working copies, backups, recovery) and an offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmp_path_factory.mktemp("itadesk-data")))


@pytest.fixture
def reference_json() -> Path:
    """The reference report (อบต.เชียงพิณ, 2567 and 2568) transcribed as interchange JSON."""
    return FIXTURES / "chiangphin.json"
