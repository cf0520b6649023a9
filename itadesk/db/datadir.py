"""Where the program keeps what belongs to this computer, not to the document.

Working copies (so a crash loses nothing typed), recovery notes and rotating backups
live in the user's local data folder, never on the stick: a stick may be pulled out at
any moment, and another office must not see our half-finished work.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ITADesk"


def data_dir() -> Path:
    """The local data folder; ``ITADESK_DATA_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("ITADESK_DATA_DIR")
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def working_dir() -> Path:
    folder = data_dir() / "working"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backups_dir() -> Path:
    folder = data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
