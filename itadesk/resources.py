"""One way to find bundled data, in a source checkout and inside a frozen PyInstaller build.

Catalogs, standard texts, measures and fonts all live under ``resources/``; every reader
goes through :func:`resource_path` so the frozen build only has to ship that one folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def resources_root() -> Path:
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def read_json(*parts: str):
    with resource_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)
