"""Every test gets its own data folder (working copies, backups, recovery) and an offscreen Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"

# How long a GUI test waits (qtbot.waitUntil, waitSignal, waitExposed, …) for what a user would
# wait for: a save after a pause, a worker's result, a dialog. pytest-qt's default of 5 s is
# about what these take on a loaded machine (an autosave took 0.9 s of a 3 s wait on a quiet
# one); the bound only decides how long a real failure takes to be reported.
WAIT_MS = 60_000


def _patient_qtbot() -> None:
    from pytestqt.qtbot import QtBot

    for name in ("waitUntil", "waitExposed", "waitActive", "waitSignal", "waitSignals", "waitCallback"):
        getattr(QtBot, name).__kwdefaults__["timeout"] = WAIT_MS


_patient_qtbot()


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmp_path_factory.mktemp("itadesk-data")))


@pytest.fixture
def reference_json() -> Path:
    """The reference report (อบต.เชียงพิณ, 2567 and 2568) transcribed as interchange JSON."""
    return FIXTURES / "chiangphin.json"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``windows`` run on the Windows CI; elsewhere they show as skipped with the reason."""
    if sys.platform == "win32":
        return
    skip = pytest.mark.skip(reason="Windows only: runs on the Windows CI (.github/workflows/windows.yml)")
    for item in items:
        if item.get_closest_marker("windows"):
            item.add_marker(skip)


# A Qt fatal message (qFatal: "QThread: Destroyed while thread is still running", …) is followed
# by abort(); pytest-qt's per-test message handler only records it and pytest's capture of
# stderr dies with the process, so the run showed nothing but "Fatal Python error: Aborted".
# Write it where faulthandler writes its dump (the terminal, past the capture) first: the next
# abort names its cause.
def _say_fatal(config, message: str) -> None:
    try:  # pytest's own key (private): where its faulthandler writes
        from _pytest.faulthandler import fault_handler_stderr_fd_key  # noqa: PLC0415

        fd = config.stash.get(fault_handler_stderr_fd_key, 2)
    except ImportError:
        fd = 2
    os.write(fd, f"\nQt fatal message before abort: {message}\n".encode("utf-8", "replace"))


@pytest.hookimpl(trylast=True)
def pytest_runtest_setup(item):
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    capture = getattr(item, "qt_log_capture", None)  # pytest-qt's, installed just before

    def handler(msg_type, context, message):
        if msg_type == QtMsgType.QtFatalMsg:
            _say_fatal(item.config, message)
        if capture is not None:
            capture._handle_with_context(msg_type, context, message)  # noqa: SLF001 - still recorded there
        elif msg_type != QtMsgType.QtFatalMsg:
            sys.stderr.write(f"{message}\n")

    qInstallMessageHandler(handler)
