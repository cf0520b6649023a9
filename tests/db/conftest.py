"""Fixtures for the document layer: a private data folder, a "stick" folder, sample files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .samples import make_good_file

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line("markers", "crash: kills a saving process many times (bench/crash_save.py)")


@pytest.fixture
def data_dir() -> Path:
    """This test's own data folder (working copies, recovery notes, backups), which the
    autouse fixture in tests/conftest.py sets through ITADESK_DATA_DIR."""
    return Path(os.environ["ITADESK_DATA_DIR"])


@pytest.fixture
def stick(tmp_path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def sample(stick) -> Path:
    return make_good_file(stick / "ita.db")


def run_python(code: str, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    """Start a separate Python process (a second program instance) running ``code``."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=full_env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def can_mount() -> bool:
    """Whether this test run may mount a small tmpfs (root on Linux, mount permitted)."""
    return _can_mount()


_MOUNT_OK: bool | None = None


def _can_mount() -> bool:
    global _MOUNT_OK
    if _MOUNT_OK is None:
        _MOUNT_OK = False
        if sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0:
            import tempfile

            probe = tempfile.mkdtemp(prefix="itadesk-mount-probe-")
            try:
                ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
                                    capture_output=True).returncode == 0
                if ok:
                    subprocess.run(["umount", probe], capture_output=True)
                    _MOUNT_OK = True
            except OSError:
                pass
            finally:
                os.rmdir(probe)
    return _MOUNT_OK


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (a stick that can fill up or turn read-only); skips when not permitted."""
    if not _can_mount():
        pytest.skip("mounting a tmpfs needs root on Linux; the hook-based test covers this case elsewhere")
    mounts = []

    def mount(size: str = "1m") -> Path:
        point = tmp_path / f"mnt{len(mounts)}"
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True)
        mounts.append(point)
        return point

    yield mount
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def remount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)
