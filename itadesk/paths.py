"""Every folder the program keeps for itself, installed or portable, decided in one place.

Installed, what belongs to this computer (working copies, recovery notes, backups) lives in
the user's local data folder and preferences in Qt's per-user INI: never on the stick,
which may be pulled out at any moment.

Portable (a file ``itadesk-portable.txt`` beside the executable): settings, recent files
and backups live in ``ITADesk-data`` beside the program, so the PC's profile is left alone
and the officer carries them with the stick. Working copies are edited with every keystroke
committed, so they still belong on a local disk: when the program's own folder is on
removable media (Windows: ``GetDriveTypeW`` says DRIVE_REMOVABLE; Linux: the block device's
``removable`` flag) they go to ``ITADesk-portable`` in the PC's temp folder, which needs no
installation or admin rights; on a fixed disk they stay beside the program.

``ITADESK_DATA_DIR`` overrides all of this (tests, benchmarks).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import platformdirs

APP_NAME = "ITADesk"
PORTABLE_MARKER = "itadesk-portable.txt"
PORTABLE_DATA = "ITADesk-data"
PORTABLE_LOCAL = "ITADesk-portable"


@dataclass(frozen=True)
class Layout:
    """Where things go; ``settings_file`` None means Qt's per-user default location."""

    portable: bool
    data: Path
    working: Path
    backups: Path
    settings_file: Path | None


def program_executable() -> Path | None:
    """The frozen program's executable; None when running from source (never portable)."""
    return Path(sys.executable).resolve() if getattr(sys, "frozen", False) else None


def resolve_layout(executable: Path | None, environ: Mapping[str, str],
                   removable: Callable[[Path], bool], local_temp: Path) -> Layout:
    """The layout for a program at ``executable`` (pure: touches no folder)."""
    override = environ.get("ITADESK_DATA_DIR")
    if override:
        data = Path(override)
        return Layout(False, data, data / "working", data / "backups", None)
    if executable is not None and (executable.parent / PORTABLE_MARKER).is_file():
        data = executable.parent / PORTABLE_DATA
        local = local_temp / PORTABLE_LOCAL if removable(executable.parent) else data
        return Layout(True, data, local / "working", data / "backups", data / "settings.ini")
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Layout(False, data, data / "working", data / "backups", None)


def is_removable(folder: Path) -> bool:
    """Whether ``folder`` lies on removable media (a USB stick or a memory card)."""
    try:
        if sys.platform == "win32":
            return _windows_removable(folder)
        if sys.platform.startswith("linux"):
            return _linux_removable(folder)
    except OSError:
        pass
    return False


def _windows_removable(folder: Path) -> bool:
    import ctypes

    drive_removable = 2
    root = os.path.splitdrive(str(folder.resolve()))[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(root) == drive_removable


def _linux_removable(folder: Path) -> bool:
    """The mount holding ``folder`` (longest matching mount point), then its disk's flag."""
    target = str(folder.resolve())
    best, device = "", ""
    with open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            source, point = line.split()[:2]
            point = point.replace("\\040", " ")
            if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, device = point, source
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name
    sys_block = Path("/sys/class/block") / name
    disk = sys_block if (sys_block / "removable").exists() else sys_block.resolve().parent
    flag = disk / "removable"
    return flag.exists() and flag.read_text().strip() == "1"


def layout() -> Layout:
    """The layout of this run of the program."""
    return resolve_layout(program_executable(), os.environ, is_removable, Path(tempfile.gettempdir()))


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_dir() -> Path:
    return _made(layout().data)


def working_dir() -> Path:
    return _made(layout().working)


def backups_dir() -> Path:
    return _made(layout().backups)


def settings_file() -> Path | None:
    """The portable INI for Qt's settings, or None for Qt's per-user default."""
    path = layout().settings_file
    if path is not None:
        _made(path.parent)
    return path
